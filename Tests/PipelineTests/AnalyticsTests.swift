import AIClients
import Foundation
import GRDB
import Testing

@testable import Analytics
@testable import CallPipeCore
@testable import DemoData
@testable import SQLiteStore

@Suite("Analytics: KPIs from SQL aggregates on a known data set", .timeLimit(.minutes(3)))
struct AnalyticsTests {
    /// Four calls over two days whose every figure is known.
    static let calls = [
        CRMTestSupport.call(
            "a", agent: "ann", at: 9 * 3_600 + 600, duration: 20, agentTalk: 8, customerTalk: 10, silence: 2,
            interruptions: 1, outcome: .resolved, sentiment: 0.5, topics: ["billing"], cost: 0.01),
        CRMTestSupport.call(
            "b", agent: "ann", direction: "outbound", at: 9 * 3_600 + 2_400, duration: 400, agentTalk: 200,
            customerTalk: 150, silence: 50, interruptions: 3, outcome: .escalated, sentiment: -0.6,
            topics: ["billing", "Refund"], cost: 0.05),
        CRMTestSupport.call(
            "c", agent: "bob", at: 86_400 + 14 * 3_600, duration: 100, agentTalk: 0, customerTalk: 90, silence: 10,
            interruptions: 0, outcome: .voicemail, sentiment: 0, topics: [], cost: 0.02),
        CRMTestSupport.call(
            "d", agent: "bob", at: 86_400 + 9 * 3_600 + 3_000, duration: 60, agentTalk: 30, customerTalk: 25,
            silence: 5, interruptions: 2, outcome: .dropped, sentiment: -0.1, topics: ["router"], cost: 0.02),
    ]

    static func store() async throws -> SQLiteCallStore {
        let store = try SQLiteCallStore()
        try await store.insertDemoCalls(calls)
        return store
    }

    /// One filter, one rule: the history, the dashboard and the export select the same calls.
    @Test(arguments: [
        CallFilter(), CallFilter(agentID: "bob"), CallFilter(direction: .outbound), CallFilter(outcome: .escalated),
        CallFilter(sentiment: .negative), CallFilter(status: .done), CallFilter(status: .failed),
        CallFilter(
            from: CRMTestSupport.day.addingTimeInterval(9.5 * 3_600),
            to: CRMTestSupport.day.addingTimeInterval(86_400 + 14.25 * 3_600)),
        CallFilter(agentID: "ann", sentiment: .positive), CallFilter(includeDemo: false),
    ])
    func historyDashboardAndExportSelectTheSameCalls(_ filter: CallFilter) async throws {
        let store = try await Self.store()
        let history = try await store.history(CallHistoryQuery(pageSize: 500, filter: filter))
        let exported = try await store.exportPage(filter, after: nil, limit: 5_000)
        let dashboard = try await store.dashboard(filter)
        #expect(Set(history.calls.map(\.id)) == Set(exported.map(\.callID)))
        #expect(history.total == exported.count && dashboard.totals.calls == exported.count)
    }

    @Test func theDashboardAddsUpTheKnownCalls() async throws {
        let report = try await Self.store().dashboard(CallFilter())
        let totals = report.totals
        #expect(totals.calls == 4 && totals.inbound == 3 && totals.outbound == 1)
        #expect(totals.missed == 1, "voicemail, and the agent never spoke")
        #expect(totals.dropped == 1 && totals.failed == 0)
        #expect(totals.shortCalls == 1 && totals.longCalls == 1)
        #expect(totals.resolved == 1 && totals.escalations == 1)
        #expect(report.handleTime.averageS == 145)
        #expect(report.handleTime.medianS == 80, "between 60 and 100")
        #expect(report.resolutionRate == 0.25)
        #expect(abs((report.talkRatio ?? 0) - 238.0 / 513.0) < 1e-9)
        #expect(abs((report.averageSilencePct ?? 0) - 100 * (0.1 + 0.125 + 0.1 + 5.0 / 60) / 4) < 1e-9)
        #expect(report.interruptionsPerCall == 1.5)
        #expect(report.sentiment.positive == 1 && report.sentiment.neutral == 2 && report.sentiment.negative == 1)
        #expect(abs((report.sentiment.average ?? 0) - (-0.05)) < 1e-9)
        #expect(report.callsPerHour.count == 24)
        #expect(report.callsPerHour[9].calls == 3 && report.callsPerHour[14].calls == 1)
        #expect(report.peakHour == 9)
        #expect(report.callsPerDay.map(\.date) == ["2026-11-02", "2026-11-03"])
        #expect(report.callsPerDay.map(\.calls) == [2, 2])
        #expect(report.callsPerDay[0].resolved == 1 && report.callsPerDay[0].outbound == 1)
        #expect(abs((report.callsPerDay[0].averageSentiment ?? 0) - (-0.05)) < 1e-9)
        #expect(report.topTopics.first == .init(topic: "billing", calls: 2))
        #expect(Set(report.topTopics.map(\.topic)) == ["billing", "refund", "router"])
        #expect(abs(report.aiCost.totalUSD - 0.10) < 1e-9 && abs((report.aiCost.perCallUSD ?? 0) - 0.025) < 1e-9)
    }

