import AIClients
import Audio
import Foundation
import GRDB
import Testing

@testable import Analytics
@testable import CallPipeCore
@testable import DemoData
@testable import SQLiteStore

@Suite("Conversation metrics: stored with the call and aggregated", .timeLimit(.minutes(3)))
struct ConversationStoreTests {
    /// A finished call whose agent talked `agentTalk` seconds and whose lines are `lines`.
    static func call(
        _ id: String, agent: String, at offset: TimeInterval, agentTalk: Double, customerTalk: Double,
        lines: [(String, String)]
    ) -> DemoCall {
        var demo = CRMTestSupport.call(
            id, agent: agent, at: offset, duration: agentTalk + customerTalk + 10, agentTalk: agentTalk,
            customerTalk: customerTalk, silence: 10, interruptions: 0, outcome: .resolved, sentiment: 0.2, topics: [])
        demo.call.isDemo = true
        demo.transcript = Transcript(
            segments: lines.enumerated().map { index, line in
                TranscriptSegment(speaker: line.0, startS: Double(index), endS: Double(index) + 1, text: line.1)
            })
        return demo
    }

    /// Ann: 60 wpm with 1 question against the customer's 3, then 120 wpm with 1 against none; Bob:
    /// no transcript.
    static let calls = [
        call(
            "a", agent: "ann", at: 9 * 3_600, agentTalk: 10, customerTalk: 6,
            lines: [
                ("agent", "Hello, how can I help?"), ("customer", "Is it down? Why? When will it work again?"),
                ("agent", "Soon."),
            ]),
        call(
            "b", agent: "ann", at: 86_400 + 9 * 3_600, agentTalk: 3, customerTalk: 2,
            lines: [("agent", "Anything else I can do?"), ("customer", "No thanks.")]),
        call("c", agent: "bob", at: 86_400 + 10 * 3_600, agentTalk: 20, customerTalk: 20, lines: []),
    ]

    @Test func theCallsRowKeepsEachPartysFiguresAndTheCallShowsThem() async throws {
        let store = try SQLiteCallStore()
        try await store.insertDemoCalls(Self.calls)
        let page = try await store.history(.init())
        let a = try #require(page.metrics["a"])
        #expect(a.agentWords == 6 && a.customerWords == 9 && a.agentQuestions == 1 && a.customerQuestions == 3)
        #expect(a.agentTalkSpeedWPM == 36 && a.customerTalkSpeedWPM == 90 && a.customerQuestionShare == 0.75)
        let c = try #require(page.metrics["c"])
        #expect(c.agentWords == nil && c.agentTalkSpeedWPM == nil && c.customerQuestionShare == nil)
        #expect(c.agentTalkS == 20, "talk time without a transcript is still known")
        let outputs = try await store.outputs(callID: "a")
        #expect(outputs.conversation.speakers["agent"] == .init(words: 6, talkS: 10, talkSpeedWPM: 36, questions: 1))
        #expect(outputs.conversation.customerQuestionShare == 0.75 && outputs.conversation.questions == 4)
        #expect(try await store.outputs(callID: "c").conversation.speakers["agent"]?.words == nil)
        let exported = try await store.exportPage(.init(), after: nil, limit: 10)
        #expect(exported.first { $0.callID == "b" }?.metrics.agentTalkSpeedWPM == 100)
    }

    @Test func aNewTranscriptOrAnalysisBringsTheRowUpToDate() async throws {
        let store = try SQLiteCallStore()
        try await store.insertDemoCalls([Self.calls[2]])
        try await store.write { db in
            try SQLiteCallStore.save(
                .transcript(
                    recordingID: "rec_c",
                    Transcript(segments: [.init(speaker: "agent", startS: 0, endS: 1, text: "Are you there?")])),
                callID: "c", db: db, now: Date())
        }
        #expect(try await store.history(.init()).metrics["c"]?.agentTalkSpeedWPM == 9)
        var slower = Self.calls[2].analysis
        slower.speakers["agent"]?.talkS = 6
        let analysis = slower
        try await store.write { db in
            try SQLiteCallStore.save(.analysis(recordingID: "rec_c", analysis), callID: "c", db: db, now: Date())
        }
        let metrics = try #require(try await store.history(.init()).metrics["c"])
        #expect(metrics.agentTalkSpeedWPM == 30 && metrics.agentQuestions == 1 && metrics.customerQuestionShare == 0)
    }

