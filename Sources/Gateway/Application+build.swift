import AIClients
import Audio
package import CRM
package import CallPipeCore
package import Connectors
import Foundation
import HTTPTypes
package import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
package import Live
package import Logging
import NIOCore
import NIOPosix
package import Prometheus
package import ServiceLifecycle

/// Builds the CallPipe server: prepares the data directory, registers the controllers behind
/// error mapping and authentication, and returns an application ready for `runService()` that
/// also runs `services` (the pipeline workers, the live session manager). Without `live`, the
/// server takes no live streams. `adminRoutes` (the dev-mode mock CRM) answer only with an admin
/// key. Without a key only `GET /health` (up or down) and the dashboard's files answer.
/// `rateClock` (seconds on a monotonic clock) times the request-rate limits; tests pass their own.
package func buildApplication(
    _ configuration: GatewayConfiguration, store: any CallStore, events: CallEventBus = CallEventBus(),
    metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), live: LiveSessionManager? = nil,
    crmTargets: [CRMTarget] = [], adminRoutes: [any AdminRoutes] = [], services: [any Service] = [],
    storage: (any RecordingStorage)? = nil, nodeID: String? = nil, connectors: ConnectorService? = nil,
    logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in },
    rateClock: @escaping @Sendable () -> Double = KeyRateLimiter.monotonic
) throws -> some ApplicationProtocol {
    try prepareDataDirectory(configuration.storage.dataDirectory)
    let access = configuration.access
    let limiter = KeyRateLimiter(rate: access.requestsPerSecond, burst: access.burst, now: rateClock)
    var auth = AuthMiddleware(keys: store, limiter: limiter)
    auth.failures = KeyRateLimiter(rate: 5, burst: 50, now: rateClock)
    let router = Router(context: GatewayRequestContext.self)
    router.add(middleware: ErrorMappingMiddleware())
    router.add(middleware: MetricsMiddleware())
    // The dashboard's files answer whatever no route does (so `/`, never `/api/...`), without a key.
    if let directory = configuration.dashboard.directory {
        router.add(middleware: DashboardMiddleware(directory: directory, logger: logger))
    } else {
        router.get("/") { _, _ -> Response in
            throw APIError(
                .notFound, "dashboard_missing",
                "the dashboard's files (Public/ with index.html) were not found; set CALLPIPE_PUBLIC_DIR")
        }
    }
    let storage = storage ?? LocalRecordingStorage(directory: configuration.uploads.directory)
    HealthController(configuration: configuration, store: store, storage: storage, nodeID: nodeID, auth: auth)
        .register(on: router)
    let metricsController = MetricsController(
        store: store, registry: metrics, live: live,
        node: [
            ("node_id", nodeID ?? "single"), ("database", configuration.storage.databaseKind),
            ("recordings", storage.kind),
        ])
    var metricsAuth = auth
    metricsAuth.roles = [.supervisor, .admin]
    metricsController.register(on: router.group().add(middleware: metricsAuth))
    for mounted in adminRoutes {
        var admin = auth
        admin.roles = [.admin]
        admin.keyHeader = AuthMiddleware.adminKeyHeader
        mounted.register(on: router.group(RouterPath(mounted.pathPrefix)).add(middleware: admin))
    }
    let api = router.group().add(middleware: auth).add(middleware: NoStoreMiddleware())
    OpenAPIController().register(on: api)
    AnalyticsController(store: store).register(on: api)
    CallsController(
        store: store, uploads: configuration.uploads, storage: storage,
        probe: AudioFileDecoder(configuration: configuration.decoding), live: live,
        uploadSlots: KeySlots(limit: access.maxUploadsPerKey)
    ).register(on: api)
    AgentsController(store: store).register(on: api)
    CRMController(store: store, targets: crmTargets).register(on: api)
    ConnectorsController(connectors: connectors).register(on: api)
    // WebSocket upgrades go through their own router, with the same error mapping and auth; only
    // they may carry the key as `?token=` (browsers cannot set headers on a WebSocket).
    let webSocketRouter = Router(context: GatewayRequestContext.self)
    webSocketRouter.add(middleware: ErrorMappingMiddleware())
    var webSocketAuth = auth
    webSocketAuth.acceptsQueryToken = true
    let rooms = webSocketRouter.group().add(middleware: webSocketAuth)
    RoomsController(store: store, events: events).register(on: rooms)
    var stream = LiveStreamConfiguration()
    if let live { stream.readInterval = live.readInterval }
    if let live { LiveStreamController(store: store, live: live, configuration: stream).register(on: rooms) }
    // A plain GET of a WebSocket path (no upgrade) comes to this router: once the key and the
    // query are checked, 426.
    api.get("ws") { request, context in try upgradeRequired(request, context) }
    if live != nil {
        api.get("api/calls/:id/stream") { request, context in
            _ = try LiveStreamController.streamProtocol(request)
            return try upgradeRequired(request, context)
        }
    }
    // Last, so it only sees what no route answered: 405 for a known path's other methods.
    var routes = router.routes.map { (path: $0.path, method: $0.method) }
    if configuration.dashboard.directory != nil { routes += [("/", .get), ("/", .head)] }
    router.add(middleware: MethodNotAllowedMiddleware(routes: routes))
    var allServices = services
    // The event loops' lag (the application runs on the shared group) admits or refuses new live calls.
    if let live {
        allServices.append(EventLoopLagMonitor(group: MultiThreadedEventLoopGroup.singleton, load: live.load))
    }
    if let metricsPort = access.metricsPort {
        allServices.append(
            metricsController.listener(host: configuration.host, port: metricsPort, logger: logger))
    }
    logger.info(
        "CallPipe configured",
        metadata: [
            "data.dir": "\(configuration.storage.dataDirectory)",
            "ai.provider": "\(configuration.ai.provider.rawValue)",
            "ai.api_key": "\(configuration.ai.maskedAPIKey)",
            "dashboard.dir": "\(configuration.dashboard.directory ?? "(not found)")",
            "rate_limit.rps": "\(access.requestsPerSecond)",
            "metrics.port": "\(access.metricsPort.map(String.init) ?? "(main port, with a key)")",
        ])
    let webSocketResponder = webSocketRouter.buildResponder()
    let channelConfiguration = HTTP1WebSocketUpgradeChannel.Configuration(
        http1: .init(idleTimeout: .milliseconds(Int64(access.idleTimeout * 1_000))),
        ws: .init(
            maxFrameSize: max(RoomsController.maxMessageBytes, stream.maxMessageBytes),
            autoPing: .enabled(timePeriod: .seconds(30))))
    let headTimeout = TimeAmount.milliseconds(Int64(access.requestHeadTimeout * 1_000))
    let server = HTTPServerBuilder { responder in
        HeadDeadlineChildChannel(
            inner: HTTP1WebSocketUpgradeChannel(
                responder: responder, webSocketResponder: webSocketResponder, configuration: channelConfiguration),
            timeout: headTimeout)
    }
    return Application(
        router: router,
        server: server,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "CallPipe"),
        services: allServices,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: logger)
}

private func upgradeRequired(_ request: Request, _ context: GatewayRequestContext) throws -> Response {
    var response = try APIError(
        .upgradeRequired, "upgrade_required", "this is a WebSocket endpoint: open it with an upgrade request"
    ).response(from: request, context: context)
    response.headers[.upgrade] = "websocket"
    return response
}

private func prepareDataDirectory(_ path: String) throws {
    do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
        throw GatewayError(.storage, "cannot create the data directory \(path): \(error.localizedDescription)")
    }
    guard FileManager.default.isWritableFile(atPath: path) else {
        throw GatewayError(.storage, "the data directory \(path) is not writable")
    }
}