    @Test func filtersByRangeAgentAndDirection() async throws {
        let store = try await Self.store()
        let secondDay = try await store.dashboard(CallFilter(from: CRMTestSupport.day.addingTimeInterval(86_400)))
        #expect(secondDay.totals.calls == 2 && secondDay.handleTime.medianS == 80)
        let bob = try await store.dashboard(CallFilter(agentID: "bob"))
        #expect(bob.totals.calls == 2 && bob.totals.missed == 1 && bob.topTopics.map(\.topic) == ["router"])
        let outbound = try await store.dashboard(CallFilter(direction: .outbound))
        #expect(outbound.totals.calls == 1 && outbound.handleTime.medianS == 400)
        let none = try await store.dashboard(CallFilter(to: CRMTestSupport.day))
        #expect(none.totals.calls == 0 && none.handleTime.medianS == nil && none.peakHour == nil)
        #expect(none.talkRatio == nil && none.resolutionRate == nil)
        let real = try await store.dashboard(CallFilter(includeDemo: false))
        #expect(real.totals.calls == 4, "these calls are not marked as demo")
    }

    @Test func partialHoursAtTheEndsOfARangeCountExactly() async throws {
        let store = try await Self.store()
        // 09:30 on the first day to 14:15 on the second: b (09:40), d (09:50 next day) and c (14:00), not a (09:10).
        let range = CallFilter(
            from: CRMTestSupport.day.addingTimeInterval(9.5 * 3_600),
            to: CRMTestSupport.day.addingTimeInterval(86_400 + 14.25 * 3_600))
        let report = try await store.dashboard(range)
        #expect(report.totals.calls == 3 && report.totals.shortCalls == 0 && report.totals.longCalls == 1)
        #expect(report.handleTime.averageS == (400 + 100 + 60) / 3.0 && report.handleTime.medianS == 100)
        #expect(Set(report.topTopics.map(\.topic)) == ["billing", "refund", "router"])
        let inside = try await store.dashboard(
            CallFilter(
                from: CRMTestSupport.day.addingTimeInterval(9 * 3_600 + 1_200),
                to: CRMTestSupport.day.addingTimeInterval(9 * 3_600 + 3_000)))
        #expect(inside.totals.calls == 1 && inside.totals.outbound == 1, "within one hour: b only")
        // Filters the roll-up does not keep come from the calls themselves.
        let neutral = try await store.dashboard(CallFilter(sentiment: .neutral))
        #expect(neutral.totals.calls == 2 && neutral.handleTime.medianS == 80, "c and d")
        let escalated = try await store.dashboard(CallFilter(outcome: .escalated))
        #expect(escalated.totals.calls == 1 && escalated.topTopics.count == 2)
        let agents = try await store.agentMetrics(range)
        #expect(agents.map(\.calls) == [1, 2])
        // Over three days: the whole middle day from the roll-ups, the partial ones from the calls.
        try await store.insertDemoCalls([
            CRMTestSupport.call(
                "e", agent: "bob", at: 2 * 86_400 + 8 * 3_600, duration: 30, agentTalk: 10, customerTalk: 10,
                silence: 1, interruptions: 0, outcome: .resolved, sentiment: 0.1, topics: ["router"])
        ])
        let long = CallFilter(
            from: CRMTestSupport.day.addingTimeInterval(9.5 * 3_600),
            to: CRMTestSupport.day.addingTimeInterval(2 * 86_400 + 9 * 3_600))
        let spanning = try await store.dashboard(long)
        #expect(spanning.totals.calls == 4 && spanning.totals.resolved == 1 && spanning.totals.dropped == 1)
        #expect(spanning.callsPerDay.map(\.calls) == [1, 2, 1])
        #expect(spanning.callsPerHour[9].calls == 2 && spanning.callsPerHour[8].calls == 1)
        #expect(spanning.topTopics.first == .init(topic: "router", calls: 2))
        #expect(spanning.handleTime.medianS == 80, "between 60 and 100 of 30, 60, 100, 400")
        #expect(try await store.agentMetrics(long).map(\.calls) == [1, 3])
    }

