/// Limits and policies of the HTTP layer under the AI clients.
package struct OpenAITransportConfiguration: Sendable, Equatable {
    /// e.g. `https://api.openai.com/v1`; request paths are appended.
    package var baseURL: String
    /// Sent as `Authorization: Bearer`; `nil` for servers that need none (the local one).
    package var apiKey: String?
    /// Seconds one attempt may take, response body included.
    package var requestTimeout: Double = 180
    /// Larger answers are refused (a transcript or analysis is a few hundred KiB at most).
    package var maxResponseBytes: Int = 8 * 1_024 * 1_024
    /// Requests in flight at once against this provider.
    package var maxConcurrentRequests: Int = 4
    package var retry: RetryPolicy = .init()

    package init(baseURL: String, apiKey: String?) {
        self.baseURL = baseURL
        self.apiKey = apiKey
    }
}
