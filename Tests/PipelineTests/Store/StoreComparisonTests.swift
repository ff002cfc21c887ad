import AIClients
import EngineTestSupport
import Foundation
import Testing

@testable import Analytics
@testable import CallPipeCore
@testable import DemoData
@testable import PostgresStore
@testable import SQLiteStore

/// The same calls in SQLite and in PostgreSQL give the same answers: history, dashboard, agents'
/// metrics, export and search, for every filter (docs/testing.md, "Store contract").
@Suite("Store comparison: SQLite and PostgreSQL answer alike", .timeLimit(.minutes(3)))
struct StoreComparisonTests {
    /// The analytics' four known calls and 14 days of generated ones (about 170 calls, whole and
    /// partial days, every outcome and mood), with fixed ids and times.
    /// Times are whole seconds: SQLite keeps milliseconds, PostgreSQL microseconds.
    static let calls: [DemoCall] =
        (AnalyticsTests.calls
        + DemoCallGenerator(callsPerDay: 12, seed: 7).calls(
            days: 14, end: CRMTestSupport.day.addingTimeInterval(10 * 86_400 + 3_600))).map { demo in
            var demo = demo
            let whole = { (date: Date) in Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded()) }
            demo.call.createdAt = whole(demo.call.createdAt)
            demo.call.endedAt = demo.call.endedAt.map(whole)
            demo.call.updatedAt = whole(demo.call.updatedAt)
            return demo
        }

    static let filters: [CallFilter] = [
        CallFilter(), CallFilter(agentID: "bob"), CallFilter(direction: .outbound), CallFilter(outcome: .escalated),
        CallFilter(sentiment: .negative), CallFilter(status: .done), CallFilter(includeDemo: false),
        CallFilter(
            from: CRMTestSupport.day.addingTimeInterval(9.5 * 3_600),
            to: CRMTestSupport.day.addingTimeInterval(5 * 86_400 + 14.25 * 3_600)),
        CallFilter(from: CRMTestSupport.day.addingTimeInterval(-3 * 86_400), direction: .inbound, outcome: .resolved),
        // Whole days only, a day's edge on one side, and a span inside one day (PostgreSQL counts
        // whole days from its per-day counts and the edges from the calls).
        CallFilter(
            from: CRMTestSupport.day, to: CRMTestSupport.day.addingTimeInterval(4 * 86_400), agentID: "bob"),
        CallFilter(to: CRMTestSupport.day.addingTimeInterval(2 * 86_400 + 5 * 3_600), status: .done),
        CallFilter(
            from: CRMTestSupport.day.addingTimeInterval(86_400 + 2 * 3_600),
            to: CRMTestSupport.day.addingTimeInterval(86_400 + 20 * 3_600)),
        // The ends of what a query date may say: 0000-01-01 and 9999-12-31T23:59:59Z.
        CallFilter(
            from: Date(timeIntervalSince1970: -62_167_219_200), to: Date(timeIntervalSince1970: 253_402_300_799)),
    ]

    @Test func bothBackendsGiveTheSameAnswers() async throws {
        let sqlite = try SQLiteCallStore()
        try await sqlite.insertDemoCalls(Self.calls)
        let url = try await PostgresTestServer.shared.newDatabase()
        try await PostgresCallStore.withStore(url: url, logger: StoreBackend.logger) { postgres in
            try await postgres.insertDemoCalls(Self.calls)
            for filter in Self.filters {
                let expected = try await Self.answers(sqlite, filter)
                let actual = try await Self.answers(postgres, filter)
                #expect(actual.history == expected.history, "history \(filter)")
                #expect(actual.dashboard == expected.dashboard, "dashboard \(filter)")
                #expect(actual.agents == expected.agents, "agents \(filter)")
                #expect(actual.export == expected.export, "export \(filter)")
                #expect(expected.export.count > 0 || filter.outcome != nil, "the data set has calls for \(filter)")
            }
            for text in ["billing", "router reset", "router res", "rout reset", "refu", "nothing-matches-this"] {
                let expected = try await sqlite.search(text, agentID: nil, limit: 50).map { "\($0.callID)/\($0.kind)" }
                let actual = try await postgres.search(text, agentID: nil, limit: 50).map { "\($0.callID)/\($0.kind)" }
                #expect(Set(actual) == Set(expected), "search \(text)")
            }
        }
    }

    struct Answers {
        var history: String
        var dashboard: String
        var agents: String
        var export: [String]
    }

    /// Each answer as JSON with numbers rounded to 6 decimals (the two engines add floating-point
    /// sums in different orders).
    static func answers(_ store: some CallRepository & CallAnalytics, _ filter: CallFilter) async throws -> Answers {
        let history = try await store.history(CallHistoryQuery(pageSize: 500, filter: filter))
        let export = try await store.exportPage(filter, after: nil, limit: 5_000)
        return Answers(
            history: try normalized(history.calls.map(\.id)) + " total \(history.total)",
            dashboard: try normalized(try await store.dashboard(filter)),
            agents: try normalized(try await store.agentMetrics(filter)),
            export: try export.map { row in
                let fields: [String?] = [
                    row.callID, "\(row.createdAt.timeIntervalSince1970)",
                    row.endedAt.map { "\($0.timeIntervalSince1970)" },
                    row.agentID, row.customerID, row.direction, row.status, row.topics, row.summary,
                    try normalized(row.costUSD), "\(row.isDemo)", try normalized(row.metrics),
                ]
                return fields.map { $0 ?? "-" }.joined(separator: " | ")
            })
    }

    static func normalized(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        let object = try JSONSerialization.jsonObject(with: try encoder.encode(value), options: [.fragmentsAllowed])
        let rounded = round(object)
        return String(
            decoding: try JSONSerialization.data(withJSONObject: rounded, options: [.sortedKeys, .fragmentsAllowed]),
            as: UTF8.self)
    }

    private static func round(_ value: Any) -> Any {
        switch value {
        case let number as NSNumber: return (number.doubleValue * 1e6).rounded() / 1e6
        case let array as [Any]: return array.map(round)
        case let object as [String: Any]: return object.mapValues(round)
        default: return value
        }
    }
}
