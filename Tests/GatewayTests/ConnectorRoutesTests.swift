import CallPipeCore
import Connectors
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MockVendors
import NIOCore
import SQLiteStore
import Testing

@testable import Gateway

/// The connector routes (docs/connectors.md, "HTTP API") over a real store and the mock Dialpad:
/// keys never come back, bad settings and bodies get their own codes, only admins get in, and a
/// manual run shows in the sync log with the calls in the history.
@Suite("Connector routes", .timeLimit(.minutes(2)))
struct ConnectorRoutesTests {
    static let window = Date(timeIntervalSince1970: 1_764_547_200)..<Date(timeIntervalSince1970: 1_765_411_200)

    static func app(dialpad: URL? = nil) async throws -> GatewayTestApp {
        var app = try await GatewayTestApp()
        var configuration = ConnectorServiceConfiguration()
        if let dialpad { configuration.defaultBaseURLs[.dialpad] = dialpad }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let storage = LocalRecordingStorage(directory: app.directory.appendingPathComponent("recordings").path)
        let service = ConnectorService(
            store: app.store, secrets: SecretBox(key: SymmetricKey(size: .bits256)), configuration: configuration,
            sync: ConnectorSync(
                store: app.store, storage: storage, recordingsDirectory: storage.directory, holder: "test",
                logger: logger),
            archives: ArchiveKeeper(
                store: app.store, storage: storage, directory: app.directory.appendingPathComponent("archives").path),
            logger: logger)
        app.connectors = service
        app.services = [service]
        return app
    }

    static func body(_ json: String) -> ByteBuffer { ByteBuffer(string: json) }

