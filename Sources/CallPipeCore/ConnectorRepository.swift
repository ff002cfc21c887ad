package import AIClients
package import Foundation

/// What the connectors keep (docs/connectors.md): their settings, their sync runs (the sync log),
/// the calls they imported (unique by vendor + vendor id), schedule claims and monthly archives.
/// Every method is one transaction.
package protocol ConnectorRepository: Sendable {
    func connectorSettings(_ kind: ConnectorKind) async throws -> ConnectorSettings?

    func saveConnectorSettings(_ settings: ConnectorSettings) async throws

    /// Stores `run` as running unless a run of its kind is running already: then that run is
    /// returned, `started` false (one run per connector at a time, across nodes).
    func startSyncRun(_ run: SyncRun) async throws -> (run: SyncRun, started: Bool)

    /// A running run whose claim expired (its node stopped), now claimed by `holder` until
    /// `leaseUntil`; `nil` when there is none.
    func claimAbandonedSyncRun(holder: String, now: Date, leaseUntil: Date) async throws -> SyncRun?

    /// Stores one page: each call inserted, or updated in place when the vendor changed it (a
    /// new one also becomes a CallPipe call with `source` the vendor), and the run's cursor,
    /// counters and claim — all or nothing.
    func commitSyncPage(_ page: SyncPage, now: Date) async throws -> SyncPage.Result

    /// Ends a run: its status, error and finish time.
    @discardableResult
    func finishSyncRun(id: String, status: SyncRun.Status, error: String?, requests: Int, now: Date) async throws
        -> SyncRun

    func syncRun(id: String) async throws -> SyncRun?

    /// The sync log, newest first.
    func syncRuns(kind: ConnectorKind?, limit: Int) async throws -> [SyncRun]

    /// Imported calls of `vendor` whose audio is still to be fetched, oldest first.
    func importedCallsAwaitingAudio(vendor: String, limit: Int) async throws -> [ImportedCallRef]

    /// Attaches an imported call's audio: the recording stored with its first job (once: a
    /// recording with the same id is not added again) and the audio marked fetched, atomically.
    func attachImportedAudio(_ recording: StoredRecording, vendor: String, vendorID: String, now: Date) async throws

    /// Marks an imported call's audio given up on, with the reason: the call is done without it.
    func markImportedAudio(vendor: String, vendorID: String, failure: String?, now: Date) async throws

    /// The columns of the calls of `vendor` (every vendor when nil) that started in `range`,
    /// oldest first; with `sessionsOnly`, only voice-bot conversations.
    func importedRows(vendor: String?, in range: Range<Date>, sessionsOnly: Bool) async throws -> [ImportedCallRow]

    /// The voice-bot sessions started in `range`, summed per UTC day, direction and outcome, and
    /// counted per set of criteria results.
    func voiceBotGroups(in range: Range<Date>) async throws -> VoiceBotGroups

    /// The imported calls of `vendor` (every vendor when nil) started in `range`, counted per
    /// agent, UTC day, direction and completion.
    func agentActivityGroups(vendor: String?, in range: Range<Date>) async throws -> [AgentActivityGroup]

    /// The vendor's own transcript of an imported call, when the vendor gave one.
    func vendorTranscript(callID: String) async throws -> Transcript?

    /// Claims the firing of schedule `name` at `fire` for `holder`: true for exactly one node per
    /// firing (it had not been claimed for this or a later time).
    func claimScheduleFire(name: String, fire: Date, holder: String, now: Date) async throws -> Bool

    /// The last firing of schedule `name` claimed by any node.
    func lastScheduleFire(name: String) async throws -> Date?

    /// Stores (or replaces) a month's archive.
    func saveArchive(_ archive: StoredArchive) async throws

    /// The archives, newest month first.
    func archives() async throws -> [StoredArchive]
}

extension ConnectorRepository {
    /// Imported calls of `vendor` (all vendors when nil) that started in `range`, as agent
    /// activity reads them (no transcript).
    package func importedCalls(vendor: String?, in range: Range<Date>) async throws -> [ImportedCall] {
        try await importedRows(vendor: vendor, in: range, sessionsOnly: false).map(\.call)
    }

    /// The voice-bot sessions of the calls imported from bot platforms, started in `range`.
    package func voiceBotSessions(in range: Range<Date>) async throws -> [VoiceBotSession] {
        try await importedRows(vendor: nil, in: range, sessionsOnly: true).compactMap(\.session)
    }
}