    @Test func theRollUpFollowsEveryChangeToACall() async throws {
        let store = try await Self.store()
        // A new final summary changes the outcome and topics; a status change fails the call.
        try await store.enqueue(callID: "a", stage: .summarize, now: Date())
        let job = try #require(try await store.claimJob(now: Date(), lease: 60))
        try await store.completeJob(
            job,
            output: .summary(
                CRMTestSupport.insights(outcome: .escalated, sentiment: -0.8, topics: ["outage"]), isFinal: true),
            next: nil, now: Date())
        try await store.updateCall(id: "d", status: .failed, failureReason: "test", endedAt: nil)
        let report = try await store.dashboard(CallFilter())
        #expect(report.totals.calls == 4 && report.totals.resolved == 0 && report.totals.escalations == 2)
        #expect(report.totals.failed == 1 && report.sentiment.negative == 2)
        #expect(report.topTopics.first { $0.topic == "outage" }?.calls == 1)
        #expect(report.topTopics.first { $0.topic == "billing" }?.calls == 1, "a's billing topic is gone")
        let negative = try await store.dashboard(CallFilter(sentiment: .negative))
        #expect(negative.totals.calls == 2 && negative.topTopics.map(\.topic).contains("outage"), "a moved to negative")
        #expect(negative.topTopics.first { $0.topic == "billing" }?.calls == 1, "b's, not a's any more")
        let positive = try await store.dashboard(CallFilter(sentiment: .positive))
        #expect(positive.totals.calls == 0 && positive.topTopics.isEmpty)
        let raw = try await store.dashboard(CallFilter(status: .done))
        #expect(raw.totals.calls == 3)
        // Deleting the demo calls empties it (demo rows only: these calls are not demo).
        var demo = Self.calls[0]
        demo.call.id = "demo-1"
        demo.call.isDemo = true
        try await store.insertDemoCalls([demo])
        #expect(try await store.dashboard(CallFilter()).totals.calls == 5)
        #expect(try await store.deleteDemoCalls() == 1)
        let after = try await store.dashboard(CallFilter())
        #expect(after.totals.calls == 4 && after.topTopics.first { $0.topic == "billing" }?.calls == 1)
    }

    @Test func agentsGetTheirOwnKPIs() async throws {
        let agents = try await Self.store().agentMetrics(CallFilter())
        #expect(agents.map(\.agentID) == ["ann", "bob"])
        let ann = agents[0]
        #expect(ann.calls == 2 && ann.done == 2 && ann.inbound == 1 && ann.outbound == 1)
        #expect(ann.averageHandleTimeS == 210 && ann.resolutionRate == 0.5 && ann.escalations == 1)
        #expect(abs((ann.talkRatio ?? 0) - 208.0 / 368.0) < 1e-9)
        #expect(ann.interruptionsPerCall == 2 && ann.negativeCalls == 1)
        #expect(ann.lastCallAt == CRMTestSupport.day.addingTimeInterval(9 * 3_600 + 2_400))
    }

