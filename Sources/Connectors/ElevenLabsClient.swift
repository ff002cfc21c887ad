package import AsyncHTTPClient
package import Foundation

/// ElevenLabs Conversational AI as a sync reads it: an agent's conversations in a time window page
/// by page, each conversation's details, and its audio (docs/connectors.md).
package struct ElevenLabsClient: Sendable {
    package let configuration: ElevenLabsConfiguration
    package var http: VendorHTTPClient

    package init(configuration: ElevenLabsConfiguration, client: HTTPClient = .shared) {
        self.configuration = configuration
        http = VendorHTTPClient(client: client, policy: configuration.policy, vendor: "ElevenLabs")
    }

    private var headers: [(String, String)] {
        [("xi-api-key", configuration.apiKey), ("Accept", "application/json")] + configuration.extraHeaders
    }

    /// One page of the agent's conversations that started in `window` (whole seconds, as the
    /// API filters); `cursor` is the previous page's `next_cursor`, `nil` for the first.
    package func conversationPage(in window: Range<Date>, cursor: String?) async throws(ConnectorError)
        -> ElevenLabsConversationPage
    {
        var query = [
            URLQueryItem(name: "agent_id", value: configuration.agentID),
            URLQueryItem(name: "call_start_after_unix", value: String(Int64(window.lowerBound.timeIntervalSince1970))),
            URLQueryItem(name: "call_start_before_unix", value: String(Int64(window.upperBound.timeIntervalSince1970))),
            URLQueryItem(name: "page_size", value: String(configuration.pageSize)),
        ]
        if let cursor { query.append(URLQueryItem(name: "cursor", value: cursor)) }
        return try await http.getJSON(
            ElevenLabsConversationPage.self, base: configuration.baseURL, path: "v1/convai/conversations",
            query: query, headers: headers, what: "conversation page")
    }

    /// One conversation's transcript, analysis and metadata.
    package func conversation(_ id: String) async throws(ConnectorError) -> ElevenLabsConversation {
        try await http.getJSON(
            ElevenLabsConversation.self, base: configuration.baseURL,
            path: "v1/convai/conversations/\(Self.escaped(id))",
            headers: headers, what: "conversation")
    }

    /// The conversation's recording, as ElevenLabs serves it (MP3).
    package func audio(_ id: String) async throws(ConnectorError) -> Data {
        try await http.get(
            VendorHTTPClient.url(
                base: configuration.baseURL, path: "v1/convai/conversations/\(Self.escaped(id))/audio", query: []),
            headers: [("xi-api-key", configuration.apiKey)] + configuration.extraHeaders)
    }

    /// An id as one path segment (ids are the vendor's, never trusted to be URL-safe).
    static func escaped(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_"))) ?? id
    }
}
