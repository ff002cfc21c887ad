import AsyncHTTPClient
import Foundation
import MockVendors
import NIOCore
import NIOHTTP1
import Testing

/// A Dialpad sync in a real `callpipe serve`, killed with SIGKILL half way and started again:
/// the run resumes from its cursor and every call is there once (docs/connectors.md); then
/// `callpipe sync` finds nothing new.
@Suite("callpipe sync survives kill -9", .timeLimit(.minutes(3)))
struct ConnectorRestartTests {
    static let window = Date(timeIntervalSince1970: 1_764_547_200)..<Date(timeIntervalSince1970: 1_765_411_200)

    @Test func aSyncCutOffByKill9ResumesAtTheNextStartWithoutDuplicates() async throws {
        let state = MockDialpadState(apiKey: "dp_live_key_1234", calls: 300, window: Self.window)
        await state.delayPages(by: .milliseconds(150))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sync-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let created = try await CallPipeBinary.run(
            ["keys", "create", "--role", "admin", "--data-dir", directory.path], environment: [:])
        let key = String(created.stdout.split(separator: "\n").last ?? "")
        try await MockDialpad.run(state: state) { _, base in
            // No pipeline workers: what is tested is the sync; the recordings wait in the queue.
            let environment = [
                "CALLPIPE_DEV_MODE": "false", "CALLPIPE_WORKERS": "0", "CALLPIPE_DIALPAD_URL": base.absoluteString,
                "LOG_LEVEL": "info",
            ]
            let client = HTTPClient.shared
            let first = try ServerRestartTests.ServerProcess(dataDirectory: directory, environment: environment)
            let firstURL = "http://127.0.0.1:\(try await first.port())"
            let settings = try JSONSerialization.data(withJSONObject: [
                "api_key": "dp_live_key_1234", "target_id": state.departmentID,
            ])
            let (put, _) = try await ServerRestartTests.request(
                client, .PUT, "\(firstURL)/api/connectors/dialpad", key: key, contentType: "application/json",
                body: settings)
            #expect(put == 200)
            let window = Data(#"{"from": "2025-12-01T00:00:00Z", "to": "2025-12-11T00:00:00Z"}"#.utf8)
            let (posted, answer) = try await ServerRestartTests.request(
                client, .POST, "\(firstURL)/api/connectors/dialpad/sync", key: key, contentType: "application/json",
                body: window)
            #expect(posted == 202)
            let runID = try #require((answer["run"] as? [String: Any])?["id"] as? String)
            func run(_ url: String) async throws -> [String: Any] {
                let (_, log) = try await ServerRestartTests.request(
                    client, .GET, "\(url)/api/connectors/sync-runs", key: key)
                return (log["runs"] as? [[String: Any]])?.first { $0["id"] as? String == runID } ?? [:]
            }
            while (try await run(firstURL)["pages"] as? Int ?? 0) < 3 { try await Task.sleep(for: .milliseconds(50)) }
            try await first.kill()
            let second = try ServerRestartTests.ServerProcess(dataDirectory: directory, environment: environment)
            let secondURL = "http://127.0.0.1:\(try await second.port())"
            let cut = try await run(secondURL)
            #expect(cut["status"] as? String == "running")
            var finished: [String: Any] = [:]
            for _ in 0..<400 {
                finished = try await run(secondURL)
                if finished["status"] as? String != "running" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(
                finished["status"] as? String == "succeeded",
                "\((try? String(contentsOf: second.log, encoding: .utf8)) ?? "")")
            #expect(finished["calls_new"] as? Int == 300 && finished["pages"] as? Int == 12)
            let (_, history) = try await ServerRestartTests.request(
                client, .GET, "\(secondURL)/api/calls/history?source=dialpad&page_size=1", key: key)
            #expect(history["total"] as? Int == 300)
            try await second.stop()
            // The CLI: the same window again, nothing new.
            let again = try await CallPipeBinary.run(
                [
                    "sync", "dialpad", "--from", "2025-12-01", "--to", "2025-12-11", "--data-dir", directory.path,
                ], environment: ["CALLPIPE_DIALPAD_URL": base.absoluteString])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout.contains("succeeded") && again.stdout.contains("calls new 0"))
            let unknown = try await CallPipeBinary.run(
                ["sync", "zoom", "--data-dir", directory.path], environment: [:])
            #expect(unknown.status != 0 && unknown.stderr.contains("dialpad or elevenlabs"))
        }
    }
}
