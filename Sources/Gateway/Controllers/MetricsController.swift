import Hummingbird
import Pipeline
package import Prometheus

/// `GET /metrics`: Prometheus text format — request metrics recorded through swift-metrics (when
/// the process bootstrapped the metrics system with this registry) plus the pipeline's queue,
/// and CRM deliveries, read from the store at scrape time.
struct MetricsController: Sendable {
    let store: any CallStore
    let registry: PrometheusCollectorRegistry

    func register(on router: Router<GatewayRequestContext>) {
        let calls = registry.makeGauge(name: "callpipe_calls", help: "Calls in the store")
        let queued = registry.makeGauge(name: "callpipe_jobs_queued", help: "Pipeline jobs waiting to run")
        let running = registry.makeGauge(name: "callpipe_jobs_running", help: "Pipeline jobs running")
        let failed = registry.makeGauge(name: "callpipe_jobs_failed", help: "Pipeline jobs failed for good")
        let deliveries = Dictionary(
            uniqueKeysWithValues: CRMDelivery.State.allCases.map { state in
                (
                    state,
                    registry.makeGauge(
                        name: "callpipe_crm_deliveries", labels: [("state", state.rawValue)],
                        help: "CRM deliveries by state (dead: dead-lettered, see GET /api/crm/deliveries?state=dead)")
                )
            })
        router.get("metrics") { _, _ -> Response in
            let statistics = try await store.statistics()
            let counts = try await store.deliveryCounts()
            for (state, gauge) in deliveries { gauge.set(Double(counts[state] ?? 0)) }
            calls.set(Double(statistics.calls))
            queued.set(Double(statistics.queuedJobs))
            running.set(Double(statistics.runningJobs))
            failed.set(Double(statistics.failedJobs))
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}
