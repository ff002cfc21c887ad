package import AsyncHTTPClient
package import Foundation

/// Dialpad's API v2 as a sync reads it: a department's calls in a time window, page by page with
/// Dialpad's cursor, and the department's operators (docs/connectors.md).
package struct DialpadClient: Sendable {
    package let configuration: DialpadConfiguration
    package var http: VendorHTTPClient

    package init(configuration: DialpadConfiguration, client: HTTPClient = .shared) {
        self.configuration = configuration
        http = VendorHTTPClient(client: client, policy: configuration.policy, vendor: "Dialpad")
    }

    private var headers: [(String, String)] {
        [("Authorization", "Bearer \(configuration.apiKey)"), ("Accept", "application/json")]
    }

    /// One page of the department's calls that started in `window` (newest first, as Dialpad
    /// orders them); `cursor` is the previous page's, `nil` for the first.
    package func callPage(in window: Range<Date>, cursor: String?) async throws(ConnectorError) -> DialpadCallPage {
        var query = [
            URLQueryItem(name: "target_id", value: configuration.departmentID),
            URLQueryItem(name: "target_type", value: "department"),
            URLQueryItem(name: "started_after", value: String(Self.milliseconds(window.lowerBound))),
            URLQueryItem(name: "started_before", value: String(Self.milliseconds(window.upperBound))),
        ]
        if let cursor { query.append(URLQueryItem(name: "cursor", value: cursor)) }
        let body = try await http.get(url("api/v2/call", query: query), headers: headers)
        return try decode(DialpadCallPage.self, from: body, what: "call page")
    }

    /// The department's operators by id (users; rooms are not agents).
    package func operators() async throws(ConnectorError) -> [String: DialpadOperator] {
        struct Answer: Decodable {
            struct User: Decodable {
                var id: FlexibleNumber
                var display_name: String?
                var first_name: String?
                var last_name: String?
                var emails: [String]?
            }
            var users: [User]?
        }
        let path = "api/v2/departments/\(configuration.departmentID)/operators"
        let answer = try decode(
            Answer.self, from: try await http.get(url(path, query: []), headers: headers), what: "operator list")
        var operators: [String: DialpadOperator] = [:]
        for user in answer.users ?? [] {
            let name =
                user.display_name
                ?? [user.first_name, user.last_name].compactMap { $0 }.joined(separator: " ").nilIfEmpty
            operators[user.id.idText] = DialpadOperator(id: user.id.idText, name: name, email: user.emails?.first)
        }
        return operators
    }

    private func url(_ path: String, query: [URLQueryItem]) -> URL {
        var components = URLComponents(
            url: configuration.baseURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty { components.queryItems = query }
        return components.url!
    }

    private func decode<Value: Decodable>(_ type: Value.Type, from body: Data, what: String) throws(ConnectorError)
        -> Value
    {
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch {
            throw ConnectorError(
                .malformedResponse, "Dialpad sent a \(what) that is not its documented JSON: \(Self.describe(error))")
        }
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000).rounded()) }

    /// A decoding error as "what, where", without the payload.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(context.debugDescription) at \(path(context).isEmpty ? "the top" : path(context))"
        case .keyNotFound(let key, let context):
            return "no \(key.stringValue) at \(path(context).isEmpty ? "the top" : path(context))"
        case .dataCorrupted(let context):
            return "\(context.debugDescription)\(path(context).isEmpty ? "" : " at \(path(context))")"
        @unknown default:
            return "\(error)"
        }
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
