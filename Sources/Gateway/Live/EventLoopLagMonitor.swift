import Live
import NIOCore
import ServiceLifecycle

/// Measures how late this server's event loops run a timer, four times a second, into
/// `LiveLoad`: a loop busy past its capacity runs every timer (and every read) late, so new live
/// calls are refused (1013) from `CALLPIPE_LIVE_MAX_LAG_MS` on, and `/metrics` shows it as
/// `callpipe_event_loop_lag_seconds` (docs/production.md, "Live capacity").
struct EventLoopLagMonitor: Service {
    let group: any EventLoopGroup
    let load: LiveLoad
    var interval: TimeAmount = .milliseconds(250)

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let due = NIODeadline.now() + interval
                let lags = try await withThrowingTaskGroup(of: Double.self) { probes in
                    for loop in group.makeIterator() {
                        probes.addTask {
                            let late = try await loop.scheduleTask(deadline: due) { NIODeadline.now() - due }
                                .futureResult.get()
                            return Double(late.nanoseconds) / 1e9
                        }
                    }
                    return try await probes.reduce(into: [Double]()) { $0.append($1) }
                }
                load.record(lag: lags.max() ?? 0)
            }
        }
    }
}
