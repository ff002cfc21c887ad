import CallPipeCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Gateway
@testable import SQLiteStore

@Suite("OpenAPI, metrics, agents, health", .timeLimit(.minutes(3)))
struct ServiceRoutesTests {
    /// Every route the Gateway registers, as OpenAPI paths.
    static let routes: [(String, String)] = [
        ("get", "/health"), ("get", "/metrics"), ("get", "/openapi.json"), ("post", "/api/calls/start"),
        ("post", "/api/calls/{id}/audio"), ("post", "/api/calls/{id}/end"), ("get", "/api/calls/{id}"),
        ("get", "/api/calls/{id}/summary"), ("get", "/api/calls/{id}/transcript"), ("get", "/api/calls/{id}/recording"),
        ("get", "/api/calls/history"),
        ("get", "/api/calls/search"), ("get", "/api/agents"), ("get", "/ws"), ("get", "/api/calls/{id}/stream"),
        ("get", "/api/analytics/dashboard"), ("get", "/api/calls/export.csv"), ("get", "/api/crm/targets"),
        ("get", "/api/crm/deliveries"), ("post", "/api/crm/deliveries/{id}/redeliver"),
        ("post", "/api/crm/targets/{id}/resume"), ("get", "/"), ("get", "/api/connectors"),
        ("get", "/api/connectors/sync-runs"), ("get", "/api/connectors/{kind}"), ("put", "/api/connectors/{kind}"),
        ("post", "/api/connectors/{kind}/sync"), ("get", "/api/analytics/voicebot"),
        ("get", "/api/analytics/agent-activity"), ("get", "/api/archives"), ("post", "/api/archives"),
        ("get", "/api/archives/{id}/download"), ("get", "/api/calls/{id}/redactions"),
    ]

    @Test func describesEveryRouteInOpenAPI31() async throws {
        let app = try await GatewayTestApp()
        try await app.test { client in
            try await client.execute(uri: "/openapi.json", method: .get, headers: app.headers("ann")) {
                response throws in
                let document = try GatewayTestApp.json(response)
                #expect(document["openapi"] as? String == "3.1.0")
                let paths = try #require(document["paths"] as? [String: [String: Any]])
                for (method, path) in Self.routes {
                    #expect(paths[path]?[method] != nil, "\(method.uppercased()) \(path) is not described")
                }
                #expect(
                    paths.values.reduce(0) { $0 + $1.count } == Self.routes.count, "a described route does not exist")
            }
        }
    }

    @Test func exposesPipelineGaugesForPrometheus() async throws {
        let app = try await GatewayTestApp()
        try await app.store.insertCall(StoredCall(id: "c1", agentID: "ann", createdAt: Date()))
        try await app.test { client in
            try await client.execute(uri: "/metrics", method: .get, headers: app.headers("supervisor")) {
                response throws in
                let text = String(buffer: response.body)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                #expect(text.contains("# TYPE callpipe_jobs_queued gauge") && text.contains("callpipe_calls 1"))
                #expect(
                    text.contains(#"callpipe_node_info{node_id="single",database="sqlite",recordings="local"} 1"#),
                    "\(text)")
                #expect(text.contains(#"callpipe_crm_deliveries{state="dead"} 0"#))
            }
        }
    }

    @Test func listsAgentsToSupervisorsAndAnAgentToItself() async throws {
        let app = try await GatewayTestApp()
        for (id, agent) in [("c1", "ann"), ("c2", "ann"), ("c3", "bob")] {
            try await app.store.insertCall(StoredCall(id: id, agentID: agent, createdAt: Date()))
        }
        try await app.test { client in
            try await client.execute(uri: "/api/agents", method: .get, headers: app.headers("supervisor")) {
                response throws in
                let agents = try GatewayTestApp.json(response)["agents"] as? [[String: Any]]
                #expect(agents?.map { $0["agent_id"] as? String } == ["ann", "bob"])
                #expect(agents?.first?["calls"] as? Int == 2)
            }
            try await client.execute(uri: "/api/agents", method: .get, headers: app.headers("bob")) { response throws in
                #expect((try GatewayTestApp.json(response)["agents"] as? [Any])?.count == 1)
            }
        }
    }

    @Test func reportsTheDatabaseAndQueueDepthInHealth() async throws {
        let app = try await GatewayTestApp()
        try await app.test { client in
            try await client.execute(uri: "/health", method: .get, headers: app.headers("supervisor")) {
                response throws in
                let report = try JSONDecoder().decode(HealthReport.self, from: Data(String(buffer: response.body).utf8))
                #expect(report.components?["database"]?.status == "ok")
                #expect(report.components?["database"]?.details["queue_depth"] == "0")
            }
        }
    }
}
