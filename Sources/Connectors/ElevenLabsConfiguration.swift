package import Foundation

/// Where and as whom an ElevenLabs connector reads: the API's base URL
/// (`CALLPIPE_ELEVENLABS_URL`, the mock's in tests), an API key (`xi-api-key`) and the
/// Conversational AI agent whose conversations are synced.
package struct ElevenLabsConfiguration: Sendable {
    package static let defaultBaseURL = URL(string: "https://api.elevenlabs.io")!

    package var baseURL: URL
    package var apiKey: String
    package var agentID: String
    /// Conversations per list page (ElevenLabs allows up to 100).
    package var pageSize = 100
    package var policy = VendorRequestPolicy()
    /// Headers sent with every request besides the key (the dev-mode mocks' admin key).
    package var extraHeaders: [(String, String)] = []

    package init(baseURL: URL = Self.defaultBaseURL, apiKey: String, agentID: String) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.agentID = agentID
    }
}