    @Test func exportPagesInOrderWithTheSummaryAndTopics() async throws {
        let store = try await Self.store()
        let first = try await store.exportPage(CallFilter(), after: nil, limit: 3)
        #expect(first.map(\.callID) == ["a", "b", "d"])
        let last = try #require(first.last)
        let rest = try await store.exportPage(
            CallFilter(), after: ExportCursor(createdAt: last.createdAt, callID: last.callID), limit: 3)
        #expect(rest.map(\.callID) == ["c"])
        #expect(first[1].topics == "billing; refund" || first[1].topics == "refund; billing")
        #expect(first[0].summary == CRMTestSupport.insights().summary && first[0].metrics.durationS == 20)
        #expect(
            try await store.exportPage(CallFilter(outcome: .voicemail), after: nil, limit: 10).map(\.callID) == [
                "c"
            ])
    }

    @Test func aStageRunAgainReplacesItsUsageAndTheCallCostAddsUp() async throws {
        let store = try SQLiteCallStore()
        try await store.insertCall(StoredCall(id: "u", agentID: "ann", createdAt: CRMTestSupport.day))
        try await store.enqueue(callID: "u", stage: .summarize, now: CRMTestSupport.day)
        let job = try #require(try await store.claimJob(now: Date(), lease: 60))
        let usage = StageUsage(
            provider: "openai:gpt-4o-mini", usage: AIUsage(inputTokens: 1_000_000, outputTokens: 1_000_000, requests: 1)
        )
        #expect(abs(usage.costUSD - 0.75) < 1e-9, "$0.15 + $0.60 per million tokens")
        try await store.completeJob(job, output: .none, usage: usage, deliverTo: [], next: nil, now: Date())
        let cost = try await store.read { db in
            try Double.fetchOne(db, sql: "SELECT cost_usd FROM calls WHERE id = 'u'")
        }
        #expect(abs((cost ?? 0) - 0.75) < 1e-9)
        #expect(StageUsage(provider: "local:tiny.en", usage: AIUsage(audioSeconds: 600)).costUSD == 0)
        #expect(
            abs(StageUsage(provider: "openai:whisper-1", usage: AIUsage(audioSeconds: 600)).costUSD - 0.06) < 1e-9)
    }

    @Test func aDatabaseFromBeforeTheMetricsGetsThemFromWhatItStored() async throws {
        // Build a v2 database with a finished call, then let the v3 migration run on it.
        let queue = try DatabaseQueue()
        try SQLiteCallStore.migrator.migrate(queue, upTo: "v2: index segments by recording, map search rows to calls")
        let demo = Self.calls[1]
        try await queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO calls (id, agent_id, direction, metadata, status, created_at, updated_at, is_demo)
                    VALUES ('b', 'ann', 'outbound', '{}', 'done', ?, ?, 0)
                    """, arguments: [demo.call.createdAt, demo.call.createdAt])
            try db.execute(
                sql: """
                    INSERT INTO recordings (id, call_id, sequence, path, bytes, content_type, format, codec, created_at)
                    VALUES ('r', 'b', 1, '/x.wav', 1, 'audio/wav', 'wav', 'pcm', ?)
                    """, arguments: [demo.call.createdAt])
            try db.execute(
                sql: "INSERT INTO analyses (recording_id, call_id, json) VALUES ('r', 'b', ?)",
                arguments: [String(decoding: try JSONEncoder().encode(demo.analysis), as: UTF8.self)])
            try db.execute(
                sql: "INSERT INTO summaries (call_id, version, is_final, json, created_at) VALUES ('b', 1, 1, ?, ?)",
                arguments: [String(decoding: try JSONEncoder().encode(demo.insights), as: UTF8.self), Date()])
        }
        try SQLiteCallStore.migrator.migrate(queue)
        let row = try await queue.read { db -> (Double?, Double?, Int?, String?) in
            let row = try Row.fetchOne(
                db, sql: "SELECT duration_s, agent_talk_s, interruptions, outcome FROM calls WHERE id = 'b'")
            return (row?["duration_s"], row?["agent_talk_s"], row?["interruptions"], row?["outcome"])
        }
        #expect(row.0 == 400 && row.1 == 200)
        #expect(row.2 == 3 && row.3 == "escalated")
        let topics = try await queue.read { db in
            try String.fetchAll(db, sql: "SELECT topic FROM call_topics WHERE call_id = 'b' ORDER BY topic")
        }
        #expect(topics == ["billing", "refund"])
    }
}
