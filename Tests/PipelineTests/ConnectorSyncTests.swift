import AIClients
import Analytics
import Crypto
import Foundation
import Logging
import MockVendors
import Testing

@testable import CallPipeCore
@testable import Connectors
@testable import SQLiteStore

/// Syncs against the mock Dialpad and ElevenLabs over real HTTP, into a real store
/// (docs/connectors.md): many pages, a run cut off and resumed by another node without
/// duplicates, 429 storms, a broken page, a refused key, schedules on an injected clock, archives.
@Suite("Connector syncs", .timeLimit(.minutes(3)))
struct ConnectorSyncTests {
    /// 2025-12-01 00:00 UTC, ten days.
    static let tenDays = Date(timeIntervalSince1970: 1_764_547_200)..<Date(timeIntervalSince1970: 1_765_411_200)

    /// A node's connectors over `store`, talking to the mocks at `dialpad` / `elevenLabs`.
    struct Node {
        let service: ConnectorService
        let store: SQLiteCallStore
        let directory: URL

        init(store: SQLiteCallStore, directory: URL, holder: String, dialpad: URL?, elevenLabs: URL?) {
            var configuration = ConnectorServiceConfiguration()
            if let dialpad { configuration.defaultBaseURLs[.dialpad] = dialpad }
            if let elevenLabs { configuration.defaultBaseURLs[.elevenlabs] = elevenLabs }
            configuration.holder = holder
            configuration.lease = 30
            var logger = Logger(label: "connector-test")
            logger.logLevel = .critical
            let storage = LocalRecordingStorage(directory: directory.appendingPathComponent("recordings").path)
            let sync = ConnectorSync(
                store: store, storage: storage, recordingsDirectory: storage.directory, holder: holder, logger: logger)
            let archives = ArchiveKeeper(
                store: store, storage: storage, directory: directory.appendingPathComponent("archives").path)
            service = ConnectorService(
                store: store, secrets: SecretBox(key: ConnectorSyncTests.key), configuration: configuration,
                sync: sync, archives: archives, logger: logger)
            self.store = store
            self.directory = directory
        }
    }

    static let key = SymmetricKey(size: .bits256)

