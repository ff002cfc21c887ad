package import Foundation

/// Where and as whom a Dialpad connector reads: the API's base URL (`CALLPIPE_DIALPAD_URL`, the
/// mock's in tests), a company admin's API key with `calls:list`, and the department synced.
package struct DialpadConfiguration: Sendable {
    package static let defaultBaseURL = URL(string: "https://dialpad.com")!

    package var baseURL: URL
    package var apiKey: String
    package var departmentID: String
    package var policy = VendorRequestPolicy()
    /// Headers sent with every request besides the key (the dev-mode mocks' admin key).
    package var extraHeaders: [(String, String)] = []

    package init(baseURL: URL = Self.defaultBaseURL, apiKey: String, departmentID: String) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.departmentID = departmentID
    }
}