    @Test func settingsKeepTheKeySecretAndRefuseWhatIsWrong() async throws {
        let app = try await Self.app()
        try await app.test(.router) { client in
            let admin = app.headers("admin")
            try await client.execute(uri: "/api/connectors", method: .get, headers: admin) { response throws in
                #expect(response.status == .ok)
                let list = try #require(try GatewayTestApp.json(response)["connectors"] as? [[String: Any]])
                #expect(list.map { $0["kind"] as? String } == ["dialpad", "elevenlabs"])
                #expect(list.allSatisfy { $0["api_key"] is NSNull && $0["next_run_at"] is NSNull })
            }
            let key = "dp_live_abcdefghijklmnop1234"
            try await client.execute(
                uri: "/api/connectors/dialpad", method: .put, headers: admin,
                body: Self.body(#"{"api_key": "\#(key)", "target_id": "5551", "enabled": true}"#)
            ) { response throws in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(!text.contains(key) && !text.contains("abcdefghijklmnop"))
                let json = try GatewayTestApp.json(response)
                #expect(json["api_key"] as? String == "dp_…1234" && json["target_id"] as? String == "5551")
                #expect(json["next_run_at"] is String)
            }
            try await client.execute(uri: "/api/connectors/dialpad", method: .get, headers: admin) { response throws in
                #expect(!String(buffer: response.body).contains(key))
            }
            let stored = try #require(try await app.store.connectorSettings(.dialpad))
            #expect(stored.sealedAPIKey?.contains(key) == false && stored.sealedAPIKey?.hasPrefix("v1:") == true)
            for (body, code) in [
                (#"{"schedule": "61 * * * *"}"#, "invalid_schedule"),
                (#"{"base_url": "ftp://dialpad.com"}"#, "invalid_base_url"),
                (#"{"target_id": 5}"#, "invalid_json"),
                (#"{"api_key": "#, "invalid_json"),
            ] {
                try await client.execute(
                    uri: "/api/connectors/dialpad", method: .put, headers: admin, body: Self.body(body)
                ) { response throws in
                    #expect(response.status == .badRequest, "\(body)")
                    #expect(try GatewayTestApp.errorCode(response) == code, "\(body)")
                    #expect(!String(buffer: response.body).contains(key))
                }
            }
            try await client.execute(uri: "/api/connectors/zoom", method: .get, headers: admin) { response throws in
                #expect(response.status == .notFound)
                #expect(try GatewayTestApp.errorCode(response) == "unknown_connector")
            }
            // Not configured yet: ElevenLabs has no key.
            try await client.execute(
                uri: "/api/connectors/elevenlabs/sync", method: .post, headers: admin, body: Self.body("{}")
            ) { response throws in
                #expect(response.status == .conflict)
                #expect(try GatewayTestApp.errorCode(response) == "not_configured")
            }
            for path in [
                "/api/connectors", "/api/connectors/sync-runs", "/api/archives",
                "/api/analytics/voicebot?month=2026-11",
            ] {
                try await client.execute(uri: path, method: .get, headers: app.headers("supervisor")) {
                    response throws in
                    #expect(response.status == .forbidden, "\(path)")
                }
            }
            for query in ["month=2026-13", "from=2026-11-02&to=2026-11-01", ""] {
                try await client.execute(
                    uri: "/api/analytics/voicebot?\(query)", method: .get, headers: admin
                ) { response throws in
                    #expect(response.status == .badRequest)
                    #expect(try GatewayTestApp.errorCode(response) == "invalid_query")
                }
            }
            // Moving the connector elsewhere without giving the key again drops the key: a stored key
            // is never sent to a server of someone's choosing.
            try await client.execute(
                uri: "/api/connectors/dialpad", method: .put, headers: admin,
                body: Self.body(#"{"base_url": "https://collector.example.com"}"#)
            ) { response throws in
                let json = try GatewayTestApp.json(response)
                #expect(json["base_url"] as? String == "https://collector.example.com" && json["api_key"] is NSNull)
            }
            #expect(try await app.store.connectorSettings(.dialpad)?.sealedAPIKey == nil)
        }
    }

    @Test func withoutConnectorsTheRoutesSayWhy() async throws {
        let app = try await GatewayTestApp()
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/connectors", method: .get, headers: app.headers("admin")) {
                response throws in
                #expect(response.status == .serviceUnavailable)
                #expect(try GatewayTestApp.errorCode(response) == "connectors_unavailable")
            }
        }
    }

    @Test func runNowImportsTheCallsAndLogsTheRunAndArchivesServeTheCSV() async throws {
        let state = MockDialpadState(apiKey: "dp_live_key_1234", calls: 60, window: Self.window)
        try await MockDialpad.run(state: state) { _, base in
            let app = try await Self.app(dialpad: base)
            try await app.test(.live) { client in
                let admin = app.headers("admin")
                try await client.execute(
                    uri: "/api/connectors/dialpad", method: .put, headers: admin,
                    body: Self.body(#"{"api_key": "dp_live_key_1234", "target_id": "\#(state.departmentID)"}"#)
                ) { #expect($0.status == .ok) }
                let window = #"{"from": "2025-12-01T00:00:00Z", "to": "2025-12-11T00:00:00Z"}"#
                var runID = ""
                try await client.execute(
                    uri: "/api/connectors/dialpad/sync", method: .post, headers: admin, body: Self.body(window)
                ) { response throws in
                    #expect(response.status == .accepted)
                    let run = try #require(try GatewayTestApp.json(response)["run"] as? [String: Any])
                    runID = try #require(run["id"] as? String)
                    #expect(run["status"] as? String == "running" && run["trigger"] as? String == "manual")
                }
                var status = "running"
                for _ in 0..<200 where status == "running" {
                    try await Task.sleep(for: .milliseconds(50))
                    try await client.execute(
                        uri: "/api/connectors/sync-runs?kind=dialpad", method: .get, headers: admin
                    ) { response throws in
                        let runs = try #require(try GatewayTestApp.json(response)["runs"] as? [[String: Any]])
                        let run = try #require(runs.first { $0["id"] as? String == runID })
                        status = run["status"] as? String ?? "?"
                        if status == "succeeded" {
                            #expect(run["calls_new"] as? Int == 60 && run["pages"] as? Int == 3)
                        }
                    }
                }
                #expect(status == "succeeded")
                try await client.execute(
                    uri: "/api/calls/history?source=dialpad&page_size=100", method: .get, headers: admin
                ) { response throws in
                    let page = try GatewayTestApp.json(response)
                    #expect(page["total"] as? Int == 60)
                    let calls = try #require(page["calls"] as? [[String: Any]])
                    #expect(calls.allSatisfy { $0["source"] as? String == "dialpad" })
                }
                try await client.execute(uri: "/api/calls/history?source=zoom", method: .get, headers: admin) {
                    #expect($0.status == .badRequest)
                }
                try await client.execute(
                    uri: "/api/analytics/agent-activity?from=2025-12-01&to=2025-12-11", method: .get, headers: admin
                ) { response throws in
                    let total = try #require(try GatewayTestApp.json(response)["total"] as? [String: Any])
                    #expect(total["total"] as? Int == 60)
                }
                try await client.execute(
                    uri: "/api/archives", method: .post, headers: admin, body: Self.body(#"{"month": "2025-12"}"#)
                ) { response throws in
                    #expect(response.status == .created)
                    #expect(try GatewayTestApp.json(response)["calls"] as? Int == 60)
                }
                try await client.execute(uri: "/api/archives/2025-12/download", method: .get, headers: admin) {
                    response throws in
                    #expect(response.status == .ok && response.headers[.contentType] == "text/csv; charset=utf-8")
                    let lines = String(buffer: response.body).split(separator: "\r\n")
                    #expect(lines.count == 61 && lines.dropFirst().allSatisfy { $0.hasSuffix(",dialpad") })
                }
                try await client.execute(uri: "/api/archives/2025-11/download", method: .get, headers: admin) {
                    response throws in
                    #expect(response.status == .notFound)
                    #expect(try GatewayTestApp.errorCode(response) == "unknown_archive")
                }
                try await client.execute(
                    uri: "/api/archives", method: .post, headers: admin, body: Self.body(#"{"month": "25-12"}"#)
                ) { response throws in
                    #expect(response.status == .badRequest)
                    #expect(try GatewayTestApp.errorCode(response) == "invalid_month")
                }
            }
        }
    }
}
