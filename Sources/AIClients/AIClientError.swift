import Foundation

/// The one error type of the AIClients module.
///
/// A code to switch on (retry decisions, CLI exit code 4, HTTP 502/503 later), a message that
/// says what failed and what to do, the HTTP status when there was one, and the provider's own
/// error text. Messages never contain the API key: every text that came from a server is passed
/// through ``AIClientError/masking(_:in:)`` first.
package struct AIClientError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Code: String, Sendable, Equatable {
        /// The AI settings are unusable; the message names the setting to fix.
        case configuration
        /// The key was rejected (401) or lacks permission (403).
        case unauthorized
        /// Too many requests (429) and retries ran out.
        case rateLimited
        /// The account has no quota left (429 `insufficient_quota`): retrying cannot help.
        case quotaExceeded
        /// The server rejected the request (other 4xx): retrying cannot help.
        case badRequest
        /// The server failed (5xx, 408, 409) and retries ran out.
        case serverError
        /// No complete answer within the request timeout.
        case timeout
        /// The connection failed (refused, reset, TLS) and retries ran out.
        case connection
        /// The answer was larger than the response size limit.
        case responseTooLarge
        /// The answer could not be understood (not JSON, missing fields, invalid against the schema).
        case invalidResponse
        /// The model refused to answer.
        case refusal
        /// The model stopped at its output limit (`finish_reason: "length"`): the answer is cut off.
        case truncatedOutput
        /// The local transcription server could not be started.
        case localServer
    }

    package var code: Code
    package var message: String
    /// The HTTP status of the failed answer, when there was one.
    package var status: Int?

    package init(_ code: Code, _ message: String, status: Int? = nil) {
        self.code = code
        self.message = message
        self.status = status
    }

    /// Whether sending the same request again may succeed.
    package var isRetryable: Bool {
        switch code {
        case .rateLimited, .serverError, .timeout, .connection: true
        default: false
        }
    }

    package var description: String { message }

    /// `text` with every occurrence of `secret` (and its long prefixes, as servers echo
    /// "Incorrect API key provided: sk-abc***") replaced by a mask.
    package static func masking(_ text: String, in secret: String?) -> String {
        guard let secret, secret.count >= 8 else { return text }
        var masked = text.replacingAll(secret, with: "sk-***")
        // Servers often echo a truncated key; hide any 12-character run of it too.
        let characters = Array(secret)
        for start in stride(from: 0, to: characters.count - 12, by: 1) {
            let piece = String(characters[start..<(start + 12)])
            if masked.contains(piece) { masked = masked.replacingAll(piece, with: "***") }
        }
        return masked
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        return components(separatedBy: target).joined(separator: replacement)
    }
}
