import AIClients
import CRM
import CallPipeCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Gateway
@testable import SQLiteStore

@Suite("CRM routes: targets, deliveries, redeliver, resume", .timeLimit(.minutes(3)))
struct CRMRoutesTests {
    static let target = CRMTarget(
        id: "hubspot", kind: .hubspot, url: URL(string: "https://api.hubapi.com")!, token: "pat-na1-0123456789abcdef")

    /// A call whose HubSpot delivery was dead-lettered.
    static func app() async throws -> (GatewayTestApp, CRMDelivery) {
        var app = try await GatewayTestApp()
        app.crmTargets = [target]
        let call = StoredCall(id: "c1", agentID: "ann", status: .processing, createdAt: Date())
        try await app.store.insertCall(call)
        try await app.store.enqueue(callID: "c1", stage: .summarize, now: Date())
        let job = try #require(try await app.store.claimJob(now: Date(), lease: 60))
        let insights = CallInsights(
            sentiment: CallSentiment(overall: 0.2, label: .neutral, quarters: [0.2]), summary: "Refund issued.",
            keyPoints: [], actionItems: [], issues: [], outcome: .resolved, topics: ["billing"], hints: [],
            analyzer: "heuristic")
        try await app.store.completeJob(
            job, output: .summary(insights, isFinal: true), usage: nil, deliverTo: [target.ref], next: nil, now: Date())
        let claimed = try #require(try await app.store.claimDelivery(now: Date(), lease: 60))
        let dead = try await app.store.failDelivery(
            claimed, error: "HubSpot answered HTTP 400: Property values were not valid", status: 400, retryAt: nil,
            now: Date())
        return (app, dead)
    }

    @Test func supervisorsSeeTargetsMaskedAndDeliveriesByState() async throws {
        let (app, dead) = try await Self.app()
        try await app.test { client in
            try await client.execute(uri: "/api/crm/targets", method: .get, headers: app.headers("supervisor")) {
                response throws in
                let text = String(buffer: response.body)
                #expect(response.status == .ok && text.contains("\"id\":\"hubspot\""))
                #expect(!text.contains("0123456789"), "the token is masked")
            }
            try await client.execute(
                uri: "/api/crm/deliveries?state=dead", method: .get, headers: app.headers("supervisor")
            ) { response throws in
                let body = try GatewayTestApp.json(response)
                let deliveries = body["deliveries"] as? [[String: Any]] ?? []
                #expect(deliveries.map { $0["id"] as? String } == [dead.id])
                #expect(deliveries.first?["last_error"] as? String == dead.lastError)
                #expect((body["counts"] as? [String: Int])?["dead"] == 1)
            }
            try await client.execute(uri: "/api/calls/c1", method: .get, headers: app.headers("supervisor")) {
                response throws in
                let deliveries = try GatewayTestApp.json(response)["crm_deliveries"] as? [[String: Any]]
                #expect(deliveries?.first?["state"] as? String == "dead")
            }
            try await client.execute(uri: "/api/crm/deliveries?state=lost", method: .get, headers: app.headers("admin"))
            {
                response throws in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/api/crm/deliveries", method: .get, headers: app.headers("ann")) {
                response throws in
                #expect(response.status == .forbidden)
            }
        }
    }

    @Test func adminsRedeliverDeadLettersAndResumePausedTargets() async throws {
        let (app, dead) = try await Self.app()
        try await app.store.pauseTarget("hubspot", reason: "HubSpot answered HTTP 401", now: Date())
        try await app.test { client in
            let redeliver = "/api/crm/deliveries/\(dead.id)/redeliver"
            try await client.execute(uri: redeliver, method: .post, headers: app.headers("supervisor")) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: redeliver, method: .post, headers: app.headers("admin")) { response throws in
                #expect(response.status == .ok)
                let delivery = try GatewayTestApp.json(response)
                #expect(delivery["state"] as? String == "pending" && delivery["attempts"] as? Int == 0)
            }
            try await client.execute(
                uri: "/api/crm/deliveries/dlv_nope/redeliver", method: .post, headers: app.headers("admin")
            ) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/crm/targets", method: .get, headers: app.headers("admin")) {
                response throws in
                let targets = try GatewayTestApp.json(response)["targets"] as? [[String: Any]]
                #expect(targets?.first?["paused"] as? Bool == true)
            }
            try await client.execute(
                uri: "/api/crm/targets/hubspot/resume", method: .post, headers: app.headers("admin")
            ) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/api/crm/targets/zoho/resume", method: .post, headers: app.headers("admin"))
            {
                response in
                #expect(response.status == .notFound)
            }
        }
        #expect(try await app.store.pausedTargets().isEmpty)
        #expect(try await app.store.delivery(id: dead.id)?.state == .pending)
    }
}
