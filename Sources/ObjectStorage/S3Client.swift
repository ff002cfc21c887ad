import AIClients
package import AsyncHTTPClient
package import CallPipeCore
import Crypto
import Foundation
import Logging
package import NIOCore
import NIOHTTP1

/// The S3 operations recordings need, on object keys (the prefix already applied), over AsyncHTTPClient with Signature V4 (docs/ARCHITECTURE.md
/// §15): single and multipart PUT, ranged GET streamed, HEAD and DELETE. Idempotent requests that
/// fail with 5xx, 429 or a lost connection are retried with the product's backoff.
package struct S3Client: Sendable {
    package var configuration: S3Configuration
    private let http: HTTPClient
    private let signer: S3Signer
    private let backoff = Backoff(baseDelay: 0.2, maxDelay: 3, jitter: 0.5)
    private let attempts = 4

    package init(configuration: S3Configuration, http: HTTPClient = .shared) {
        self.configuration = configuration
        self.http = http
        self.signer = S3Signer(
            accessKeyID: configuration.accessKeyID, secretAccessKey: configuration.secretAccessKey,
            region: configuration.region)
    }

    /// The object's size, `nil` when there is none.
    package func size(of key: String) async throws -> Int? {
        let response = try await send("HEAD", key: key)
        if response.status == .notFound { return nil }
        try await Self.require(response, "HEAD", key)
        return response.headers.first(name: "content-length").flatMap(Int.init)
    }

    /// Stores `body` as the object `key` in one request.
    package func put(_ key: String, body: ByteBuffer, contentType: String) async throws {
        let response = try await send(
            "PUT", key: key, headers: [("content-type", contentType)], body: body)
        try await Self.require(response, "PUT", key)
    }

    /// Streams the object's bytes in `range` (the whole object when `nil`).
    package func get(_ key: String, range: ClosedRange<Int>? = nil) async throws -> HTTPClientResponse.Body {
        let headers = range.map { [("range", "bytes=\($0.lowerBound)-\($0.upperBound)")] } ?? []
        let response = try await send("GET", key: key, headers: headers)
        if response.status == .notFound {
            throw CallPipeError(.notFound, "object storage has no \(key)")
        }
        // The body is the caller's to stream: read here only to report an error (once only).
        guard (200..<300).contains(response.status.code) else {
            try await Self.require(response, "GET", key)
            throw CallPipeError(.storage, "object storage answered \(response.status.code) to GET \(key)")
        }
        return response.body
    }

    package func delete(_ key: String) async throws {
        let response = try await send("DELETE", key: key)
        guard response.status == .notFound else {
            try await Self.require(response, "DELETE", key)
            return
        }
    }

    /// Throws unless the bucket exists and the keys may use it: one attempt within 5 s, what
    /// `/health` asks.
    package func checkBucket() async throws {
        let response = try await send("HEAD", key: nil, attempts: 1, timeout: 5)
        try await Self.require(response, "HEAD", "")
    }

    // MARK: Multipart

    package func createMultipartUpload(_ key: String, contentType: String) async throws -> String {
        let response = try await send(
            "POST", key: key, query: [("uploads", "")], headers: [("content-type", contentType)])
        let text = try await Self.require(response, "POST", key)
        guard let id = Self.element("UploadId", in: text) else {
            throw CallPipeError(.storage, "object storage did not start a multipart upload of \(key)")
        }
        return id
    }

    /// Uploads part `number` (1-based) and returns its ETag.
    package func uploadPart(_ key: String, uploadID: String, number: Int, body: ByteBuffer) async throws -> String {
        let response = try await send(
            "PUT", key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)], body: body)
        try await Self.require(response, "PUT", key)
        guard let eTag = response.headers.first(name: "etag") else {
            throw CallPipeError(.storage, "object storage gave part \(number) of \(key) no ETag")
        }
        return eTag
    }

    package func completeMultipartUpload(_ key: String, uploadID: String, eTags: [String]) async throws {
        let parts = eTags.enumerated().map { index, eTag in
            "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(Self.escape(eTag))</ETag></Part>"
        }
        let xml = "<CompleteMultipartUpload>\(parts.joined())</CompleteMultipartUpload>"
        let response = try await send(
            "POST", key: key, query: [("uploadId", uploadID)], headers: [("content-type", "application/xml")],
            body: ByteBuffer(string: xml))
        // S3 may answer 200 and still report an error in the body.
        let text = try await Self.require(response, "POST", key)
        if text.contains("<Error>") { throw Self.error(status: 200, text: text, "POST", key) }
    }

    package func abortMultipartUpload(_ key: String, uploadID: String) async throws {
        let response = try await send("DELETE", key: key, query: [("uploadId", uploadID)])
        guard response.status == .notFound else {
            try await Self.require(response, "DELETE", key)
            return
        }
    }

    // MARK: Requests

    /// Sends a signed request, retrying 5xx, 429 and connection failures; the response's body is
    /// left to the caller.
    fileprivate func send(
        _ method: String, key: String?, query: [(String, String)] = [], headers: [(String, String)] = [],
        body: ByteBuffer? = nil, attempts: Int? = nil, timeout: Double? = nil
    ) async throws -> HTTPClientResponse {
        let attempts = attempts ?? self.attempts
        let timeout = timeout ?? configuration.timeout
        let payloadHash =
            body.map { buffer in buffer.withUnsafeReadableBytes { S3Signer.hex(SHA256.hash(data: $0)) } }
            ?? S3Signer.emptyPayloadHash
        var attempt = 0
        while true {
            attempt += 1
            var request = HTTPClientRequest(url: url(key: key, query: query))
            request.method = HTTPMethod(rawValue: method)
            let host = hostHeader
            request.headers.add(name: "host", value: host)
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            for (name, value) in signer.sign(
                method: method, host: host, path: canonicalPath(key: key), query: query, headers: headers,
                payloadHash: payloadHash, date: Date())
            {
                request.headers.add(name: name, value: value)
            }
            if let body {
                request.body = .bytes(body)
            }
            do {
                let response = try await http.execute(request, timeout: .milliseconds(Int64(timeout * 1_000)))
                let retryable = response.status.code >= 500 || response.status.code == 429
                guard retryable, attempt < attempts else { return response }
                _ = try? await response.body.collect(upTo: 65_536)
            } catch let error as CancellationError {
                throw error
            } catch {
                guard attempt < attempts else {
                    throw CallPipeError(
                        .storage,
                        "object storage at \(configuration.endpoint.absoluteString) cannot be reached: \(error)")
                }
            }
            try await Task.sleep(for: .seconds(backoff.delay(afterAttempt: attempt)))
        }
    }

    private var hostHeader: String {
        let host = configuration.endpoint.host ?? ""
        let named = configuration.pathStyle ? host : "\(configuration.bucket).\(host)"
        return configuration.endpoint.port.map { "\(named):\($0)" } ?? named
    }

    /// The path before encoding: `/bucket/key` (path style) or `/key`.
    private func canonicalPath(key: String?) -> String {
        if configuration.pathStyle { return "/\(configuration.bucket)" + (key.map { "/\($0)" } ?? "") }
        return "/" + (key ?? "")
    }

    private func url(key: String?, query: [(String, String)]) -> String {
        let scheme = configuration.endpoint.scheme ?? "https"
        let queryText = query.isEmpty ? "" : "?" + S3Signer.canonicalQuery(query)
        return "\(scheme)://\(hostHeader)\(S3Signer.encodePath(canonicalPath(key: key)))\(queryText)"
    }

    /// Returns the body as text when the status is 2xx; throws the S3 error otherwise.
    @discardableResult
    fileprivate static func require(_ response: HTTPClientResponse, _ method: String, _ key: String) async throws
        -> String
    {
        let body = try await response.body.collect(upTo: 1_048_576)
        let text = String(buffer: body)
        guard (200..<300).contains(response.status.code) else {
            throw error(status: Int(response.status.code), text: text, method, key)
        }
        return text
    }

    /// `object storage answered 403 to PUT key: SignatureDoesNotMatch (message)`; no credential.
    fileprivate static func error(status: Int, text: String, _ method: String, _ key: String) -> CallPipeError {
        let code = element("Code", in: text) ?? "HTTP \(status)"
        let message = element("Message", in: text).map { ": \($0.prefix(200))" } ?? ""
        return CallPipeError(.storage, "object storage answered \(status) to \(method) \(key): \(code)\(message)")
    }

    /// The text of the first `<name>` element (S3's responses are small and flat).
    static func element(_ name: String, in xml: String) -> String? {
        guard let start = xml.range(of: "<\(name)>"),
            let end = xml.range(of: "</\(name)>", range: start.upperBound..<xml.endIndex)
        else { return nil }
        return unescape(String(xml[start.upperBound..<end.lowerBound]))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

extension S3Client {
    /// Creates the configured bucket (for tests and first-time setup); an existing bucket of the
    /// same owner is fine.
    package func createBucket() async throws {
        let response = try await send("PUT", key: nil)
        if response.status == .conflict {
            let text = String(buffer: try await response.body.collect(upTo: 65_536))
            if text.contains("BucketAlreadyOwnedByYou") { return }
            throw Self.error(status: 409, text: text, "PUT", configuration.bucket)
        }
        try await Self.require(response, "PUT", configuration.bucket)
    }
}
