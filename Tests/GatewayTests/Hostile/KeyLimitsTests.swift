import Synchronization
import Testing

@testable import Gateway

@Suite("Per-key limits", .timeLimit(.minutes(3)))
struct KeyLimitsTests {
    final class FakeClock: Sendable {
        let seconds = Mutex(0.0)
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
    }

    @Test func theTokenBucketAllowsABurstThenTheSustainedRate() {
        let clock = FakeClock()
        let limiter = KeyRateLimiter(rate: 2, burst: 3, now: { clock.seconds.withLock { $0 } })
        #expect((0..<3).allSatisfy { _ in limiter.take("k") == nil })
        let wait = limiter.take("k")
        #expect(wait == 0.5)
        #expect(limiter.take("other") == nil)
        clock.advance(0.5)
        #expect(limiter.take("k") == nil)
        #expect(limiter.take("k") != nil)
        clock.advance(1_000)  // A long idle never grows past the burst.
        #expect((0..<3).allSatisfy { _ in limiter.take("k") == nil } && limiter.take("k") != nil)
    }

    @Test func bucketsOfManyKeysStayBounded() {
        let clock = FakeClock()
        let limiter = KeyRateLimiter(rate: 1, burst: 1, maxKeys: 100, now: { clock.seconds.withLock { $0 } })
        for index in 0..<10_000 {
            _ = limiter.take("key-\(index)")
            clock.advance(0.01)
        }
        #expect(limiter.take("key-9999") != nil, "a recent key's bucket survives pruning")
    }

    @Test func slotsArePerKeyAndReturned() {
        let slots = KeySlots(limit: 2)
        #expect(slots.acquire("a") && slots.acquire("a") && !slots.acquire("a"))
        #expect(slots.acquire("b"))
        slots.release("a")
        #expect(slots.acquire("a"))
    }
}
