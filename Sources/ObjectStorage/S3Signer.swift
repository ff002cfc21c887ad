import Crypto
package import Foundation

/// AWS Signature Version 4 for S3 requests (the `Authorization` header form), as AWS documents it
/// for S3: the canonical request of method, path, sorted query and signed headers with the
/// payload's SHA-256, signed with a key derived from the secret, the date, the region and `s3`.
package struct S3Signer: Sendable {
    package var accessKeyID: String
    package var secretAccessKey: String
    package var region: String

    package init(accessKeyID: String, secretAccessKey: String, region: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.region = region
    }

    /// The SHA-256 of no bytes, the payload hash of GET, HEAD and DELETE.
    package static let emptyPayloadHash = hex(SHA256.hash(data: Data()))

    /// The headers to add to a request: `host`, `x-amz-date`, `x-amz-content-sha256` and
    /// `Authorization`. `headers` are the request's other headers to sign (lower-case names);
    /// `path` is the URI path before encoding; `query` the parameters before encoding.
    package func sign(
        method: String, host: String, path: String, query: [(String, String)] = [], headers: [(String, String)] = [],
        payloadHash: String, date: Date
    ) -> [(String, String)] {
        let (day, stamp) = Self.timestamps(date)
        var signed = headers.map { ($0.0.lowercased(), Self.trimmed($0.1)) }
        signed.append(("host", host))
        signed.append(("x-amz-content-sha256", payloadHash))
        signed.append(("x-amz-date", stamp))
        signed.sort { $0.0 < $1.0 }
        let signedNames = signed.map(\.0).joined(separator: ";")
        let canonicalRequest = [
            method,
            Self.encodePath(path),
            Self.canonicalQuery(query),
            signed.map { "\($0.0):\($0.1)\n" }.joined(),
            signedNames,
            payloadHash,
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/s3/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", stamp, scope, Self.hex(SHA256.hash(data: Data(canonicalRequest.utf8))),
        ].joined(separator: "\n")
        var key = SymmetricKey(data: Data("AWS4\(secretAccessKey)".utf8))
        for part in [day, region, "s3", "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(accessKeyID)/\(scope), SignedHeaders=\(signedNames), Signature=\(signature)"
        return [
            ("x-amz-date", stamp), ("x-amz-content-sha256", payloadHash), ("Authorization", authorization),
        ]
    }

    /// `20130524` and `20130524T000000Z`, in UTC.
    static func timestamps(_ date: Date) -> (String, String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let day = String(format: "%04d%02d%02d", parts.year!, parts.month!, parts.day!)
        return (day, day + String(format: "T%02d%02d%02dZ", parts.hour!, parts.minute!, parts.second!))
    }

    /// RFC 3986 percent-encoding of everything but the unreserved characters (and `/` in paths),
    /// as SigV4 requires; S3 paths are encoded once.
    package static func encode(_ value: String, keepingSlash: Bool = false) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            case UInt8(ascii: "/") where keepingSlash:
                out.append("/")
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    package static func encodePath(_ path: String) -> String {
        encode(path.isEmpty ? "/" : path, keepingSlash: true)
    }

    package static func canonicalQuery(_ query: [(String, String)]) -> String {
        let encoded: [(name: String, value: String)] = query.map { (encode($0.0), encode($0.1)) }
        let sorted = encoded.sorted { $0.name == $1.name ? $0.value < $1.value : $0.name < $1.name }
        return sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// Header values are signed with outer spaces removed and inner runs of spaces made one.
    static func trimmed(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    package static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
