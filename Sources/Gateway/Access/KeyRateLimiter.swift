import Synchronization

/// A token bucket per API key: `rate` requests a second sustained, bursts of `burst`. Time comes
/// from `now` (seconds on a monotonic clock), so tests move it instead of sleeping.
///
/// Memory is bounded: past `maxKeys` buckets, full ones (keys idle long enough to have refilled)
/// are forgotten, which changes nothing for them.
package final class KeyRateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    package let rate: Double
    package let burst: Double
    private let maxKeys: Int
    private let now: @Sendable () -> Double
    private let buckets = Mutex<[String: Bucket]>([:])

    package init(
        rate: Double, burst: Int, maxKeys: Int = 100_000,
        now: @escaping @Sendable () -> Double = KeyRateLimiter.monotonic
    ) {
        self.rate = rate
        self.burst = Double(burst)
        self.maxKeys = maxKeys
        self.now = now
    }

    /// Takes one request's token for `key`: `nil` when allowed, else the seconds until one is due.
    package func take(_ key: String) -> Double? {
        let time = now()
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: time)
            bucket.tokens = min(burst, bucket.tokens + max(0, time - bucket.updated) * rate)
            bucket.updated = time
            defer {
                if buckets.count >= maxKeys, buckets[key] == nil {
                    Self.prune(&buckets, at: time, rate: rate, burst: burst)
                }
                buckets[key] = bucket
            }
            guard bucket.tokens >= 1 else { return (1 - bucket.tokens) / rate }
            bucket.tokens -= 1
            return nil
        }
    }

    private static func prune(_ buckets: inout [String: Bucket], at time: Double, rate: Double, burst: Double) {
        buckets = buckets.filter { $0.value.tokens + (time - $0.value.updated) * rate < burst }
    }

    package static let monotonic: @Sendable () -> Double = {
        let start = ContinuousClock.now
        return { @Sendable in
            let elapsed = ContinuousClock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
    }()
}
