package import Foundation

/// One call to an OpenAI-compatible endpoint, before transport: pure data, built and tested
/// without a network.
package struct OpenAIRequest: Sendable, Equatable {
    /// The path below the base URL, e.g. `/audio/transcriptions`.
    package var path: String
    package var contentType: String
    package var body: Data
    /// What the request is for, in logs and error messages ("transcription of chunk-003.flac").
    package var purpose: String

    package init(path: String, contentType: String, body: Data, purpose: String) {
        self.path = path
        self.contentType = contentType
        self.body = body
        self.purpose = purpose
    }
}

/// A successful (2xx) answer.
package struct OpenAIResponse: Sendable, Equatable {
    package var status: Int
    package var contentType: String?
    package var body: Data

    package init(status: Int, contentType: String?, body: Data) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}
