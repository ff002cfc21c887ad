import AIClients
import Analytics
import Audio
import DemoData
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CallPipeCore
@testable import Gateway
@testable import SQLiteStore

@Suite("Analytics routes: dashboard, agents, CSV export", .timeLimit(.minutes(3)))
struct AnalyticsRoutesTests {
    static func seeded(calls: Int = 40) async throws -> (GatewayTestApp, [DemoCall]) {
        let app = try await GatewayTestApp()
        let end = Date(timeIntervalSince1970: 1_795_132_799)  // a Wednesday, 2026-11-18 23:59:59 UTC
        var generator = DemoCallGenerator(callsPerDay: calls, seed: 7)
        generator.transcriptLines = 2
        let demo = generator.calls(days: 1, end: end)
        #expect(demo.count == calls, "a weekday has all its calls")
        try await app.store.insertDemoCalls(demo)
        return (app, demo)
    }

    @Test func theDashboardCountsTheCallsAndAnAgentSeesOnlyItsOwn() async throws {
        let (app, demo) = try await Self.seeded()
        let anns = demo.filter { $0.call.agentID == "ann" }.count
        #expect(anns > 0 && anns < demo.count)
        try await app.test { client in
            try await client.execute(uri: "/api/analytics/dashboard", method: .get, headers: app.headers("supervisor"))
            {
                response throws in
                #expect(response.status == .ok)
                let report = try GatewayTestApp.json(response)
                #expect((report["totals"] as? [String: Any])?["calls"] as? Int == demo.count)
                #expect((report["calls_per_hour"] as? [Any])?.count == 24)
                #expect(report["handle_time"] != nil && report["top_topics"] != nil && report["ai_cost"] != nil)
            }
            try await client.execute(
                uri: "/api/analytics/dashboard?agent_id=bob", method: .get, headers: app.headers("ann")
            ) { response throws in
                let totals = try GatewayTestApp.json(response)["totals"] as? [String: Any]
                #expect(totals?["calls"] as? Int == anns, "an agent key gets its own figures whatever it asks")
            }
            try await client.execute(uri: "/api/agents?demo=true", method: .get, headers: app.headers("supervisor")) {
                response throws in
                let agents = try GatewayTestApp.json(response)["agents"] as? [[String: Any]] ?? []
                #expect(agents.reduce(0) { $0 + ($1["calls"] as? Int ?? 0) } == demo.count)
                #expect(agents.first?["average_handle_time_s"] is Double && agents.first?["talk_ratio"] is Double)
            }
        }
    }

    @Test(arguments: [
        ("from=yesterday", "from must be an RFC 3339 date-time"),
        ("direction=sideways", "direction must be one of inbound, outbound"),
        ("outcome=great", "outcome must be one of"),
        ("sentiment=meh", "sentiment must be one of"),
        ("demo=maybe", "demo must be true or false"),
    ])
    func malformedFiltersGet400WithTheReason(_ query: String, _ reason: String) async throws {
        let app = try await GatewayTestApp()
        try await app.test { client in
            for path in ["/api/analytics/dashboard", "/api/agents", "/api/calls/export.csv"] {
                try await client.execute(uri: "\(path)?\(query)", method: .get, headers: app.headers("supervisor")) {
                    response throws in
                    #expect(response.status == .badRequest, "\(path)?\(query)")
                    #expect(try GatewayTestApp.errorCode(response) == "invalid_query")
                    #expect(String(buffer: response.body).contains(reason))
                }
            }
        }
    }

    @Test func theExportStreamsEveryMatchingCallAcrossPages() async throws {
        let (app, demo) = try await Self.seeded(calls: 1_300)
        try await app.test { client in
            try await client.execute(uri: "/api/calls/export.csv", method: .get, headers: app.headers("supervisor")) {
                response throws in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(
                    response.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"callpipe-calls-") == true)
                let lines = String(buffer: response.body).split(separator: "\r\n")
                #expect(lines.first == Substring(CSVExport.header.dropLast()))
                #expect(lines.count == demo.count + 1, "every call once, over more than one page")
                #expect(Set(lines.dropFirst().map { $0.prefix { $0 != "," } }).count == demo.count)
            }
            try await client.execute(
                uri: "/api/calls/export.csv?outcome=escalated&direction=inbound", method: .get,
                headers: app.headers("supervisor")
            ) { response throws in
                let expected = demo.filter { $0.insights.outcome == .escalated && $0.call.direction == "inbound" }.count
                #expect(String(buffer: response.body).split(separator: "\r\n").count == expected + 1)
            }
        }
    }

    @Test func exportedCellsCannotRunAsFormulas() async throws {
        let app = try await GatewayTestApp()
        var demo = DemoCallGenerator(callsPerDay: 1, seed: 1).calls(
            days: 1, end: Date(timeIntervalSince1970: 1_795_132_799))
        try #require(demo.count == 1)
        demo[0].call.customerID = "@SUM(A1:A9)"
        demo[0].insights.summary = "=HYPERLINK(\"http://evil.example\",\"click\")"
        demo[0].insights.topics = ["-2+3"]
        try await app.store.insertDemoCalls(demo)
        try await app.test { client in
            try await client.execute(uri: "/api/calls/export.csv", method: .get, headers: app.headers("supervisor")) {
                response throws in
                let text = String(buffer: response.body)
                #expect(text.contains(",'@SUM(A1:A9),"))
                #expect(text.contains(#","'=HYPERLINK(""http://evil.example"",""click"")","#))
                #expect(text.contains(",'-2+3,"))
            }
        }
        #expect(CSVExport.text("plain") == "plain")
        #expect(CSVExport.text("a,b") == "\"a,b\"")
        #expect(CSVExport.text("line\nbreak") == "\"line\nbreak\"")
        #expect(CSVExport.text("\tTAB") == "'\tTAB")
    }

    @Test func filtersHistoryByDirectionOutcomeAndSentimentAndShowsEachCallsMetrics() async throws {
        let (app, demo) = try await Self.seeded()
        let expected = demo.filter {
            $0.call.direction == "inbound" && $0.insights.outcome == .resolved
                && $0.insights.sentiment.label.rawValue == "positive"
        }
        #expect(!expected.isEmpty && expected.count < demo.count)
        try await app.test { client in
            try await client.execute(
                uri: "/api/calls/history?direction=inbound&outcome=resolved&sentiment=positive&page_size=500",
                method: .get, headers: app.headers("supervisor")
            ) { response throws in
                let json = try GatewayTestApp.json(response)
                #expect(json["total"] as? Int == expected.count)
                let calls = try #require(json["calls"] as? [[String: Any]])
                #expect(Set(calls.compactMap { $0["id"] as? String }) == Set(expected.map(\.call.id)))
                let metrics = try #require(calls.first?["metrics"] as? [String: Any])
                #expect(
                    metrics["outcome"] as? String == "resolved" && metrics["sentiment_label"] as? String == "positive")
                let first = try #require(expected.first { $0.call.id == calls.first?["id"] as? String })
                let duration = try #require(metrics["duration_s"] as? Double)
                #expect(abs(duration - first.analysis.durationS) < 0.01)
            }
            for query in ["direction=sideways", "outcome=won", "sentiment=meh"] {
                try await client.execute(
                    uri: "/api/calls/history?\(query)", method: .get, headers: app.headers("supervisor")
                ) { response throws in
                    #expect(response.status == .badRequest, "\(query)")
                    #expect(try GatewayTestApp.errorCode(response) == "invalid_query")
                }
            }
        }
    }
}
