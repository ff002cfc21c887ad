import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Gateway

/// Routes mounted behind an admin key (the dev-mode mock CRM's place) answer nobody else.
@Suite("Hostile input: admin-mounted routes", .timeLimit(.minutes(1)))
struct HostileAdminRouteTests {
    /// Stands in for the mock CRM: echoes what its own `Authorization` header carried.
    struct EchoRoutes: AdminRoutes {
        var pathPrefix: String { "_mock" }

        func register(on group: RouterGroup<GatewayRequestContext>) {
            group.get("requests") { request, _ -> String in request.headers[.authorization] ?? "none" }
        }
    }

    @Test func onlyAnAdminKeyReachesThem() async throws {
        var mounted = try await GatewayTestApp()
        mounted.adminRoutes = [EchoRoutes()]
        let app = mounted
        let admin = app.keys["admin"]!
        try await app.test { client in
            try await client.execute(uri: "/_mock/requests", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/_mock/requests", method: .get, headers: app.headers("supervisor")) {
                #expect($0.status == .forbidden)
            }
            // A vendor's own credentials in Authorization are not a CallPipe key.
            try await client.execute(
                uri: "/_mock/requests", method: .get, headers: [.authorization: "Bearer 00Dmock!vendor-token"]
            ) { #expect($0.status == .unauthorized) }
            try await client.execute(
                uri: "/_mock/requests", method: .get,
                headers: [HTTPField.Name("X-CallPipe-Key")!: admin, .authorization: "Bearer 00Dmock!vendor-token"]
            ) {
                #expect($0.status == .ok)
                #expect(String(buffer: $0.body) == "Bearer 00Dmock!vendor-token")
            }
            try await client.execute(uri: "/_mock/requests", method: .get, headers: app.headers("admin")) {
                #expect($0.status == .ok)
            }
        }
    }
}
