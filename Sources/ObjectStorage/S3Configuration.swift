import AIClients
package import CallPipeCore
package import Configuration
package import Foundation

/// Where and how recordings are kept in S3-compatible object storage (docs/configuration.md,
/// "Recordings"): `CALLPIPE_STORAGE_URL=s3://BUCKET/PREFIX` with the endpoint, region and keys.
package struct S3Configuration: Sendable, Equatable, CustomStringConvertible {
    package var bucket: String
    /// The key prefix, without leading or trailing `/` (may be empty).
    package var prefix: String
    /// `https://s3.REGION.amazonaws.com` by default; MinIO, Ceph, R2 or moto name their own.
    package var endpoint: URL
    package var region: String
    package var accessKeyID: String
    package var secretAccessKey: String
    /// `https://ENDPOINT/BUCKET/KEY` (path style, what most S3-compatible servers want) rather
    /// than `https://BUCKET.ENDPOINT/KEY`. On by default when an endpoint is named.
    package var pathStyle: Bool
    /// Files larger than this go up in parts of this size (5 MiB…5 GiB; default 16 MiB).
    package var partSize: Int
    /// Seconds a request may take before it is abandoned (and retried, for idempotent ones).
    package var timeout: Double
    /// Where remote recordings are downloaded while a stage reads them.
    package var cacheDirectory: String

    package static let minimumPartSize = 5 * 1_048_576

    package init(
        url: String, endpoint: String? = nil, region: String? = nil, accessKeyID: String, secretAccessKey: String,
        pathStyle: Bool? = nil, partSize: Int = 16 * 1_048_576, timeout: Double = 300, cacheDirectory: String
    ) throws(CallPipeError) {
        guard url.hasPrefix("s3://") else {
            throw CallPipeError(.invalid, "CALLPIPE_STORAGE_URL must be s3://BUCKET/PREFIX (got \(url.prefix(16))…)")
        }
        let rest = url.dropFirst("s3://".count)
        let bucket = String(rest.prefix { $0 != "/" })
        guard (3...63).contains(bucket.count),
            bucket.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" || $0 == "." }), bucket.first != "-"
        else {
            throw CallPipeError(
                .invalid, "CALLPIPE_STORAGE_URL names no valid bucket (3–63 lower-case letters, digits, - or .)")
        }
        self.bucket = bucket
        self.prefix = rest.dropFirst(bucket.count).split(separator: "/").joined(separator: "/")
        let region = region.flatMap { $0.isEmpty ? nil : $0 } ?? "us-east-1"
        self.region = region
        if let endpoint, !endpoint.isEmpty {
            guard let parsed = URL(string: endpoint), let scheme = parsed.scheme, ["http", "https"].contains(scheme),
                parsed.host != nil
            else {
                throw CallPipeError(.invalid, "CALLPIPE_S3_ENDPOINT must be an http:// or https:// URL")
            }
            self.endpoint = parsed
            self.pathStyle = pathStyle ?? true
        } else {
            self.endpoint = URL(string: "https://s3.\(region).amazonaws.com")!
            self.pathStyle = pathStyle ?? false
        }
        guard !accessKeyID.isEmpty, !secretAccessKey.isEmpty else {
            throw CallPipeError(
                .invalid,
                "object storage needs CALLPIPE_S3_ACCESS_KEY_ID and CALLPIPE_S3_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
            )
        }
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        guard (Self.minimumPartSize...5 * 1_073_741_824).contains(partSize) else {
            throw CallPipeError(.invalid, "the S3 part size must be between 5 MiB and 5 GiB")
        }
        self.partSize = partSize
        self.timeout = timeout
        self.cacheDirectory = cacheDirectory
    }

    /// Reads `CALLPIPE_STORAGE_URL` and the `CALLPIPE_S3_*` keys (the `AWS_*` names as a fallback);
    /// `nil` when no storage URL is set or it names the local directory (`file:` or `local`).
    package init?(reader: ConfigReader, dataDirectory: String) throws(CallPipeError) {
        guard let url = reader.string(forKey: "callpipe.storage.url"), !url.isEmpty, url != "local",
            !url.hasPrefix("file:")
        else { return nil }
        let partMiB: Int
        do {
            partMiB = try reader.integer(
                "callpipe.s3.part.mb", "CALLPIPE_S3_PART_MB", in: 5...5_120, default: 16)
        } catch {
            throw CallPipeError(.invalid, String(describing: error))
        }
        let pathStyle = reader.string(forKey: "callpipe.s3.path.style").map { ["1", "true", "yes"].contains($0) }
        try self.init(
            url: url,
            endpoint: reader.string(forKey: "callpipe.s3.endpoint") ?? reader.string(forKey: "aws.endpoint.url.s3")
                ?? reader.string(forKey: "aws.endpoint.url"),
            region: reader.string(forKey: "callpipe.s3.region") ?? reader.string(forKey: "aws.region"),
            accessKeyID: reader.string(forKey: "callpipe.s3.access.key.id", isSecret: true)
                ?? reader.string(forKey: "aws.access.key.id", isSecret: true) ?? "",
            secretAccessKey: reader.string(forKey: "callpipe.s3.secret.access.key", isSecret: true)
                ?? reader.string(forKey: "aws.secret.access.key", isSecret: true) ?? "",
            pathStyle: pathStyle, partSize: partMiB * 1_048_576,
            cacheDirectory: (dataDirectory as NSString).appendingPathComponent("cache"))
    }

    /// `s3://bucket/prefix at https://endpoint (region)`: no key.
    package var description: String {
        "s3://\(bucket)\(prefix.isEmpty ? "" : "/" + prefix) at \(endpoint.absoluteString) (\(region))"
    }

    /// The object key of a recording key (`<call id>/<file>`).
    package func objectKey(_ key: String) -> String {
        prefix.isEmpty ? key : prefix + "/" + key
    }
}
