import Foundation

/// When and how long to wait before sending a failed request again: exponential backoff with
/// full jitter, overridden by the server's `retry-after-ms` / `Retry-After` when it sends one.
package struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included.
    package var maxAttempts: Int = 4
    /// The first backoff (before jitter); each further retry doubles it.
    package var baseDelay: Double = 0.5
    /// The longest backoff we choose ourselves.
    package var maxDelay: Double = 20
    /// The longest wait a server's Retry-After may impose before we give up waiting that long.
    package var maxServerDelay: Double = 60

    package init(maxAttempts: Int = 4, baseDelay: Double = 0.5, maxDelay: Double = 20, maxServerDelay: Double = 60) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxServerDelay = maxServerDelay
    }

    /// Seconds to wait after failed attempt number `attempt` (1-based).
    package func delay(
        afterAttempt attempt: Int, serverDelay: Double?, random: Double = Double.random(in: 0...1)
    ) -> Double {
        if let serverDelay { return min(max(0, serverDelay), maxServerDelay) }
        // Nearly full jitter, with a floor so a retry never fires immediately.
        return Backoff(baseDelay: baseDelay, maxDelay: maxDelay, jitter: 0.9).delay(
            afterAttempt: attempt, random: random)
    }

    /// The wait a response asks for: `retry-after-ms` (milliseconds, OpenAI's), else
    /// `Retry-After` as `RetryAfter` reads it (seconds or an HTTP date).
    package static func serverDelay(headers: [(name: String, value: String)]) -> Double? {
        func value(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name }?.value.trimmingCharacters(in: .whitespaces)
        }
        if let milliseconds = value("retry-after-ms").flatMap(Double.init), milliseconds >= 0 {
            return milliseconds / 1_000
        }
        return value("retry-after").flatMap { RetryAfter.seconds($0) }
    }
}
