import Synchronization

/// One pace for every request of a sync run to a vendor, learnt from its rate limiter
/// (docs/connectors.md, "Rate limits"). Until the vendor first answers 429 nothing waits. Then:
/// - every request waits out the vendor's `Retry-After` together (one shared instant, not one
///   per worker, so no worker comes back early into a window the others already spent; a
///   request that was given a slot before the 429 takes a new one);
/// - the run goes on at the rate the vendor let through in the second before the 429, a little
///   under it, the requests spaced evenly instead of in a burst at each window's start (when it
///   let through too few to judge, `minimumToJudge`, only the shared waits apply);
/// - every `probeAfter` seconds without a 429 the pace goes up by `probeUp`, so a pace learnt too
///   low, or a limit raised, is found again;
/// - a later 429 lowers the pace once (the other requests given slots at the old pace meet the
///   same limit and do not lower it again): back to the last pace that held, and the next probe
///   waits twice as long (up to `longestProbeWait`: each failed probe costs a `Retry-After`); when
///   no pace held since, by `backOff`.
package final class RequestPacer: Sendable {
    /// The share of the rate seen before the first 429 the run goes on at.
    static let firstPaceShare = 0.95
    static let backOff = 0.85
    static let probeUp = 1.05
    static let longestProbeWait = 80.0
    /// Requests a second, at least (a vendor limiting per minute still gets some through).
    static let slowest = 0.2
    /// Answers in the second before the first 429 needed to pace by them.
    static let minimumToJudge = 10

    /// When a request may go, and under which pace it was given.
    package struct Slot: Sendable {
        /// Seconds to wait before sending (0: now).
        package var wait: Double
        /// Counts each 429 episode: a slot of an earlier one is stale.
        package var epoch: Int
    }

    private struct State {
        /// Seconds between request starts; nil while the vendor has not limited the run.
        var interval: Double?
        /// The earliest start of the next request.
        var next: ContinuousClock.Instant
        var epoch = 0
        /// When the pace last changed (probes wait `probeWait` from it).
        var changed: ContinuousClock.Instant
        var probeWait: Double
        /// The interval before the last probe, once it held for `probeWait`.
        var lastHeld: Double?
        /// When the requests answered in the last second were answered (oldest first).
        var answered: [ContinuousClock.Instant] = []
    }

    private let state: Mutex<State>
    private let probeAfter: Double
    private let clock: @Sendable () -> ContinuousClock.Instant

    /// `probeAfter`: seconds a pace must hold before the first probe; `clock` tells the time
    /// (tests move their own).
    package init(
        probeAfter: Double = 5, clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        let now = clock()
        self.probeAfter = probeAfter
        self.clock = clock
        state = Mutex(State(interval: nil, next: now, changed: now, probeWait: probeAfter))
    }

    /// Requests a second while paced; nil before the vendor's first 429.
    package var requestsPerSecond: Double? { state.withLock { $0.interval.map { 1 / $0 } } }

    /// Gives the next request its slot.
    package func reserve() -> Slot {
        let now = clock()
        return state.withLock { state in
            let start = max(now, state.next)
            if let interval = state.interval { state.next = start + .seconds(interval) }
            return Slot(wait: Self.seconds(start - now), epoch: state.epoch)
        }
    }

    /// Whether a slot is still good to send on: false when a 429 came while it waited.
    package func isCurrent(_ slot: Slot) -> Bool { state.withLock { $0.epoch == slot.epoch } }

    /// A request sent on `slot` was answered (not 429).
    package func answered(_ slot: Slot) {
        let now = clock()
        state.withLock { state in
            state.answered.append(now)
            Self.forget(before: now - .seconds(1), in: &state.answered)
            guard let interval = state.interval, now - state.changed >= .seconds(state.probeWait) else { return }
            state.lastHeld = interval
            state.interval = interval / Self.probeUp
            state.changed = now
        }
    }

    /// A request sent on `slot` was answered 429; the vendor asked to wait `retryAfter` seconds
    /// (else `fallback`). Every slot given from now starts after that.
    package func limited(_ slot: Slot, retryAfter: Double?, fallback: Double) {
        let now = clock()
        state.withLock { state in
            state.next = max(state.next, now + .seconds(retryAfter ?? fallback))
            guard slot.epoch == state.epoch else { return }
            state.epoch += 1
            state.changed = now
            let rate: Double
            if let interval = state.interval {
                if let held = state.lastHeld, held > interval {
                    state.interval = held
                    state.lastHeld = nil
                    state.probeWait = min(state.probeWait * 2, Self.longestProbeWait)
                    return
                }
                state.lastHeld = nil
                state.probeWait = probeAfter
                rate = Self.backOff / interval
            } else {
                Self.forget(before: now - .seconds(1), in: &state.answered)
                guard state.answered.count >= Self.minimumToJudge else { return }
                rate = Self.firstPaceShare * Double(state.answered.count)
            }
            state.interval = 1 / max(Self.slowest, rate)
        }
    }

    private static func forget(before cutoff: ContinuousClock.Instant, in times: inout [ContinuousClock.Instant]) {
        guard let first = times.firstIndex(where: { $0 >= cutoff }) else {
            times.removeAll(keepingCapacity: true)
            return
        }
        if first > 0 { times.removeFirst(first) }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
