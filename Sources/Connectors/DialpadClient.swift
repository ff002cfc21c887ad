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
            + configuration.extraHeaders
    }

    /// A call's recording. The key goes only to the API's own host: a recording URL elsewhere
    /// (a vendor's storage link, or a page that lies) is fetched without it.
    package func recording(_ url: URL) async throws(ConnectorError) -> Data {
        let base = configuration.baseURL
        let sameHost = url.scheme == base.scheme && url.host == base.host && url.port == base.port
        return try await http.get(url, headers: sameHost ? headers.filter { $0.0 != "Accept" } : [])
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
        return try await http.getJSON(
            DialpadCallPage.self, base: configuration.baseURL, path: "api/v2/call", query: query, headers: headers,
            what: "call page")
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
        let answer = try await http.getJSON(
            Answer.self, base: configuration.baseURL, path: path, headers: headers, what: "operator list")
        var operators: [String: DialpadOperator] = [:]
        for user in answer.users ?? [] {
            let name =
                user.display_name
                ?? [user.first_name, user.last_name].compactMap { $0 }.joined(separator: " ").nilIfEmpty
            operators[user.id.idText] = DialpadOperator(id: user.id.idText, name: name, email: user.emails?.first)
        }
        return operators
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000).rounded()) }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
