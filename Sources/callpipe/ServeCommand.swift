import AIClients
import ArgumentParser
import AsyncHTTPClient
import Configuration
import Foundation
import Gateway
import Hummingbird
import Logging
import Metrics
import MockCRM
import Pipeline
import Prometheus
import ServiceLifecycle
import UnixSignals

/// `callpipe serve [--host H] [--port P] [--data-dir D]`: runs the server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the CallPipe server (default 127.0.0.1:8080, data in ./data).")

    @Option(help: "Address to listen on (CALLPIPE_HOST).")
    var host: String?

    @Option(help: "Port to listen on (CALLPIPE_PORT).")
    var port: Int?

    @Option(help: "Directory for the database and recordings (CALLPIPE_DATA_DIR).")
    var dataDir: String?

    func run() async throws {
        let reader = try await ConfigurationReader.make()
        let configuration: GatewayConfiguration
        let liveConfiguration: LiveSessionConfiguration
        let crmConfiguration: CRMConfiguration
        let pipelineConfiguration: PipelineWorkerConfiguration
        do {
            configuration = try GatewayConfiguration(reader: reader, host: host, port: port, dataDirectory: dataDir)
            liveConfiguration = try LiveSessionConfiguration(reader: reader)
            crmConfiguration = try CRMConfiguration(reader: reader)
            pipelineConfiguration = try PipelineWorkerConfiguration(reader: reader)
        } catch {
            throw CommandFailure(message: String(describing: error), exitCode: 2)
        }
        let logger = Logger(label: "callpipe")
        let metrics = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics))
        try FileManager.default.createDirectory(
            atPath: configuration.storage.dataDirectory, withIntermediateDirectories: true)
        let store = try SQLiteCallStore(
            path: (configuration.storage.dataDirectory as NSString).appendingPathComponent("callpipe.sqlite"))
        // This process is the database's only worker: jobs left running were a dead process's.
        let events = CallEventBus()
        let recovery = RestartRecovery(
            store: store, recordingsDirectory: configuration.uploads.directory,
            maxCrashes: pipelineConfiguration.maxCrashes, events: events, logger: logger)
        try await recovery.recover()
        let crm = CRMSetup(
            configuration: crmConfiguration, reader: reader, host: configuration.host, port: configuration.port)
        for target in crm.targets {
            logger.info("CRM target", metadata: ["crm.target": "\(target)"])
        }
        var devKeys: (supervisor: String, agent: String)?
        if reader.bool(forKey: "callpipe.dev.mode", default: true) {
            let (key, record) = APIKeys.make(role: .supervisor, agentID: nil, label: "dev mode, printed at start")
            try await store.insertAPIKey(record)
            // The dashboard's upload starts calls as an agent: one to paste there.
            let (agent, agentRecord) = APIKeys.make(
                role: .agent, agentID: "dev-agent", label: "dev mode, printed at start")
            try await store.insertAPIKey(agentRecord)
            devKeys = (key, agent)
        }
        let printedKeys = devKeys
        // Enough connections for every live request at once plus the post-call stages'.
        let httpClient = try AIHTTPClientFactory.make(
            caFile: configuration.ai.caFile, connections: max(128, configuration.ai.liveConcurrency + 8))
        let local = LocalWhisperConfiguration.locate(explicit: configuration.ai.localWhisperDirectory)
        do {
            try await AIProvider.withServices(
                configuration.ai, httpClient: httpClient, localWhisper: local, logger: logger
            ) { services in
                var workerConfiguration = pipelineConfiguration
                workerConfiguration.crmTargets = crm.targets.map(\.ref)
                let delivery = CRMDeliveryService(
                    outbox: store, directory: crm.directory,
                    http: CRMHTTPClient(client: .shared, timeout: crmConfiguration.timeout),
                    configuration: crmConfiguration, events: events, logger: logger)
                let workers = PipelineWorkerService(
                    store: store,
                    runner: StageRunner(
                        store: store, transcriber: services.transcriber, analyzer: services.analyzer, logger: logger),
                    configuration: workerConfiguration, events: events, logger: logger)
                let live = LiveSessionManager(
                    directory: configuration.uploads.directory, configuration: liveConfiguration,
                    services: LiveServices(
                        store: store, events: events, transcriber: services.liveTranscriber,
                        analyzer: services.liveAnalyzer, freeSpace: configuration.storage.freeSpace),
                    logger: logger)
                // CALLPIPE_WORKERS=0 accepts and stores uploads without processing them (an API-only node).
                let application = try buildApplication(
                    configuration, store: store, events: events, metrics: metrics, live: live,
                    crmTargets: crm.targets, mockCRM: crm.mock,
                    services: workerConfiguration.concurrency > 0 ? [live, workers, delivery] : [live], logger: logger,
                    onServerRunning: { port in
                        await crm.serverRunning(port: port)
                        if let printedKeys {
                            Self.printDevModeKeys(printedKeys, host: configuration.host, port: port)
                        }
                    })
                // SIGTERM/SIGINT shut down gracefully (streams closed, jobs and deliveries left to
                // their leases); whatever has not finished after 15 s is cancelled, so the process
                // always exits in bounded time (systemd, Kubernetes and the tests rely on it).
                var group = ServiceGroupConfiguration(
                    services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
                group.maximumGracefulShutdownDuration = .seconds(15)
                group.maximumCancellationDuration = .seconds(5)
                do {
                    try await ServiceGroup(configuration: group).run()
                } catch {
                    await recovery.releaseAfterShutdown()
                    throw error
                }
                // Jobs and deliveries the shutdown cut short are queued again, not counted as crashes.
                await recovery.releaseAfterShutdown()
            }
            try await httpClient.shutdown()
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
    }

    /// Prints the dev-mode keys with the dashboard's sign-in URL, once the port is known (it may
    /// be `--port 0`). Written unbuffered, so it shows at once even when stdout is a file or a pipe.
    static func printDevModeKeys(_ keys: (supervisor: String, agent: String), host: String, port: Int) {
        // A wildcard address is not one to browse to: this machine is.
        let shown = ["0.0.0.0", "::", ""].contains(host) ? "127.0.0.1" : host
        let base = "http://\(shown.contains(":") ? "[\(shown)]" : shown):\(port)"
        FileHandle.standardOutput.write(
            Data(
                """
                CallPipe dev mode: supervisor key \(keys.supervisor)
                  dashboard: \(base)/?token=\(keys.supervisor)
                  agent key for the dashboard's uploads (agent dev-agent): \(keys.agent)
                  curl -H 'Authorization: Bearer \(keys.supervisor)' \(base)/api/calls/history

                """.utf8))
    }
}
