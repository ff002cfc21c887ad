import AsyncHTTPClient
import Foundation
import Testing

/// Keys and dev mode as an operator meets them: expiring keys, listing and revoking, dev mode only
/// on loopback, and dev-mode keys that live one run.
@Suite("callpipe keys and dev mode", .timeLimit(.minutes(1)))
struct KeysAndDevModeTests {
    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func keysAreListedWithoutTheSecretAndRevokedByIdPrefix() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let created = try await CallPipeBinary.run(
            [
                "keys", "create", "--role", "supervisor", "--label", "wallboard", "--expires-in", "30", "--data-dir",
                directory.path,
            ], environment: [:])
        #expect(created.status == 0, "\(created.stderr)")
        let key = try #require(created.stdout.split(separator: "\n").last.map(String.init))
        let listed = try await CallPipeBinary.run(
            ["keys", "list", "--json", "--data-dir", directory.path], environment: [:])
        #expect(listed.status == 0 && !listed.stdout.contains(key))
        let entry = try #require(
            try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])
        #expect(entry["state"] as? String == "active" && entry["label"] as? String == "wallboard")
        #expect(entry["expires_at"] is String)
        let id = try #require(entry["id"] as? String)
        let revoked = try await CallPipeBinary.run(
            ["keys", "revoke", String(id.prefix(8)), "--data-dir", directory.path], environment: [:])
        #expect(revoked.status == 0 && revoked.stdout.contains(id))
        let after = try await CallPipeBinary.run(
            ["keys", "list", "--json", "--data-dir", directory.path], environment: [:])
        #expect(after.stdout.contains(#""state":"revoked""#))
        let unknown = try await CallPipeBinary.run(
            ["keys", "revoke", "nosuchkey", "--data-dir", directory.path], environment: [:])
        #expect(unknown.status == 3 && unknown.stderr.contains("no key"))
    }

    @Test(
        "Out-of-range key and server arguments are usage errors",
        arguments: [
            ["keys", "create", "--role", "admin", "--expires-in", "0"],
            ["keys", "create", "--role", "admin", "--expires-in", "99999999999999999999999"],
            ["serve", "--port", "70000"], ["serve", "--port", "-1"],
        ])
    func usageErrors(arguments: [String]) async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await CallPipeBinary.run(arguments + ["--data-dir", directory.path], environment: [:])
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
    }

    @Test func aHostileEnvironmentValueStopsTheServerAtStartNamingTheKey() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, value) in [
            ("CALLPIPE_PORT", "1e300"), ("CALLPIPE_WORKERS", "99999999999999999999"),
            ("CALLPIPE_LIVE_MAX_CALLS", "1e300"), ("CALLPIPE_MAX_UPLOAD_MB", "9999999999999"),
        ] {
            let result = try await CallPipeBinary.run(
                ["serve", "--data-dir", directory.path], environment: [name: value])
            #expect(result.status == 2 && result.stderr.contains(name), "\(name): \(result.stderr)")
        }
    }

    @Test func devModeIsRefusedOffLoopbackUnlessForced() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await CallPipeBinary.run(
            ["serve", "--host", "0.0.0.0", "--port", "0", "--data-dir", directory.path],
            environment: ["CALLPIPE_DEV_MODE": "true"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("loopback") && result.stderr.contains("CALLPIPE_DEV_MODE=force"))
    }

    @Test func devModeKeysAreRevokedAtTheNextStart() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = [
            "OPENAI_API_KEY": "sk-test-not-used-0123456789", "OPENAI_BASE_URL": "https://127.0.0.1:9/v1",
            "CALLPIPE_CRM_MOCK": "false",
        ]
        for _ in 0..<2 {
            let server = try ServerRestartTests.ServerProcess(dataDirectory: directory, environment: environment)
            _ = try await server.port()
            try await server.stop()
        }
        let listed = try await CallPipeBinary.run(
            ["keys", "list", "--json", "--data-dir", directory.path], environment: [:])
        let states = listed.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["state"] as? String
        }
        #expect(states.sorted() == ["active", "active", "active", "revoked", "revoked", "revoked"])
    }
}