    static func withNode<Result: Sendable>(
        dialpad: URL? = nil, elevenLabs: URL? = nil, _ body: (Node) async throws -> Result
    ) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteCallStore()
        return try await body(
            Node(store: store, directory: directory, holder: "node-a", dialpad: dialpad, elevenLabs: elevenLabs))
    }

    static func expectedCalls(_ state: MockDialpadState, _ window: Range<Date>) async -> [MockDialpadState.Call] {
        await state.calls(
            startedAfter: Int64(window.lowerBound.timeIntervalSince1970 * 1_000),
            startedBefore: Int64(window.upperBound.timeIntervalSince1970 * 1_000))
    }

    @Test func importsEveryCallOfManyPagesOnceWithTheirRecordings() async throws {
        let state = MockDialpadState(apiKey: "dp_live_key_1234", calls: 400, window: Self.tenDays)
        try await MockDialpad.run(state: state) { _, base in
            try await Self.withNode(dialpad: base) { node in
                _ = try await node.service.update(
                    .dialpad, ConnectorUpdate(apiKey: "dp_live_key_1234", targetID: state.departmentID))
                let run = try await node.service.runSync(.dialpad, window: Self.tenDays, trigger: .cli)
                let expected = await Self.expectedCalls(state, Self.tenDays)
                #expect(run.status == .succeeded && run.error == nil)
                #expect(run.pages == 16 && run.callsNew == expected.count && run.callsFailed == 0)
                let recorded = expected.filter(\.recorded).count
                // Operators once, 16 pages, one recording per recorded call: the requests the mock answered.
                #expect(run.requests == 1 + 16 + recorded)
                #expect(await state.requests == run.requests)
                let history = try await node.store.history(.init(pageSize: 100, filter: .init(source: "dialpad")))
                #expect(history.total == expected.count)
                var recordings = 0
                for call in try await node.store.history(.init(pageSize: 500, filter: .init(source: "dialpad"))).calls {
                    recordings += try await node.store.recordings(callID: call.id).count
                }
                #expect(recordings == recorded)
                // The same window again: nothing new, nothing duplicated, no audio fetched twice.
                let again = try await node.service.runSync(.dialpad, window: Self.tenDays, trigger: .cli)
                #expect(again.status == .succeeded && again.callsNew == 0 && again.callsUpdated == 0)
                #expect(again.requests == 1 + 16)
                #expect(try await node.store.history(.init(filter: .init(source: "dialpad"))).total == expected.count)
                // Agent activity of what was imported.
                let activity = AgentActivity(
                    calls: try await node.store.importedCalls(vendor: "dialpad", in: Self.tenDays))
                #expect(activity.total.total == expected.count)
                #expect(activity.total.missed == expected.filter { $0.connectedMS == nil }.count)
                #expect(activity.agents.count == 8 && activity.agents.allSatisfy { $0.name != nil })
            }
        }
    }

    @Test func aRunCutOffMidwayIsResumedByAnotherNodeWithoutDuplicates() async throws {
        let state = MockDialpadState(apiKey: "dp_live_key_1234", calls: 300, window: Self.tenDays)
        await state.delayPages(by: .milliseconds(60))
        try await MockDialpad.run(state: state) { _, base in
            try await Self.withNode(dialpad: base) { node in
                _ = try await node.service.update(
                    .dialpad, ConnectorUpdate(apiKey: "dp_live_key_1234", targetID: state.departmentID))
                let (run, started) = try await node.service.startSync(.dialpad, window: Self.tenDays, trigger: .manual)
                #expect(started)
                // Node A runs it and dies after a few pages (its task is cut off, as a killed process's).
                let source = try node.service.source(try await node.service.settings(.dialpad))
                let task = Task { try await node.service.sync.run(run, source: source) }
                while (try await node.store.syncRun(id: run.id))?.pages ?? 0 < 4 {
                    try await Task.sleep(for: .milliseconds(20))
                }
                task.cancel()
                _ = await task.result
                let cut = try #require(try await node.store.syncRun(id: run.id))
                #expect(cut.status == .running && cut.pages >= 4 && cut.pages < 12 && cut.cursor != nil)
                let pagesBefore = await state.requests
                // Node B, same database, after A's lease: takes the run over from its cursor.
                let nodeB = Node(
                    store: node.store, directory: node.directory, holder: "node-b", dialpad: base, elevenLabs: nil)
                #expect(try await nodeB.service.startSync(.dialpad, window: nil, trigger: .manual).started == false)
                let taken = try #require(
                    try await node.store.claimAbandonedSyncRun(
                        holder: "node-b", now: Date().addingTimeInterval(31), leaseUntil: Date().addingTimeInterval(60))
                )
                #expect(taken.id == run.id && taken.cursor == cut.cursor)
                let sourceB = try nodeB.service.source(try await nodeB.service.settings(.dialpad))
                let done = try await nodeB.service.sync.run(taken, source: sourceB)
                let expected = await Self.expectedCalls(state, Self.tenDays)
                #expect(done.status == .succeeded && done.pages == 12)
                #expect(done.callsNew == expected.count)
                let history = try await node.store.history(.init(pageSize: 500, filter: .init(source: "dialpad")))
                #expect(history.total == expected.count)
                #expect(Set(history.calls.map { $0.metadata["vendor_id"]! }).count == expected.count)
                // B read only the pages after the cursor (plus operators and the recordings of its pages,
                // and at most the page A was reading when it died).
                let pageRequestsAfter = await state.requests - pagesBefore
                #expect(pageRequestsAfter < 1 + (12 - cut.pages + 1) + expected.filter(\.recorded).count)
                var recordings = 0
                for call in history.calls { recordings += try await node.store.recordings(callID: call.id).count }
                #expect(recordings == expected.filter(\.recorded).count)
            }
        }
    }

    @Test func ridesOutA429StormAndFailsCleanlyWhenItLasts() async throws {
        let state = MockDialpadState(apiKey: "dp_live_key_1234", calls: 100, window: Self.tenDays)
        try await MockDialpad.run(state: state) { _, base in
            try await Self.withNode(dialpad: base) { node in
                _ = try await node.service.update(
                    .dialpad, ConnectorUpdate(apiKey: "dp_live_key_1234", targetID: state.departmentID))
                await state.rateLimitNext(5, retryAfter: "0")
                let run = try await node.service.runSync(.dialpad, window: Self.tenDays, trigger: .cli)
                #expect(run.status == .succeeded && run.callsNew == 100)
                #expect(await state.rateLimited == 5)
                // A storm longer than the attempts allowed: the run fails with the reason, keeps nothing half done.
                await state.rateLimitNext(50, retryAfter: "0")
                let stormy = try await node.service.runSync(.dialpad, window: Self.tenDays, trigger: .cli)
                #expect(stormy.status == .failed)
                #expect(stormy.error?.contains("429") == true || stormy.error?.contains("rate") == true)
                #expect(try await node.store.history(.init(filter: .init(source: "dialpad"))).total == 100)
            }
        }
    }

    @Test func aBrokenPageFailsTheRunAndKeepsWhatItImported() async throws {
        let state = MockDialpadState(apiKey: "dp_live_key_1234", calls: 200, window: Self.tenDays)
        try await MockDialpad.run(state: state) { _, base in
            try await Self.withNode(dialpad: base) { node in
                _ = try await node.service.update(
                    .dialpad, ConnectorUpdate(apiKey: "dp_live_key_1234", targetID: state.departmentID))
                await state.malformPage(after: 3)
                let run = try await node.service.runSync(.dialpad, window: Self.tenDays, trigger: .cli)
                #expect(run.status == .failed && run.pages == 3 && run.callsNew == 75)
                let error = try #require(run.error)
                #expect(error.contains("Dialpad") && !error.contains("dp_live_key_1234"))
                #expect(try await node.store.history(.init(filter: .init(source: "dialpad"))).total == 75)
                let log = try await node.store.syncRuns(kind: .dialpad, limit: 5)
                #expect(log.first?.id == run.id && log.first?.error == error)
                // The next run reads the window again and imports the rest, nothing twice.
                let next = try await node.service.runSync(.dialpad, window: Self.tenDays, trigger: .cli)
                #expect(next.status == .succeeded && next.callsNew == 125)
                #expect(try await node.store.history(.init(filter: .init(source: "dialpad"))).total == 200)
            }
        }
    }

    @Test func aRefusedKeyPausesTheConnectorWithTheReasonUntilItIsChanged() async throws {
        let state = MockDialpadState(apiKey: "dp_live_key_1234", calls: 20, window: Self.tenDays)
        try await MockDialpad.run(state: state) { _, base in
            try await Self.withNode(dialpad: base) { node in
                _ = try await node.service.update(
                    .dialpad, ConnectorUpdate(apiKey: "dp_wrong_key_9999", targetID: state.departmentID, enabled: true))
                let run = try await node.service.runSync(.dialpad, window: Self.tenDays, trigger: .cli)
                #expect(run.status == .paused && run.callsNew == 0)
                let status = try await node.service.status(.dialpad)
                let reason = try #require(status.pausedReason)
                #expect(reason.contains("401") || reason.contains("refused"))
                #expect(!reason.contains("dp_wrong_key_9999") && status.apiKey == "dp_…9999")
                #expect(status.nextRunAt == nil)  // Paused: the schedule waits.
                // One attempt only: a refused key is not retried.
                #expect(await state.requests == 1)
                let fixed = try await node.service.update(.dialpad, ConnectorUpdate(apiKey: "dp_live_key_1234"))
                #expect(fixed.pausedReason == nil && fixed.nextRunAt != nil)
                #expect(
                    try await node.service.runSync(.dialpad, window: Self.tenDays, trigger: .cli).status == .succeeded)
                // The sealed key is in the database, never the key.
                let stored = try #require(try await node.store.connectorSettings(.dialpad))
                #expect(stored.sealedAPIKey?.contains("dp_live_key_1234") == false)
            }
        }
    }

    @Test func elevenLabsConversationsKeepTheirTranscriptAndFeedTheKPIs() async throws {
        let state = MockElevenLabsState(apiKey: "xi_live_key_abcd", conversations: 120, window: Self.tenDays)
        try await MockElevenLabs.run(state: state) { _, base in
            try await Self.withNode(elevenLabs: base) { node in
                _ = try await node.service.update(
                    .elevenlabs, ConnectorUpdate(apiKey: "xi_live_key_abcd", targetID: state.agentID))
                let run = try await node.service.runSync(.elevenlabs, window: Self.tenDays, trigger: .cli)
                let conversations = await state.conversations
                #expect(run.status == .succeeded && run.callsNew == conversations.count && run.pages == 2)
                let sessions = try await node.store.voiceBotSessions(in: Self.tenDays)
                #expect(sessions.count == conversations.count)
                let kpis = VoiceBotKPIs(sessions: sessions)
                let successes = conversations.filter { $0.successful == "success" }.count
                #expect(kpis.outcomes.successful == successes)
                let history = try await node.store.history(.init(pageSize: 500, filter: .init(source: "elevenlabs")))
                let withAudio = conversations.filter { $0.status == "done" }.count
                var recorded = 0
                for call in history.calls {
                    let recordings = try await node.store.recordings(callID: call.id)
                    recorded += recordings.count
                    if !recordings.isEmpty {
                        #expect(call.metadata["transcript_source"] == "elevenlabs")
                        let transcript = try #require(try await node.store.vendorTranscript(callID: call.id))
                        #expect(!transcript.segments.isEmpty)
                        #expect(Set(transcript.segments.map(\.speaker)).isSubset(of: ["agent", "customer"]))
                    }
                }
                #expect(recorded == withAudio)
            }
        }
    }

    @Test func schedulesFireOnceIncludingAMissedRunAndArchiveTheMonth() async throws {
        let state = MockDialpadState(apiKey: "dp_live_key_1234", calls: 30, window: Self.tenDays)
        try await MockDialpad.run(state: state) { _, base in
            try await Self.withNode(dialpad: base) { node in
                _ = try await node.service.update(
                    .dialpad, ConnectorUpdate(apiKey: "dp_live_key_1234", targetID: state.departmentID, enabled: true))
                // The server was down over 02:00 two days running: one run at start, not two.
                let name = "sync:dialpad"
                let dayAgo = Date().addingTimeInterval(-3 * 86_400)
                #expect(try await node.store.claimScheduleFire(name: name, fire: dayAgo, holder: "old", now: dayAgo))
                let now = Date()
                await node.service.tick(now: now)
                await node.service.tick(now: now.addingTimeInterval(1))
                let fired = try #require(try await node.store.lastScheduleFire(name: name))
                #expect(fired > dayAgo && fired <= now)
                let runs = try await node.store.syncRuns(kind: .dialpad, limit: 10)
                #expect(runs.count == 1 && runs.first?.trigger == .schedule)
                // A second node looking at the same moment finds the firing claimed.
                let nodeB = Node(
                    store: node.store, directory: node.directory, holder: "node-b", dialpad: base, elevenLabs: nil)
                await nodeB.service.tick(now: now.addingTimeInterval(2))
                #expect(try await node.store.syncRuns(kind: .dialpad, limit: 10).count == 1)
                // The monthly archive fires (day 1–5, 03:00) once per firing, for the previous month.
                let archiveFire = try #require(
                    CronSchedule.monthlyArchive.next(after: now.addingTimeInterval(-40 * 86_400)))
                #expect(
                    try await node.store.claimScheduleFire(
                        name: "archive:monthly", fire: archiveFire.addingTimeInterval(-86_400 * 30), holder: "old",
                        now: archiveFire))
                await node.service.tick(now: archiveFire.addingTimeInterval(60))
                let archives = try await node.store.archives()
                #expect(archives.map(\.month) == [ArchiveKeeper.previousMonth(of: archiveFire)])
            }
        }
    }

    @Test func archivesAreByteForByteStableAndReplacedAtomically() async throws {
        try await Self.withNode { node in
            for index in 0..<40 {
                try await node.store.insertCall(
                    StoredCall(
                        id: "c\(index)", agentID: "ann",
                        createdAt: Self.tenDays.lowerBound.addingTimeInterval(Double(index) * 3_600),
                        source: index % 2 == 0 ? "callpipe" : "dialpad"))
            }
            let first = try await node.service.archives.archive(month: "2025-12")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: first.location))
            let again = try await node.service.archives.archive(month: "2025-12")
            #expect(again.sha256 == first.sha256 && again.calls == 40)
            #expect(try Data(contentsOf: URL(fileURLWithPath: again.location)) == bytes)
            #expect(SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() == first.sha256)
            #expect(try await node.store.archives().count == 1)
            await #expect(throws: CallPipeError.self) { try await node.service.archives.archive(month: "2025-13") }
        }
    }
}
