import CallPipeCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import Gateway
@testable import SQLiteStore

/// Hostile input, family "HTTP requests": callers without a key, with a bad one, over their
/// limits, or sending what no client should. Each gets a specific status and error code, and
/// the server keeps serving (every test ends with a request that must still succeed).
@Suite("Hostile input: HTTP requests", .timeLimit(.minutes(1)))
struct HostileHTTPTests {
    /// Requests without any key: only `/health` (up/down) and the dashboard's files answer.
    @Test(
        "Without a key nothing but /health answers",
        arguments: [
            ("/api/calls/history", HTTPRequest.Method.get), ("/metrics", .get), ("/openapi.json", .get),
            ("/api/agents", .get), ("/api/calls/start", .post), ("/api/analytics/dashboard", .get),
        ])
    func withoutAKey(uri: String, method: HTTPRequest.Method) async throws {
        let app = try await GatewayTestApp()
        try await app.test { client in
            try await client.execute(uri: uri, method: method) { response throws in
                #expect(response.status == .unauthorized)
                #expect(try GatewayTestApp.errorCode(response) == "unauthorized")
            }
        }
    }

    @Test func healthWithoutAKeySaysOnlyUpOrDownAndNeverAPath() async throws {
        let app = try await GatewayTestApp()
        try await app.test { client in
            try await client.execute(uri: "/health", method: .get) { response throws in
                #expect(response.status == .ok)
                #expect(try GatewayTestApp.json(response).keys.sorted() == ["status"])
                #expect(!String(buffer: response.body).contains("/"))
            }
            try await client.execute(
                uri: "/health", method: .get, headers: [.authorization: "Bearer cp_agent_forged"]
            ) { response in
                #expect(response.status == .unauthorized)  // A key that is not valid is refused, not ignored.
            }
            try await client.execute(uri: "/health", method: .get, headers: app.headers("ann")) { response in
                let body = String(buffer: response.body)
                #expect(body.contains("components") && body.contains(#""kind":"sqlite""#))
                #expect(!body.contains(app.directory.path))
            }
        }
    }

    @Test func aQueryTokenIsRefusedOnPlainHTTPRoutes() async throws {
        let app = try await GatewayTestApp()
        try await app.test { client in
            try await client.execute(uri: "/api/calls/history?token=\(app.keys["supervisor"]!)", method: .get) {
                #expect($0.status == .unauthorized)
                #expect(String(buffer: $0.body).contains("only on WebSocket upgrades"))
            }
        }
    }

