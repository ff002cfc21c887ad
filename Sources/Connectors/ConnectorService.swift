import AIClients
package import Analytics
package import AsyncHTTPClient
package import CallPipeCore
package import Foundation
package import Logging
import ServiceLifecycle
import Synchronization

/// The connectors on a node (docs/connectors.md): their settings (keys sealed), manual and
/// scheduled sync runs, runs resumed after a node stopped, and the monthly archives. Runs happen
/// in this service's task group, one per connector at a time across all nodes; with several nodes
/// each schedule firing is claimed by one.
package final class ConnectorService: Service {
    package typealias Store = ConnectorRepository & CallAnalytics

    package let store: any Store
    package let secrets: SecretBox
    private let settingsOfNode: Mutex<ConnectorServiceConfiguration>
    package let sync: ConnectorSync
    package let archives: ArchiveKeeper
    private let client: HTTPClient
    private let logger: Logger
    private let queue: AsyncStream<SyncRun>
    private let queued: AsyncStream<SyncRun>.Continuation
    /// When this service started: schedules never configured before count from here.
    private let startedAt = Date()

    package init(
        store: any Store, secrets: SecretBox, configuration: ConnectorServiceConfiguration, sync: ConnectorSync,
        archives: ArchiveKeeper, client: HTTPClient = .shared, logger: Logger
    ) {
        self.store = store
        self.secrets = secrets
        settingsOfNode = Mutex(configuration)
        var sync = sync
        sync.lease = configuration.lease  // One lease for the runs this node starts and renews.
        self.sync = sync
        self.archives = archives
        self.client = client
        self.logger = logger
        (queue, queued) = AsyncStream.makeStream(of: SyncRun.self)
    }

    package var configuration: ConnectorServiceConfiguration { settingsOfNode.withLock { $0 } }

    /// Points the connectors of `kinds` (those without a base URL of their own) at the mocks
    /// mounted under `baseURL` (dev mode: `<server>/_mock`, known once the server listens), whose
    /// requests carry `headers`.
    package func useMocks(baseURL: String, headers: [(String, String)], for kinds: [ConnectorKind]) {
        settingsOfNode.withLock { configuration in
            configuration.mockBaseURL = baseURL
            configuration.mockHeaders = headers
            for kind in kinds { configuration.defaultBaseURLs[kind] = URL(string: "\(baseURL)/\(kind.rawValue)")! }
        }
    }

    // MARK: Settings

    package func settings(_ kind: ConnectorKind) async throws -> ConnectorSettings {
        try await store.connectorSettings(kind) ?? ConnectorSettings(kind: kind, updatedAt: startedAt)
    }

    package func status(_ kind: ConnectorKind) async throws -> ConnectorStatus {
        let settings = try await settings(kind)
        let schedule = try? CronSchedule(settings.schedule)
        return ConnectorStatus(
            kind: kind, enabled: settings.enabled, apiKey: settings.apiKeyMask, targetID: settings.targetID,
            baseURL: configuration.baseURL(settings).absoluteString, schedule: settings.schedule,
            pausedReason: settings.pausedReason, lastRun: try await store.syncRuns(kind: kind, limit: 1).first,
            nextRunAt: settings.enabled && settings.isConfigured && settings.pausedReason == nil
                ? schedule?.next(after: Date()) : nil)
    }

    /// Applies `update`; a wrong schedule or base URL is refused with the reason, a new base URL
    /// without the key drops the stored key, and any change lifts a pause (the key or the target
    /// was what the vendor refused).
    package func update(_ kind: ConnectorKind, _ update: ConnectorUpdate) async throws -> ConnectorStatus {
        let before = try await settings(kind)
        var settings = before
        if let schedule = update.schedule {
            settings.schedule = try CronSchedule(schedule).description
        }
        if let base = update.baseURL {
            let trimmed = base.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                settings.baseURL = nil
            } else {
                guard let url = URL(string: trimmed), ["http", "https"].contains(url.scheme ?? ""), url.host != nil
                else {
                    throw CallPipeError(.invalid, "base_url must be an http or https URL")
                }
                settings.baseURL = trimmed
            }
        }
        if let target = update.targetID {
            let trimmed = target.trimmingCharacters(in: .whitespaces)
            guard trimmed.count <= 200 else { throw CallPipeError(.invalid, "target_id is longer than 200 characters") }
            settings.targetID = trimmed.isEmpty ? nil : trimmed
        }
        if let key = update.apiKey {
            let trimmed = key.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed.count <= 4_096 else {
                throw CallPipeError(.invalid, "api_key is longer than 4096 characters")
            }
            settings.sealedAPIKey = trimmed.isEmpty ? nil : try secrets.seal(trimmed, for: settings.secretContext)
            settings.apiKeyMask = trimmed.isEmpty ? nil : SecretBox.mask(trimmed)
        }
        if let enabled = update.enabled { settings.enabled = enabled }
        // The key goes to the base URL: one moved elsewhere without the key given again drops
        // the key, so no one can send a stored key to a server of their choosing.
        if update.apiKey == nil, configuration.baseURL(settings) != configuration.baseURL(before) {
            settings.sealedAPIKey = nil
            settings.apiKeyMask = nil
        }
        settings.pausedReason = nil
        settings.updatedAt = Date()
        try await store.saveConnectorSettings(settings)
        return try await status(kind)
    }

    // MARK: Runs

    /// The window a run reads when none is given: from the end of the last successful run (or the
    /// first of this month, UTC) to now.
    package func defaultWindow(_ kind: ConnectorKind, now: Date) async throws -> Range<Date> {
        let runs = try await store.syncRuns(kind: kind, limit: 50)
        let monthStart = Calendar.utc.date(from: Calendar.utc.dateComponents([.year, .month], from: now))!
        let from = runs.first { $0.status == .succeeded }.map(\.windowTo) ?? monthStart
        return min(from, now)..<now
    }

    /// Starts a run in the background (the API's "run now" and the schedules): `started` false
    /// with the running run when one is going already.
    package func startSync(_ kind: ConnectorKind, window: Range<Date>?, trigger: SyncRun.Trigger) async throws
        -> (run: SyncRun, started: Bool)
    {
        let (run, started) = try await begin(kind, window: window, trigger: trigger)
        if started { queued.yield(run) }
        return (run, started)
    }

    /// Runs a sync here and now (the CLI): returns the finished run.
    package func runSync(_ kind: ConnectorKind, window: Range<Date>?, trigger: SyncRun.Trigger) async throws -> SyncRun
    {
        let (run, started) = try await begin(kind, window: window, trigger: trigger)
        guard started else {
            throw CallPipeError(.conflict, "a \(kind.rawValue) sync is running already (\(run.id))")
        }
        return try await execute(run)
    }

    private func begin(_ kind: ConnectorKind, window: Range<Date>?, trigger: SyncRun.Trigger) async throws
        -> (run: SyncRun, started: Bool)
    {
        let settings = try await settings(kind)
        guard settings.isConfigured else {
            throw CallPipeError(
                .invalid, "the \(kind.displayName) connector needs an API key and \(kind.targetName) first")
        }
        let now = Date()
        var window = window
        if window == nil { window = try await defaultWindow(kind, now: now) }
        return try await store.startSyncRun(
            SyncRun(
                kind: kind, trigger: trigger, window: window!, startedAt: now, holder: configuration.holder,
                leaseUntil: now.addingTimeInterval(configuration.lease)))
    }

    /// Runs `run` with a source made from the connector's current settings.
    private func execute(_ run: SyncRun) async throws -> SyncRun {
        guard run.trigger != .demo else {
            // seed-demo's import reads the mock vendors, which live only in that command.
            return try await store.finishSyncRun(
                id: run.id, status: .failed, error: "a demo import cut off; run seed-demo again", requests: 0,
                now: Date())
        }
        let source: any ConnectorSource
        do {
            source = try self.source(try await settings(run.kind))
        } catch {
            let message = (error as? CallPipeError)?.message ?? "\(error)"
            return try await store.finishSyncRun(id: run.id, status: .failed, error: message, requests: 0, now: Date())
        }
        return try await sync.run(run, source: source)
    }

    /// A client for the connector's vendor, with the key opened.
    package func source(_ settings: ConnectorSettings) throws -> any ConnectorSource {
        guard let sealed = settings.sealedAPIKey, let target = settings.targetID else {
            throw CallPipeError(.invalid, "the \(settings.kind.displayName) connector has no API key or target")
        }
        let key = try secrets.open(sealed, for: settings.secretContext)
        let base = configuration.baseURL(settings)
        var policy = VendorRequestPolicy()
        policy.requestBudget = configuration.requestBudget
        policy.timeout = configuration.timeout
        switch settings.kind {
        case .dialpad:
            var dialpad = DialpadConfiguration(baseURL: base, apiKey: key, departmentID: target)
            dialpad.policy = policy
            dialpad.extraHeaders = configuration.extraHeaders(for: base)
            return DialpadSource(client: DialpadClient(configuration: dialpad, client: client))
        case .elevenlabs:
            var elevenLabs = ElevenLabsConfiguration(baseURL: base, apiKey: key, agentID: target)
            elevenLabs.policy = policy
            elevenLabs.extraHeaders = configuration.extraHeaders(for: base)
            return ElevenLabsSource(client: ElevenLabsClient(configuration: elevenLabs, client: client))
        }
    }

    // MARK: Service

    /// Resumes runs whose node stopped, runs what is started, and fires the schedules, until
    /// shutdown. A run cut off by shutdown stays running and is resumed at the next start.
    package func run() async throws {
        await cancelWhenGracefulShutdown { [self] in
            await withDiscardingTaskGroup { group in
                group.addTask { [self] in
                    if configuration.resumeAllAtStart { await resumeAll() }
                    while !Task.isCancelled {
                        await tick(now: Date())
                        try? await Task.sleep(for: configuration.tick)
                    }
                    queued.finish()
                }
                for await run in queue {
                    group.addTask { [self] in await runLogged(run) }
                }
            }
        }
    }

    /// Every run left running, resumed (a single node's start).
    private func resumeAll() async {
        do {
            // Any claim a stopped process held ends within a lease of now; the runs taken over get
            // a claim past that horizon, so the loop ends once each has been taken once.
            let horizon = Date().addingTimeInterval(configuration.lease + 1)
            while let run = try await store.claimAbandonedSyncRun(
                holder: configuration.holder, now: horizon, leaseUntil: horizon.addingTimeInterval(configuration.lease))
            {
                logger.info(
                    "Resuming a sync run cut off by a stop",
                    metadata: ["sync.run": "\(run.id)", "pages": "\(run.pages)"])
                queued.yield(run)
            }
        } catch {
            logger.error("Sync runs left running could not be resumed", metadata: ["error": "\(error)"])
        }
    }

    private func runLogged(_ run: SyncRun) async {
        do {
            _ = try await execute(run)
        } catch is CancellationError {
            logger.info("Sync stopped by shutdown; it resumes at the next start", metadata: ["sync.run": "\(run.id)"])
        } catch {
            logger.error("Sync could not be run", metadata: ["sync.run": "\(run.id)", "error": "\(error)"])
        }
    }

    /// One look at the work: abandoned runs resumed, due schedule firings (including the one
    /// missed while the server was down) claimed and started.
    package func tick(now: Date) async {
        do {
            while let run = try await store.claimAbandonedSyncRun(
                holder: configuration.holder, now: now, leaseUntil: now.addingTimeInterval(configuration.lease))
            {
                logger.info("Resuming a sync run", metadata: ["sync.run": "\(run.id)", "pages": "\(run.pages)"])
                queued.yield(run)
            }
            for kind in ConnectorKind.allCases {
                let settings = try await settings(kind)
                guard settings.enabled, settings.isConfigured, settings.pausedReason == nil,
                    let schedule = try? CronSchedule(settings.schedule)
                else { continue }
                let name = "sync:\(kind.rawValue)"
                let since = try await store.lastScheduleFire(name: name) ?? max(settings.updatedAt, startedAt)
                guard let fire = schedule.missedRun(since: since, now: now),
                    try await store.claimScheduleFire(name: name, fire: fire, holder: configuration.holder, now: now)
                else { continue }
                _ = try await startSync(kind, window: nil, trigger: .schedule)
            }
            let archiveName = "archive:monthly"
            let since = try await store.lastScheduleFire(name: archiveName) ?? startedAt
            if let fire = configuration.archiveSchedule.missedRun(since: since, now: now),
                try await store.claimScheduleFire(name: archiveName, fire: fire, holder: configuration.holder, now: now)
            {
                let month = ArchiveKeeper.previousMonth(of: fire)
                let archive = try await archives.archive(month: month)
                logger.info("Month archived", metadata: ["month": "\(month)", "calls": "\(archive.calls)"])
            }
        } catch {
            logger.error("Connector schedules could not be checked", metadata: ["error": "\(error)"])
        }
    }
}
