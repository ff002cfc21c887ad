import Connectors
import Synchronization
import Testing

/// `RequestPacer`: one pace for a run's requests, learnt from the vendor's 429s. On a clock the
/// tests move, so nothing depends on how fast the machine is.
struct RequestPacerTests {
    /// A clock the test moves.
    final class TestClock: Sendable {
        private let instant = Mutex(ContinuousClock.now)
        var now: ContinuousClock.Instant { instant.withLock { $0 } }
        func advance(_ seconds: Double) { instant.withLock { $0 += .seconds(seconds) } }
    }

    let clock = TestClock()

    func pacer() -> RequestPacer {
        let clock = clock
        return RequestPacer(clock: { clock.now })
    }

    @Test func nothingWaitsUntilTheVendorLimits() {
        let pacer = pacer()
        for _ in 0..<50 {
            let slot = pacer.reserve()
            #expect(slot.wait == 0)
            pacer.answered(slot)
        }
        #expect(pacer.requestsPerSecond == nil)
    }

    @Test func after429EveryRequestWaitsTogetherThenGoesAtTheRateLetThrough() throws {
        let pacer = pacer()
        for _ in 0..<40 { pacer.answered(pacer.reserve()) }
        let waiting = pacer.reserve()
        pacer.limited(pacer.reserve(), retryAfter: 2, fallback: 1)
        #expect(!pacer.isCurrent(waiting))  // Given before the 429: it takes a new slot.
        let rate = try #require(pacer.requestsPerSecond)
        #expect(abs(rate - 38) < 0.01)  // 95 % of the 40 answered in the last second.
        let first = pacer.reserve()
        let second = pacer.reserve()
        let third = pacer.reserve()
        #expect(pacer.isCurrent(first))
        #expect(abs(first.wait - 2) < 1e-9)
        #expect(abs((second.wait - first.wait) - 1 / 38) < 1e-9)
        #expect(abs((third.wait - second.wait) - 1 / 38) < 1e-9)
        // Once the slots given are past, the next request goes at once.
        clock.advance(10)
        #expect(pacer.reserve().wait == 0)
    }

    @Test func the429sOfOneEpisodeLowerThePaceOnce() throws {
        let pacer = pacer()
        for _ in 0..<20 { pacer.answered(pacer.reserve()) }
        let inFlight = (0..<3).map { _ in pacer.reserve() }
        pacer.limited(inFlight[0], retryAfter: nil, fallback: 0.5)
        let paced = try #require(pacer.requestsPerSecond)
        #expect(abs(paced - 19) < 0.01)
        // The other requests sent at the old pace meet the same window: no further cut.
        pacer.limited(inFlight[1], retryAfter: nil, fallback: 0.5)
        pacer.limited(inFlight[2], retryAfter: nil, fallback: 0.5)
        #expect(pacer.requestsPerSecond == paced)
        // A request sent at the new pace and refused lowers it by the back-off.
        pacer.limited(pacer.reserve(), retryAfter: nil, fallback: 0.5)
        #expect(abs(try #require(pacer.requestsPerSecond) - paced * 0.85) < 0.01)
    }

    @Test func tooFewAnswersToJudgeOnlySharesTheWait() {
        let pacer = pacer()
        for _ in 0..<3 { pacer.answered(pacer.reserve()) }
        pacer.limited(pacer.reserve(), retryAfter: 3, fallback: 1)
        #expect(pacer.requestsPerSecond == nil)
        let first = pacer.reserve()
        let second = pacer.reserve()
        #expect(first.wait == 3 && second.wait == 3)  // Both wait the vendor's 3 s, neither longer.
    }

    @Test func aFailedProbeGoesBackToThePaceThatHeldAndProbesLessOften() throws {
        let pacer = pacer()
        for _ in 0..<40 { pacer.answered(pacer.reserve()) }
        pacer.limited(pacer.reserve(), retryAfter: 0, fallback: 0)
        let learnt = try #require(pacer.requestsPerSecond)
        clock.advance(4.9)
        pacer.answered(pacer.reserve())
        #expect(try #require(pacer.requestsPerSecond) == learnt)  // Not held long enough yet.
        clock.advance(0.2)
        pacer.answered(pacer.reserve())  // Held for 5 s: one probe up.
        #expect(abs(try #require(pacer.requestsPerSecond) - learnt * 1.05) < 0.01)
        pacer.limited(pacer.reserve(), retryAfter: 0, fallback: 0)
        #expect(abs(try #require(pacer.requestsPerSecond) - learnt) < 0.01)  // Back to what held.
        clock.advance(6)
        pacer.answered(pacer.reserve())
        #expect(abs(try #require(pacer.requestsPerSecond) - learnt) < 0.01)  // Now waits 10 s to probe.
        clock.advance(4.1)
        pacer.answered(pacer.reserve())
        #expect(abs(try #require(pacer.requestsPerSecond) - learnt * 1.05) < 0.01)
        // Back to what held again; a 429 at that pace (none held since) lowers it by the back-off.
        pacer.limited(pacer.reserve(), retryAfter: 0, fallback: 0)
        pacer.limited(pacer.reserve(), retryAfter: 0, fallback: 0)
        #expect(abs(try #require(pacer.requestsPerSecond) - learnt * 0.85) < 0.01)
    }
}
