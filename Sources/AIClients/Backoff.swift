/// The one backoff rule of the product: the ceiling doubles with each failed attempt from
/// `baseDelay` up to `maxDelay`, and `jitter` of it is random, so that many retries that failed
/// together do not come back together. AI requests, pipeline jobs and CRM deliveries each keep
/// their own numbers (docs/ARCHITECTURE.md, Conventions).
package struct Backoff: Sendable, Equatable {
    /// The first ceiling, in seconds.
    package var baseDelay: Double
    /// The largest ceiling, in seconds.
    package var maxDelay: Double
    /// The random share of each delay, 0…1: with 0.5 a delay is between half the ceiling and the
    /// ceiling; with 0 it is the ceiling.
    package var jitter: Double

    package init(baseDelay: Double, maxDelay: Double, jitter: Double) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = min(1, max(0, jitter))
    }

    /// The ceiling after failed attempt number `attempt` (1-based): `baseDelay · 2^(attempt−1)`,
    /// at most `maxDelay`.
    package func ceiling(afterAttempt attempt: Int) -> Double {
        min(maxDelay, baseDelay * Double(1 << min(max(0, attempt - 1), 30)))
    }

    /// Seconds to wait after failed attempt number `attempt`; `random` is uniform in 0…1.
    package func delay(afterAttempt attempt: Int, random: Double = Double.random(in: 0...1)) -> Double {
        ceiling(afterAttempt: attempt) * (1 - jitter + jitter * min(1, max(0, random)))
    }
}