    @Test func metricsNeedASupervisorOrAdminKey() async throws {
        let app = try await GatewayTestApp()
        try await app.test { client in
            try await client.execute(uri: "/metrics", method: .get, headers: app.headers("ann")) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/metrics", method: .get, headers: app.headers("supervisor")) {
                #expect($0.status == .ok && String(buffer: $0.body).contains("callpipe_calls"))
            }
        }
    }

    @Test func expiredRevokedAndOverlongKeysAreRefused() async throws {
        let app = try await GatewayTestApp()
        let (expired, record) = APIKeys.make(
            role: .supervisor, agentID: nil, label: "old", now: Date(timeIntervalSinceNow: -7_200),
            expiresAt: Date(timeIntervalSinceNow: -3_600))
        try await app.store.insertAPIKey(record)
        let (revoked, revokedRecord) = APIKeys.make(role: .supervisor, agentID: nil, label: "gone")
        try await app.store.insertAPIKey(revokedRecord)
        _ = try await app.store.revokeAPIKey(idPrefix: revokedRecord.id, now: Date())
        try await app.test { client in
            for (key, phrase) in [
                (expired, "expired"), (revoked, "not valid"), (String(repeating: "k", count: 100_000), "not valid"),
            ] {
                try await client.execute(
                    uri: "/api/calls/history", method: .get, headers: [.authorization: "Bearer \(key)"]
                ) {
                    #expect($0.status == .unauthorized)
                    #expect(String(buffer: $0.body).contains(phrase))
                }
            }
            try await client.execute(uri: "/api/calls/history", method: .get, headers: app.headers("supervisor")) {
                #expect($0.status == .ok)
            }
        }
    }

    @Test func guessingKeysFromOneAddressIsSlowedDownWhileRealKeysWork() async throws {
        // Time stands still: no refill however slowly the requests go.
        let app = try await GatewayTestApp(rateClock: { 0 })
        try await app.test { client in
            var statuses: [HTTPResponse.Status] = []
            for attempt in 0..<80 {
                let response = try await client.execute(
                    uri: "/api/agents", method: .get, headers: [.authorization: "Bearer cp_admin_guess\(attempt)"])
                statuses.append(response.status)
            }
            #expect(statuses.prefix(50).allSatisfy { $0 == .unauthorized })
            #expect(statuses.suffix(20).allSatisfy { $0 == .tooManyRequests })
            try await client.execute(uri: "/api/agents", method: .get, headers: app.headers("supervisor")) {
                #expect($0.status == .ok)
                #expect($0.headers[.cacheControl] == "no-store")
            }
        }
    }

    @Test func aKeyOverItsRequestRateGets429WithRetryAfterAndOtherKeysDoNot() async throws {
        var access = AccessConfiguration()
        access.requestsPerSecond = 0.5
        access.burst = 3
        let app = try await GatewayTestApp(access: access, rateClock: { 0 })
        try await app.test { client in
            for _ in 0..<3 {
                try await client.execute(uri: "/api/agents", method: .get, headers: app.headers("supervisor")) {
                    #expect($0.status == .ok)
                }
            }
            try await client.execute(uri: "/api/agents", method: .get, headers: app.headers("supervisor")) {
                response throws in
                #expect(response.status == .tooManyRequests)
                #expect(try GatewayTestApp.errorCode(response) == "rate_limited")
                #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 >= 1)
            }
            try await client.execute(uri: "/api/agents", method: .get, headers: app.headers("admin")) {
                #expect($0.status == .ok)
            }
        }
    }

    @Test(
        "Malformed bodies get a specific 4xx",
        arguments: [
            (#"{"agent_id": "#, "invalid_json"), (#"{"agent_id": 42}"#, "invalid_json"),
            ("[1,2,3]", "invalid_json"), ("deeply nested", "invalid_json"),
        ])
    func malformedStartBodies(text: String, code: String) async throws {
        let body = text == "deeply nested" ? String(repeating: "[", count: 100_000) : text
        let app = try await GatewayTestApp()
        try await app.test { client in
            try await client.execute(
                uri: "/api/calls/start", method: .post, headers: app.headers("ann", [.contentType: "application/json"]),
                body: ByteBuffer(string: body)
            ) { response throws in
                #expect(
                    response.status == .badRequest || response.status == .contentTooLarge,
                    "\(response.status) \(String(buffer: response.body))")
                if response.status == .badRequest { #expect(try GatewayTestApp.errorCode(response) == code) }
            }
            try await client.execute(uri: "/api/agents", method: .get, headers: app.headers("supervisor")) {
                #expect($0.status == .ok)
            }
        }
    }

    @Test func anUploadThatIsNotAudioIsRefusedWithoutNamingServerPaths() async throws {
        let app = try await GatewayTestApp()
        try await app.store.insertCall(StoredCall(id: "call_text", agentID: "ann", createdAt: Date()))
        try await app.test { client in
            try await client.execute(
                uri: "/api/calls/call_text/audio", method: .post,
                headers: app.headers("ann", [.contentType: "audio/mpeg"]),
                body: ByteBuffer(string: String(repeating: "this is not audio at all\n", count: 200))
            ) { response in
                #expect(response.status == .unsupportedMediaType || response.status == .unprocessableContent)
                let body = String(buffer: response.body)
                #expect(!body.contains(app.directory.path) && !body.contains("/recordings/"))
            }
        }
    }

    @Test func serverPathsAreRedactedFromMessages() {
        #expect(
            ServerPaths.redact("/srv/callpipe/data/recordings/call_1/rec.mp3: not an audio file")
                == "the file: not an audio file")
        #expect(
            ServerPaths.redact("cannot open the database /tmp/x/callpipe.sqlite") == "cannot open the database the file"
        )
        #expect(ServerPaths.redact("agent_id and/or customer_id") == "agent_id and/or customer_id")
        #expect(ServerPaths.redact("see GET /api/calls/history") == "see GET /api/calls/history")
    }
}
