package import Foundation

/// One HTTP request to a CRM, built by an adapter and sent by `CRMHTTPClient`. Pure data, so the
/// vendor request shapes are tested without a network.
package struct CRMRequest: Sendable, Equatable {
    package var method: String
    package var url: URL
    package var headers: [String: String]
    package var body: Data?

    package init(method: String, url: URL, headers: [String: String] = [:], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// A JSON request to `path` under `base` (the target's URL, which may carry a path prefix).
    package static func json(
        _ method: String, base: URL, path: String, query: [URLQueryItem] = [], headers: [String: String],
        body: (any Encodable)? = nil
    ) throws -> CRMRequest {
        var components = URLComponents(url: base, resolvingAgainstBaseURL: false)!
        let prefix = components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path
        components.path = prefix + path
        if !query.isEmpty { components.queryItems = query }
        var headers = headers
        headers["Accept"] = "application/json"
        var data: Data?
        if let body {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            data = try encoder.encode(body)
            headers["Content-Type"] = "application/json"
        }
        return CRMRequest(method: method, url: components.url!, headers: headers, body: data)
    }
}

/// A CRM's answer.
package struct CRMResponse: Sendable, Equatable {
    package var status: Int
    /// Header names lower-cased.
    package var headers: [String: String]
    package var body: Data

    package init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    package var isSuccess: Bool { (200..<300).contains(status) }

    /// The body as a JSON object, if it is one.
    package var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }
}
