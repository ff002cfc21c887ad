import Synchronization

/// How far behind this node's event loops run, as measured by the gateway's lag monitor: the
/// signal that admits or refuses new live calls before the calls already streaming degrade
/// (docs/ARCHITECTURE.md §12, "Live capacity"). Written by one monitor, read by every new call.
package final class LiveLoad: Sendable {
    /// The worst lag of each of the last `window` samples (the monitor takes one every 250 ms).
    private let samples = Mutex<[Double]>([])
    private let window: Int

    package init(window: Int = 20) {
        self.window = window
    }

    /// Records the worst lateness (seconds) of a timer on any event loop in one sample.
    package func record(lag: Double) {
        samples.withLock { samples in
            samples.append(max(0, lag))
            if samples.count > window { samples.removeFirst(samples.count - window) }
        }
    }

    /// The worst event-loop lag (seconds) of the last few seconds (`/metrics`).
    package var eventLoopLag: Double {
        samples.withLock { $0.max() ?? 0 }
    }

    /// The lag (seconds) at least half of the last few seconds' samples reached: what admission
    /// goes by, so that one slow moment (a large upload parsed, a database checkpoint) does not
    /// turn calls away, while a machine past its capacity — late on every tick — does.
    package var sustainedLag: Double {
        samples.withLock { samples in
            guard !samples.isEmpty else { return 0 }
            return samples.sorted()[samples.count / 2]
        }
    }
}
