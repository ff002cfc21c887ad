import Live
import Prometheus
import Synchronization

/// The live calls' series of `/metrics` (docs/production.md, "Live capacity"), set at each scrape.
final class LiveMetrics: Sendable {
    let calls: Gauge
    let limit: Gauge
    let connected: Gauge
    let backlog: Gauge
    let transcriptionLag: Gauge
    let frameLag: Gauge
    let eventLoopLag: Gauge
    let refused: [String: Counter]
    /// What each refusal counter showed at the last scrape (counters only go up by the difference).
    let counted: Mutex<[String: Int]>

    init(registry: PrometheusCollectorRegistry) {
        calls = registry.makeGauge(
            name: "callpipe_live_calls", help: "Live calls on this node (streaming or awaiting a reconnect)")
        limit = registry.makeGauge(
            name: "callpipe_live_calls_limit",
            help: "New live calls past this many are refused with 1013 (CALLPIPE_LIVE_MAX_CALLS)")
        connected = registry.makeGauge(name: "callpipe_live_streams", help: "Live streams connected to this node")
        backlog = registry.makeGauge(
            name: "callpipe_live_transcription_backlog",
            help: "Final utterances of live calls waiting for transcription")
        transcriptionLag = registry.makeGauge(
            name: "callpipe_live_transcription_lag_seconds",
            help: "Call time between the oldest utterance waiting for transcription and now, worst call")
        frameLag = registry.makeGauge(
            name: "callpipe_live_frame_lag_seconds",
            help: "How far a live stream's audio arrives behind the wall clock, worst stream (about 0.2 s is normal)")
        eventLoopLag = registry.makeGauge(
            name: "callpipe_event_loop_lag_seconds",
            help:
                "How late the event loops ran a timer, worst of the last 5 s (new live calls are refused past CALLPIPE_LIVE_MAX_LAG_MS)"
        )
        refused = Dictionary(
            uniqueKeysWithValues: ["limit", "overload", "agent"].map { reason in
                (
                    reason,
                    registry.makeCounter(
                        name: "callpipe_live_refused_total", labels: [("reason", reason)],
                        help: "New live calls refused with 1013, by reason")
                )
            })
        counted = Mutex([:])
    }

    func update(_ report: LiveLoadReport) {
        calls.set(Double(report.calls))
        limit.set(Double(report.limit))
        connected.set(Double(report.connected))
        backlog.set(Double(report.pendingUtterances))
        transcriptionLag.set(report.transcriptionLag)
        frameLag.set(report.frameLag)
        eventLoopLag.set(report.eventLoopLag)
        counted.withLock { counted in
            for (reason, counter) in refused {
                let total = report.refused[reason] ?? 0
                let new = total - (counted[reason] ?? 0)
                if new > 0 { counter.increment(by: Int64(new)) }
                counted[reason] = total
            }
        }
    }
}
