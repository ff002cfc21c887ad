import AIClients
import Foundation
import HTTPTypes
package import Hummingbird
import HummingbirdWebSocket
package import Logging
package import MockCRM
package import Pipeline
package import Prometheus
package import ServiceLifecycle

/// Builds the CallPipe server: prepares the data directory, registers the controllers behind
/// error mapping and authentication, and returns an application ready for `runService()` that
/// also runs `services` (the pipeline workers, the live session manager). Without `live`, the
/// server takes no live streams.
package func buildApplication(
    _ configuration: GatewayConfiguration, store: any CallStore, events: CallEventBus = CallEventBus(),
    metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), live: LiveSessionManager? = nil,
    crmTargets: [CRMTarget] = [], mockCRM: MockCRM? = nil, services: [any Service] = [], logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    try prepareDataDirectory(configuration.storage.dataDirectory)
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
    HealthController(configuration: configuration, store: store).register(on: router)
    MetricsController(store: store, registry: metrics).register(on: router)
    OpenAPIController().register(on: router)
    // The mock CRM checks the vendors' own credentials, not ours.
    mockCRM?.register(on: router)
    let api = router.group().add(middleware: AuthMiddleware(store: store))
    AnalyticsController(store: store).register(on: api)
    CallsController(store: store, uploads: configuration.uploads, live: live).register(on: api)
    AgentsController(store: store).register(on: api)
    CRMController(store: store, targets: crmTargets).register(on: api)
    // WebSocket upgrades go through their own router, with the same error mapping and auth.
    let webSocketRouter = Router(context: GatewayRequestContext.self)
    webSocketRouter.add(middleware: ErrorMappingMiddleware())
    let rooms = webSocketRouter.group().add(middleware: AuthMiddleware(store: store))
    RoomsController(store: store, events: events).register(on: rooms)
    let stream = LiveStreamConfiguration()
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
    logger.info(
        "CallPipe configured",
        metadata: [
            "data.dir": "\(configuration.storage.dataDirectory)",
            "ai.provider": "\(configuration.ai.provider.rawValue)",
            "ai.api_key": "\(configuration.ai.maskedAPIKey)",
            "dashboard.dir": "\(configuration.dashboard.directory ?? "(not found)")",
        ])
    return Application(
        router: router,
        server: .http1WebSocketUpgrade(
            webSocketRouter: webSocketRouter,
            configuration: .init(
                ws: .init(
                    maxFrameSize: max(RoomsController.maxMessageBytes, stream.maxMessageBytes),
                    autoPing: .enabled(timePeriod: .seconds(30))))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "CallPipe"),
        services: services,
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
