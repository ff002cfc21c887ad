import AIClients
import ArgumentParser
import AsyncHTTPClient
import Audio
import CRM
import CallPipeCore
import Configuration
import Foundation
import Gateway
import Hummingbird
import Live
import Logging
import Metrics
import NIOPosix
import Pipeline
import PostgresStore
import Prometheus
import Redaction
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

    func validate() throws {
        if let port, !(0...65_535).contains(port) { throw ValidationError("--port must be 0 to 65535") }
    }

    func run() async throws {
        let reader = try await ConfigurationReader.make()
        let configuration: GatewayConfiguration
        var liveConfiguration: LiveSessionConfiguration
        let crmConfiguration: CRMConfiguration
        let pipelineConfiguration: PipelineWorkerConfiguration
        var redaction: RedactionConfiguration
        do {
            configuration = try GatewayConfiguration(reader: reader, host: host, port: port, dataDirectory: dataDir)
            liveConfiguration = try LiveSessionConfiguration(reader: reader)
            redaction = try RedactionConfiguration(reader: reader)
            crmConfiguration = try CRMConfiguration(reader: reader)
            pipelineConfiguration = try PipelineWorkerConfiguration(reader: reader)
        } catch {
            throw CommandFailure(message: String(describing: error), exitCode: 2)
        }
        let devMode = try DevMode.resolve(reader.string(forKey: "callpipe.dev.mode"), host: configuration.host)
        let logger = Logger(label: "callpipe")
        FileDescriptorLimit.raise(logger: logger)
        let metrics = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics))
        try FileManager.default.createDirectory(
            atPath: configuration.storage.dataDirectory, withIntermediateDirectories: true)
        do {
            // The audit's hashes compare across restarts and nodes (docs/redaction.md "Audit").
            redaction.auditKey = try SecretBox.load(
                environmentValue: reader.string(forKey: "callpipe.secret.key"),
                dataDirectory: configuration.storage.dataDirectory
            ).derivedKey(purpose: "callpipe:redaction:audit")
        } catch {
            throw CommandFailure(message: error.message, exitCode: 2)
        }
        liveConfiguration.redaction = redaction
        let storage = try await ConfiguredRecordingStorage.make(
            reader: reader, dataDirectory: configuration.storage.dataDirectory,
            recordingsDirectory: configuration.uploads.directory, logger: logger)
        try await ConfiguredStore.with(configuration.storage, nodeID: nodeID(reader), logger: logger) { store in
            // In a cluster every line a node logs names it.
            let node = (store as? PostgresCallStore)?.nodeID ?? nodeID(reader)
            var logger = logger
            if let node { logger[metadataKey: "node.id"] = "\(node)" }
            try await serve(
                store: store, storage: storage, nodeID: node, configuration: configuration, live: liveConfiguration,
                crm: crmConfiguration, pipeline: pipelineConfiguration, devMode: devMode, reader: reader,
                metrics: metrics, logger: logger)
        }
    }

    /// `CALLPIPE_NODE_ID`: this node's name on the jobs and deliveries it claims in a shared
    /// database, and in its logs; made up at start when unset.
    private func nodeID(_ reader: ConfigReader) -> String? {
        reader.string(forKey: "callpipe.node.id")
    }

    private func serve(
        store: any ConfiguredStore.Store, storage: any RecordingStorage, nodeID: String?,
        configuration: GatewayConfiguration,
        live liveConfiguration: LiveSessionConfiguration,
        crm crmConfiguration: CRMConfiguration, pipeline pipelineConfiguration: PipelineWorkerConfiguration,
        devMode: Bool,
        reader: ConfigReader, metrics: PrometheusCollectorRegistry, logger: Logger
    ) async throws {
        // Jobs left running with a lapsed lease were a dead process's (SQLite: every one; a shared
        // PostgreSQL: those whose lease ran out).
        let events = CallEventBus()
        let recovery = RestartRecovery(
            store: store, recordingsDirectory: configuration.uploads.directory,
            maxCrashes: pipelineConfiguration.maxCrashes, events: events, logger: logger)
        try await recovery.recover()
        // Keys printed by earlier dev-mode starts die with the run that printed them.
        let revoked = try await store.revokeDevModeKeys(now: Date())
        if revoked > 0 { logger.info("Revoked earlier dev-mode keys", metadata: ["keys": "\(revoked)"]) }
        var devKeys: DevModeKeys?
        if devMode {
            devKeys = try await DevModeKeys.issue(in: store)
        } else {
            logger.info("Dev mode is off: no keys printed, no mock CRM", metadata: ["host": "\(configuration.host)"])
        }
        let crm = CRMSetup(
            configuration: crmConfiguration, reader: reader, host: configuration.host, port: configuration.port,
            devAdminKey: devKeys?.admin)
        for target in crm.targets {
            logger.info("CRM target", metadata: ["crm.target": "\(target)"])
        }
        let printedKeys = devKeys
        // Enough connections for every live request at once plus the post-call stages'.
        let httpClient = try AIHTTPClientFactory.make(
            caFile: configuration.ai.caFile, connections: max(128, configuration.ai.liveConcurrency + 8))
        let local = LocalWhisperConfiguration.locate(explicit: configuration.ai.localWhisperDirectory)
        // Recordings decode on a pool of their own (CALLPIPE_DECODE_THREADS), so long decodes
        // wait for each other, never uploads and other blocking work on the shared pool.
        let decoderPool = NIOThreadPool(numberOfThreads: configuration.decoding.threads)
        decoderPool.start()
        let decoder = AudioFileDecoder(configuration: configuration.decoding, threadPool: decoderPool)
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
                var runner = StageRunner(
                    store: store, recordingAnalyzer: RecordingAnalyzer(decoder: decoder),
                    transcriber: services.transcriber, analyzer: services.analyzer, storage: storage, logger: logger)
                runner.redaction = liveConfiguration.redaction
                // Imported voice-bot calls keep the vendor's transcript (docs/connectors.md).
                runner.vendorTranscript = { try await store.vendorTranscript(callID: $0) }
                let workers = PipelineWorkerService(
                    store: store, runner: runner, configuration: workerConfiguration, events: events, logger: logger)
                let connectors = try ConnectorSetup(
                    store: store, storage: storage, reader: reader, dataDirectory: configuration.storage.dataDirectory,
                    recordingsDirectory: configuration.uploads.directory, decoder: decoder, host: configuration.host,
                    devAdminKey: printedKeys?.admin, logger: logger)
                let live = LiveSessionManager(
                    directory: configuration.uploads.directory, configuration: liveConfiguration,
                    services: LiveServices(
                        store: store, events: events, transcriber: services.liveTranscriber,
                        analyzer: services.liveAnalyzer, freeSpace: configuration.storage.freeSpace,
                        storage: storage,
                        // On a shared PostgreSQL database, live calls are claimed in the cluster.
                        cluster: (store as? PostgresCallStore).map { ($0, $0.nodeID) }),
                    logger: logger)
                // CALLPIPE_WORKERS=0 accepts and stores uploads without processing them (an API-only node).
                var services: [any Service] = workerConfiguration.concurrency > 0 ? [workers, delivery] : []
                services.append(connectors.service)
                // On a shared PostgreSQL database, rooms span the nodes (docs/ARCHITECTURE.md §15).
                if let postgres = store as? PostgresCallStore {
                    services.append(PostgresEventRelay(store: postgres, bus: events, logger: logger))
                }
                let application = try buildApplication(
                    configuration, store: store, events: events, metrics: metrics, live: live,
                    crmTargets: crm.targets, adminRoutes: crm.adminRoutes + connectors.adminRoutes, services: services,
                    storage: storage, nodeID: nodeID, connectors: connectors.service, logger: logger,
                    onServerRunning: { port in
                        await crm.serverRunning(port: port)
                        do {
                            try await connectors.serverRunning(port: port)
                        } catch {
                            logger.error("The mock vendors could not be set up", metadata: ["error": "\(error)"])
                        }
                        if let printedKeys {
                            Self.printDevModeKeys(printedKeys, host: configuration.host, port: port)
                        }
                    })
                // SIGTERM/SIGINT shut down gracefully (streams closed, jobs and deliveries left to
                // their leases); whatever has not finished after 15 s is cancelled, so the process
                // always exits in bounded time (systemd, Kubernetes and the tests rely on it).
                // Shut down in reverse order: the live calls first, ended (or handed over) with
                // their streams closed with a reason and their recordings stored while the server
                // still runs; then the server, which waits for its connections.
                var group = ServiceGroupConfiguration(
                    services: [application, live], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
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
            // The workers have stopped; their decodes were cancelled with them.
            try await decoderPool.shutdownGracefully()
        } catch {
            try? await httpClient.shutdown()
            try? await decoderPool.shutdownGracefully()
            throw error
        }
    }

    /// Prints the dev-mode keys with the dashboard's sign-in URL, once the port is known (it may
    /// be `--port 0`). Written unbuffered, so it shows at once even when stdout is a file or a pipe.
    static func printDevModeKeys(_ keys: DevModeKeys, host: String, port: Int) {
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
                  mock CRM (admin key): curl -H 'X-CallPipe-Key: \(keys.admin)' \(base)/_mock/requests
                  connectors, archives and voice-bot KPIs (admin): \(base)/?token=\(keys.admin)
                  these keys are revoked at the next start

                """.utf8))
    }
}
