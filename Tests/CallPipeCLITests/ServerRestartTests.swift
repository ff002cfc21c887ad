import AsyncHTTPClient
import FakeOpenAIServer
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Testing

/// The real server process, killed with SIGKILL in the middle of a job and started again.
@Suite("callpipe serve survives kill -9", .timeLimit(.minutes(3)))
struct ServerRestartTests {
    /// A `callpipe serve` child process with its log.
    final class ServerProcess: @unchecked Sendable {
        let process = Process()
        let log: URL
        let dataDirectory: URL

        init(dataDirectory: URL, environment: [String: String]) throws {
            self.dataDirectory = dataDirectory
            log = dataDirectory.appendingPathComponent("serve-\(UUID().uuidString).log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.executableURL = CallPipeBinary.url
            process.arguments = ["serve", "--port", "0", "--data-dir", dataDirectory.path]
            let inherited = ProcessInfo.processInfo.environment.filter { ["PATH", "HOME"].contains($0.key) }
            // A debug server in a parallel test run can have its event loops late for seconds:
            // admission by lag (docs/production.md, "Live capacity") is off unless a test sets it.
            process.environment = inherited.merging(["CALLPIPE_LIVE_MAX_LAG_MS": "0"]) { $1 }
                .merging(environment) { $1 }
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
        }

        /// The port from "listening on 127.0.0.1:PORT", once the server is up.
        func port() async throws -> Int {
            for _ in 0..<200 {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                if let range = text.range(of: "listening on 127.0.0.1:") {
                    return Int(text[range.upperBound...].prefix { $0.isNumber }) ?? 0
                }
                guard process.isRunning else { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            throw FakeServerError(
                message: "callpipe serve did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }

        func kill() async throws {
            Foundation.kill(process.processIdentifier, SIGKILL)
            try await CallPipeBinary.offCooperativePool { self.process.waitUntilExit() }
        }

        /// SIGTERM, and the server must be gone within 25 s (it cancels what has not finished
        /// after 15 s); one that is not is killed — so the suite goes on — and the test fails.
        func stop() async throws {
            if process.isRunning { process.terminate() }
            let deadline = ContinuousClock.now + .seconds(25)
            while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning {
                Issue.record("callpipe serve did not exit within 25 s of SIGTERM")
                Foundation.kill(process.processIdentifier, SIGKILL)
            }
            try await CallPipeBinary.offCooperativePool { self.process.waitUntilExit() }
        }
    }

    static func request(
        _ client: HTTPClient, _ method: HTTPMethod, _ url: String, key: String, contentType: String? = nil,
        body: Data? = nil
    ) async throws -> (Int, [String: Any]) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let body { request.body = .bytes(ByteBuffer(data: body)) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let data = Data(buffer: try await response.body.collect(upTo: 10 << 20))
        return (Int(response.status.code), (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
    }

    actor FrameBox {
        var frame: String?
        func set(_ value: String) { frame = value }
    }

    /// The first `call_status` frame a room subscriber receives for `callID`.
    static func roomStatus(port: Int, callID: String, key: String) async throws -> String? {
        let box = FrameBox()
        try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/ws?token=\(key)", logger: Logger(label: "test"))
        {
            inbound, outbound, _ in
            try await outbound.write(.text(#"{"type":"join_call_session","session_id":"\#(callID)"}"#))
            for try await message in inbound.messages(maxSize: 1 << 20) {
                if case .text(let text) = message, text.contains(#""type":"call_status""#) {
                    await box.set(text)
                    break
                }
            }
        }
        return await box.frame
    }

    @Test(.timeLimit(.minutes(2)))
    func finishesTheCallAfterARestartWithoutRepeatingFinishedStages() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("restart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyOutput = try await CallPipeBinary.run(
            ["keys", "create", "--role", "admin", "--data-dir", directory.path], environment: [:])
        let key = try #require(keyOutput.stdout.split(separator: "\n").last.map(String.init))
        try await FakeOpenAIServer.run { fake in
            await fake.state.setLatency(2)  // Slow transcriptions: the kill lands mid-stage.
            let caFile = try fake.certificate.writeCertificate(to: directory)
            let environment = [
                "OPENAI_API_KEY": fake.apiKey, "OPENAI_BASE_URL": fake.baseURL, "CALLPIPE_CA_FILE": caFile,
                "CALLPIPE_DEV_MODE": "false", "LOG_LEVEL": "info",
            ]
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            var servers: [ServerProcess] = []
            do {
                let first = try ServerProcess(dataDirectory: directory, environment: environment)
                servers.append(first)
                let base = "http://127.0.0.1:\(try await first.port())"
                let (_, call) = try await Self.request(
                    client, .POST, "\(base)/api/calls/start", key: key, contentType: "application/json",
                    body: Data(#"{"agent_id":"ann"}"#.utf8))
                let id = try #require(call["id"] as? String)
                let audio = try Data(contentsOf: CallPipeBinary.fixtures.appendingPathComponent("call.mp3"))
                let (status, _) = try await Self.request(
                    client, .POST, "\(base)/api/calls/\(id)/audio", key: key, contentType: "audio/mpeg", body: audio)
                #expect(status == 202)
                for _ in 0..<200 where await fake.state.requests.isEmpty {
                    try await Task.sleep(for: .milliseconds(25))
                }
                try await first.kill()
                #expect(await !fake.state.requests.isEmpty, "the kill should land while transcribing")

                await fake.state.setLatency(0)
                let second = try ServerProcess(dataDirectory: directory, environment: environment)
                servers.append(second)
                let restarted = "http://127.0.0.1:\(try await second.port())"
                var detail: [String: Any] = [:]
                for _ in 0..<300 {
                    detail = try await Self.request(client, .GET, "\(restarted)/api/calls/\(id)", key: key).1
                    if ["done", "failed"].contains(detail["status"] as? String) { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(detail["status"] as? String == "done", "\(detail)")
                let jobs = try #require(detail["jobs"] as? [[String: Any]])
                #expect(jobs.first { $0["stage"] as? String == "analyze" }?["attempts"] as? Int == 1)
                #expect(jobs.first { $0["stage"] as? String == "transcribe" }?["attempts"] as? Int == 2)
                #expect(jobs.allSatisfy { $0["state"] as? String == "done" })
                #expect(((detail["transcript"] as? [String: Any])?["segments"] as? [Any])?.isEmpty == false)
                // The server's workers publish to the rooms: a late joiner gets the call's state.
                let roomStatus = try await Self.roomStatus(port: try await second.port(), callID: id, key: key)
                #expect(roomStatus?.contains(#""status":"done""#) == true, "\(roomStatus ?? "no call_status event")")
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
