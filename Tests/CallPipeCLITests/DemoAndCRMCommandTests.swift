import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Testing

/// `callpipe seed-demo` and the CRM settings of `callpipe serve`, as a user runs them.
@Suite("callpipe seed-demo and CRM start-up checks", .timeLimit(.minutes(3)))
struct DemoAndCRMCommandTests {
    static let noAI = ["OPENAI_API_KEY": "sk-test-not-used-0123456789", "OPENAI_BASE_URL": "https://127.0.0.1:9/v1"]

    @Test(.timeLimit(.minutes(1)))
    func seedDemoImportsTheMockVendorsCallsAsDemoCallsThatReplaceRemoves() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = ["seed-demo", "--days", "2", "--calls-per-day", "10", "--data-dir", directory.path]
        let seeded = try await CallPipeBinary.run(arguments + ["--vendor-calls", "60"], environment: [:])
        #expect(seeded.status == 0, "\(seeded.stderr)")
        let addedLine = try #require(seeded.stdout.split(separator: "\n").first { $0.hasPrefix("Added ") })
        let added = try #require(addedLine.split(separator: " ").dropFirst().first.flatMap { Int($0) })
        #expect(seeded.stdout.contains("Imported 60 Dialpad calls from its mock as demo calls (succeeded)"))
        #expect(seeded.stdout.contains("Imported 60 ElevenLabs calls from its mock as demo calls (succeeded)"))
        // The imported calls are demo calls: --replace removes them with the others.
        let replaced = try await CallPipeBinary.run(arguments + ["--replace"], environment: [:])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(replaced.stdout.contains("Removed \(added + 120) demo calls."), "\(replaced.stdout)")
    }

    @Test(.timeLimit(.minutes(1)))
    func seededDemoCallsFillTheDashboardAndTheDefaultRunListsTheMockCRM() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let seeded = try await CallPipeBinary.run(
            ["seed-demo", "--days", "3", "--calls-per-day", "30", "--data-dir", directory.path], environment: [:])
        #expect(seeded.status == 0, "\(seeded.stderr)")
        let added = try #require(
            seeded.stdout.split(separator: " ").dropFirst().first.flatMap { Int($0) }, "\(seeded.stdout)")
        #expect(added > 0 && seeded.stdout.contains("demo calls over 3 days"))
        let keyOutput = try await CallPipeBinary.run(
            ["keys", "create", "--role", "admin", "--data-dir", directory.path], environment: [:])
        let key = try #require(keyOutput.stdout.split(separator: "\n").last.map(String.init))
        // Dev mode (on by default on loopback) mounts the mock CRM, behind an admin key.
        let server = try ServerRestartTests.ServerProcess(dataDirectory: directory, environment: Self.noAI)
        do {
            let port = try await server.port()
            let client = HTTPClient.shared
            let (status, dashboard) = try await ServerRestartTests.request(
                client, .GET, "http://127.0.0.1:\(port)/api/analytics/dashboard", key: key)
            #expect(status == 200)
            #expect((dashboard["totals"] as? [String: Any])?["calls"] as? Int == added)
            let (_, real) = try await ServerRestartTests.request(
                client, .GET, "http://127.0.0.1:\(port)/api/analytics/dashboard?demo=false", key: key)
            #expect((real["totals"] as? [String: Any])?["calls"] as? Int == 0, "every seeded call is marked demo")
            let (_, targets) = try await ServerRestartTests.request(
                client, .GET, "http://127.0.0.1:\(port)/api/crm/targets", key: key)
            let listed = targets["targets"] as? [[String: Any]] ?? []
            #expect(listed.compactMap { $0["kind"] as? String } == ["salesforce", "zendesk", "hubspot", "webhook"])
            #expect(listed.allSatisfy { ($0["url"] as? String)?.contains("/_mock/") == true })
            let (anonymous, _) = try await ServerRestartTests.request(
                client, .GET, "http://127.0.0.1:\(port)/_mock/objects", key: "")
            #expect(anonymous == 401, "the mock CRM answers only an admin key")
            let (mockStatus, objects) = try await ServerRestartTests.request(
                client, .GET, "http://127.0.0.1:\(port)/_mock/objects", key: key)
            #expect(mockStatus == 200 && objects["salesforce_tasks"] as? Int == 0)
            try await server.stop()
        } catch {
            try? await server.stop()
            throw error
        }
    }

    @Test(arguments: [
        (#"[{"kind": "hubspot", "url": "https://api.hubapi.com"}]"#, "token is required"),
        (#"[{"kind": "zoho", "url": "https://z.example.com", "token": "zoho-secret-token"}]"#, "kind must be one of"),
        (
            #"[{"kind": "webhook", "url": "hooks.example.com", "secret": "whsec-secret-value"}]"#,
            "url must be an http(s) URL"
        ),
        ("{broken", "not a JSON array"),
    ])
    func aMisconfiguredCRMTargetStopsTheServerAtStartWithTheReason(_ targets: String, _ reason: String) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crm-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await CallPipeBinary.run(
            ["serve", "--port", "0", "--data-dir", directory.path],
            environment: Self.noAI.merging(["CALLPIPE_CRM_TARGETS": targets]) { $1 })
        #expect(result.status == 2)
        #expect(result.stderr.contains(reason), "\(result.stderr)")
        #expect(!result.stderr.contains("secret-token") && !result.stderr.contains("secret-value"))
    }
}