    @Test func theDashboardAndTheAgentsAverageTheSpeedAndPoolTheQuestions() async throws {
        let store = try SQLiteCallStore()
        try await store.insertDemoCalls(Self.calls)
        // Whole days come from the roll-up, an outcome filter reads the calls: both agree.
        for query in [CallFilter(), CallFilter(outcome: .resolved)] {
            let report = try await store.dashboard(query)
            #expect(report.agentTalkSpeedWPM == 68, "(36 + 100) / 2; bob's call has no transcript")
            #expect(report.customerQuestionShare == 0.6, "3 of 5 questions")
            let agents = try await store.agentMetrics(query)
            let ann = try #require(agents.first { $0.agentID == "ann" })
            let bob = try #require(agents.first { $0.agentID == "bob" })
            #expect(ann.agentTalkSpeedWPM == 68 && ann.customerQuestionShare == 0.6)
            #expect(bob.agentTalkSpeedWPM == nil && bob.customerQuestionShare == nil)
        }
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(try await store.dashboard(.init())))
        #expect((json as? [String: Any])?["agent_talk_speed_wpm"] as? Double == 68)
        // Deleting calls takes their figures out of the roll-up.
        _ = try await store.deleteDemoCalls()
        #expect(try await store.dashboard(.init()).agentTalkSpeedWPM == nil)
    }

    @Test func v7FillsInCallsStoredBeforeAndLeavesV4sRollupAsItWas() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("v7-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("callpipe.sqlite").path
        let demo = Self.calls[0]
        do {
            let queue = try DatabaseQueue(path: path)
            try SQLiteCallStore.migrator.migrate(queue, upTo: "v6: API key expiry and dev-mode keys")
            try await queue.write { db in
                let columns = try db.columns(in: "call_rollup").map(\.name)
                #expect(!columns.contains("agent_wpm"), "v4 builds the roll-up it always built")
                #expect(columns.count == 5 + SQLiteCallStore.rollupColumnsV4.count + 1)
                // As v6 stored a call: the columns it had, no conversation figures (nor v9's source).
                let call = demo.call
                try db.execute(
                    sql: """
                        INSERT INTO calls (id, agent_id, customer_id, direction, metadata, status, created_at,
                          updated_at, is_demo) VALUES (?, ?, ?, ?, '{}', ?, ?, ?, ?)
                        """,
                    arguments: [
                        call.id, call.agentID, call.customerID, call.direction, call.status.rawValue, call.createdAt,
                        call.updatedAt, call.isDemo,
                    ])
                try db.execute(
                    sql: """
                        INSERT INTO recordings (id, call_id, sequence, path, bytes, content_type, format, codec, created_at)
                        VALUES ('r1', 'a', 1, '', 0, 'audio/wav', 'wav', 'pcm_s16le', ?)
                        """, arguments: [demo.call.createdAt])
                try db.execute(
                    sql: "INSERT INTO analyses (recording_id, call_id, json) VALUES ('r1', 'a', ?)",
                    arguments: [String(decoding: try JSONEncoder().encode(demo.analysis), as: UTF8.self)])
                for (position, segment) in demo.transcript.segments.enumerated() {
                    try db.execute(
                        sql: """
                            INSERT INTO transcript_segments (call_id, recording_id, position, speaker, start_s, end_s, text)
                            VALUES ('a', 'r1', ?, ?, ?, ?, ?)
                            """,
                        arguments: [position, segment.speaker, segment.startS, segment.endS, segment.text])
                }
            }
        }
        let store = try SQLiteCallStore(path: path)
        let metrics = try #require(try await store.history(.init()).metrics["a"])
        #expect(metrics.agentTalkSpeedWPM == 36 && metrics.customerQuestionShare == 0.75)
        #expect(try await store.dashboard(.init()).agentTalkSpeedWPM == 36, "the roll-up counts the old call")
        let fresh = try SQLiteCallStore()
        let columns = { (store: SQLiteCallStore) in
            try await store.read { db in try db.columns(in: "call_rollup").map(\.name) }
        }
        #expect(try await columns(store) == columns(fresh), "a migrated database has the schema of a new one")
    }
}
