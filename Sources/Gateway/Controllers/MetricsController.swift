import CRM
import CallPipeCore
import Hummingbird
import Live
import Logging
import Prometheus
import ServiceLifecycle

/// `GET /metrics`: Prometheus text format — request metrics recorded through swift-metrics (when
/// the process bootstrapped the metrics system with this registry) plus the pipeline's queue,
/// and CRM deliveries, read from the store at scrape time. On the main port it needs a
/// supervisor or admin key; `CALLPIPE_METRICS_PORT` adds a listener that serves only this route,
/// without a key, for a scraper on a private network.
struct MetricsController: Sendable {
    let store: any CallRepository & CRMOutbox
    let registry: PrometheusCollectorRegistry
    private let calls: Gauge
    private let queued: Gauge
    private let running: Gauge
    private let failed: Gauge
    private let deliveries: [CRMDelivery.State: Gauge]
    private let live: LiveSessionManager?
    private let liveGauges: LiveMetrics?

    /// `node` labels `callpipe_node_info` (always 1): which node, database and recording storage a
    /// scrape came from, to join with the other series in a cluster.
    init(
        store: any CallRepository & CRMOutbox, registry: PrometheusCollectorRegistry, live: LiveSessionManager? = nil,
        node: [(String, String)] = []
    ) {
        self.store = store
        self.registry = registry
        self.live = live
        liveGauges = live.map { _ in LiveMetrics(registry: registry) }
        if !node.isEmpty {
            registry.makeGauge(
                name: "callpipe_node_info", labels: node, help: "This node: its id, database and recording storage"
            ).set(Double(1))
        }
        calls = registry.makeGauge(name: "callpipe_calls", help: "Calls in the store")
        queued = registry.makeGauge(name: "callpipe_jobs_queued", help: "Pipeline jobs waiting to run")
        running = registry.makeGauge(name: "callpipe_jobs_running", help: "Pipeline jobs running")
        failed = registry.makeGauge(name: "callpipe_jobs_failed", help: "Pipeline jobs failed for good")
        deliveries = Dictionary(
            uniqueKeysWithValues: CRMDelivery.State.allCases.map { state in
                (
                    state,
                    registry.makeGauge(
                        name: "callpipe_crm_deliveries", labels: [("state", state.rawValue)],
                        help: "CRM deliveries by state (dead: dead-lettered, see GET /api/crm/deliveries?state=dead)")
                )
            })
    }

    func register<Context: RequestContext>(on router: some RouterMethods<Context>) {
        router.get("metrics") { _, _ -> Response in try await scrape() }
    }

    func scrape() async throws -> Response {
        let statistics = try await store.statistics()
        let counts = try await store.deliveryCounts()
        for (state, gauge) in deliveries { gauge.set(Double(counts[state] ?? 0)) }
        calls.set(Double(statistics.calls))
        queued.set(Double(statistics.queuedJobs))
        running.set(Double(statistics.runningJobs))
        failed.set(Double(statistics.failedJobs))
        if let live, let liveGauges { liveGauges.update(await live.loadReport()) }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }

    /// The separate metrics listener, a service run beside the server.
    func listener(host: String, port: Int, logger: Logger) -> some Service {
        let router = Router()
        router.add(middleware: ErrorMappingMiddleware())
        register(on: router)
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "CallPipe-metrics"),
            logger: logger)
    }
}
