import AsyncHTTPClient
import FakeOpenAIServer
import Foundation
import NIOHTTP1
import Testing

/// The real server process against what a dead process leaves behind: a job it died in, again and
/// again, and the partial files of uploads it was receiving.
@Suite("callpipe serve always starts, whatever the last process left", .timeLimit(.minutes(3)))
struct ServerRecoveryTests {
    typealias Server = ServerRestartTests.ServerProcess

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recovery-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func adminKey(_ directory: URL, environment: [String: String] = [:]) async throws -> String {
        let output = try await CallPipeBinary.run(
            ["keys", "create", "--role", "admin", "--data-dir", directory.path], environment: environment)
        return try #require(output.stdout.split(separator: "\n").last.map(String.init))
    }

    /// Starts a call and uploads the call fixture to it; returns the call's id.
    static func upload(_ client: HTTPClient, base: String, key: String) async throws -> String {
        let (_, call) = try await ServerRestartTests.request(
            client, .POST, "\(base)/api/calls/start", key: key, contentType: "application/json",
            body: Data(#"{"agent_id":"ann"}"#.utf8))
        let id = try #require(call["id"] as? String)
        let audio = try Data(contentsOf: CallPipeBinary.fixtures.appendingPathComponent("call.mp3"))
        let (status, _) = try await ServerRestartTests.request(
            client, .POST, "\(base)/api/calls/\(id)/audio", key: key, contentType: "audio/mpeg", body: audio)
        #expect(status == 202)
        return id
    }

    @Test(.timeLimit(.minutes(2)))
    func aRecordingTheServerDiedProcessingThreeTimesFailsAndTheServerStillStarts() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = try await Self.adminKey(directory)
        try await FakeOpenAIServer.run { fake in
            // Transcriptions hang: each process dies (SIGKILL, as a crash would) while one is running.
            await fake.state.setLatency(10)
            let environment = [
                "OPENAI_API_KEY": fake.apiKey, "OPENAI_BASE_URL": fake.baseURL,
                "CALLPIPE_CA_FILE": try fake.certificate.writeCertificate(to: directory), "CALLPIPE_DEV_MODE": "false",
                "LOG_LEVEL": "info",
            ]
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            var servers: [Server] = []
            do {
                var server = try Server(dataDirectory: directory, environment: environment)
                servers.append(server)
                let id = try await Self.upload(client, base: "http://127.0.0.1:\(try await server.port())", key: key)
                for death in 1...3 {
                    for _ in 0..<400 where await fake.state.requests.count < 2 * death - 1 {
                        try await Task.sleep(for: .milliseconds(25))
                    }
                    #expect(await fake.state.requests.count >= 2 * death - 1, "transcribing when death \(death) comes")
                    try await server.kill()
                    server = try Server(dataDirectory: directory, environment: environment)
                    servers.append(server)
                }
                // The fourth process starts, fails the job instead of running it, and serves.
                let base = "http://127.0.0.1:\(try await server.port())"
                let (health, _) = try await ServerRestartTests.request(client, .GET, "\(base)/health", key: key)
                #expect(health == 200)
                let reason = "the process stopped while processing this recording 3 times"
                let detail = try await ServerRestartTests.request(client, .GET, "\(base)/api/calls/\(id)", key: key).1
                #expect(detail["status"] as? String == "failed", "\(detail)")
                #expect(detail["failure_reason"] as? String == "transcribe failed: \(reason)", "\(detail)")
                let jobs = try #require(detail["jobs"] as? [[String: Any]])
                let transcribe = try #require(jobs.first { $0["stage"] as? String == "transcribe" })
                #expect(transcribe["state"] as? String == "failed" && transcribe["last_error"] as? String == reason)
                #expect(transcribe["attempts"] as? Int == 3)
                let log = try String(contentsOf: server.log, encoding: .utf8)
                #expect(log.contains("the process died while running it too many times"), "\(log)")
                let roomStatus = try await ServerRestartTests.roomStatus(
                    port: try await server.port(), callID: id, key: key)
                #expect(roomStatus?.contains(#""status":"failed""#) == true, "\(roomStatus ?? "no call_status")")
                // A new upload is processed as usual: nothing is wedged.
                await fake.state.setLatency(0)
                let next = try await Self.upload(client, base: base, key: key)
                var status: String?
                for _ in 0..<300 where !["done", "failed"].contains(status ?? "") {
                    status =
                        try await ServerRestartTests.request(client, .GET, "\(base)/api/calls/\(next)", key: key)
                        .1["status"] as? String
                    if status != "done" { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(status == "done")
                try await server.stop()
                try await client.shutdown()
            } catch {
                for server in servers { try? await server.stop() }
                try? await client.shutdown()
                throw error
            }
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aJobCutShortByAGracefulStopIsQueuedAgainWithoutCountingIt() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = try await Self.adminKey(directory)
        try await FakeOpenAIServer.run { fake in
            await fake.state.setLatency(10)
            var environment = [
                "OPENAI_API_KEY": fake.apiKey, "OPENAI_BASE_URL": fake.baseURL,
                "CALLPIPE_CA_FILE": try fake.certificate.writeCertificate(to: directory), "CALLPIPE_DEV_MODE": "false",
                "LOG_LEVEL": "info",
            ]
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            var servers: [Server] = []
            do {
                let first = try Server(dataDirectory: directory, environment: environment)
                servers.append(first)
                let id = try await Self.upload(client, base: "http://127.0.0.1:\(try await first.port())", key: key)
                for _ in 0..<400 where await fake.state.requests.isEmpty {
                    try await Task.sleep(for: .milliseconds(25))
                }
                #expect(await !fake.state.requests.isEmpty, "transcribing when the stop comes")
                try await first.stop()  // SIGTERM: a deploy, not a crash.
                // Without workers, the next process shows the job as the stop left it.
                environment["CALLPIPE_WORKERS"] = "0"
                let second = try Server(dataDirectory: directory, environment: environment)
                servers.append(second)
                let base = "http://127.0.0.1:\(try await second.port())"
                let detail = try await ServerRestartTests.request(client, .GET, "\(base)/api/calls/\(id)", key: key).1
                let jobs = try #require(detail["jobs"] as? [[String: Any]])
                let transcribe = try #require(jobs.first { $0["stage"] as? String == "transcribe" })
                #expect(transcribe["state"] as? String == "queued", "\(transcribe)")
                #expect(transcribe["attempts"] as? Int == 0, "\(transcribe)")
                let log = try String(contentsOf: first.log, encoding: .utf8)
                #expect(log.contains("Work cut short by the shutdown is queued again"), "\(log)")
                try await second.stop()
                try await client.shutdown()
            } catch {
                for server in servers { try? await server.stop() }
                try? await client.shutdown()
                throw error
            }
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func partialFilesLeftByACrashAreSweptAtStartAndCompletedUploadsKept() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = try await Self.adminKey(directory)
        try await FakeOpenAIServer.run { fake in
            let environment = [
                "OPENAI_API_KEY": fake.apiKey, "OPENAI_BASE_URL": fake.baseURL,
                "CALLPIPE_CA_FILE": try fake.certificate.writeCertificate(to: directory), "CALLPIPE_DEV_MODE": "false",
                "CALLPIPE_WORKERS": "0", "LOG_LEVEL": "info",
            ]
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            var servers: [Server] = []
            do {
                let first = try Server(dataDirectory: directory, environment: environment)
                servers.append(first)
                let id = try await Self.upload(client, base: "http://127.0.0.1:\(try await first.port())", key: key)
                try await first.kill()
                let recordings = directory.appendingPathComponent("recordings")
                let kept = try FileManager.default.contentsOfDirectory(
                    atPath: recordings.appendingPathComponent(id).path)
                #expect(kept.count == 1 && !kept[0].hasSuffix(".partial"), "\(kept)")
                // What uploads cut off by a crash leave: in the call's directory and in a new one.
                let ghost = recordings.appendingPathComponent("call_ghost")
                try FileManager.default.createDirectory(at: ghost, withIntermediateDirectories: true)
                let leftovers = [
                    recordings.appendingPathComponent("\(id)/rec_cut.upload.partial"),
                    recordings.appendingPathComponent("\(id)/rec_cut.audio.partial"),
                    ghost.appendingPathComponent("rec_ghost.upload.partial"),
                ]
                for file in leftovers { try Data(repeating: 9, count: 4_096).write(to: file) }

                let second = try Server(dataDirectory: directory, environment: environment)
                servers.append(second)
                let base = "http://127.0.0.1:\(try await second.port())"
                for file in leftovers { #expect(!FileManager.default.fileExists(atPath: file.path), "\(file.path)") }
                #expect(
                    try FileManager.default.contentsOfDirectory(atPath: recordings.appendingPathComponent(id).path)
                        == kept)
                let log = try String(contentsOf: second.log, encoding: .utf8)
                #expect(log.contains("Deleted partial files left by an interrupted upload") && log.contains("files=3"))
                let detail = try await ServerRestartTests.request(client, .GET, "\(base)/api/calls/\(id)", key: key).1
                #expect((detail["recordings"] as? [Any])?.count == 1, "\(detail)")
                try await second.stop()
                try await client.shutdown()
            } catch {
                for server in servers { try? await server.stop() }
                try? await client.shutdown()
                throw error
            }
        }
    }
}
