import AsyncHTTPClient
import EngineTestSupport
import FakeOpenAIServer
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOHTTP1
import ObjectStorage
import Testing

/// Several `callpipe serve` processes on one PostgreSQL database (docs/ARCHITECTURE.md §15).
@Suite("callpipe serve: several nodes on PostgreSQL", .timeLimit(.minutes(3)))
struct ClusterTests {
    typealias ServerProcess = ServerRestartTests.ServerProcess

    /// Node A is killed with SIGKILL while transcribing; node B, already running, takes the job
    /// once A's lease has run out and finishes the call: nothing lost, no stage repeated but the
    /// one cut short, one final summary.
    @Test(.timeLimit(.minutes(2)))
    func anotherNodeFinishesTheCallOfANodeKilledMidJob() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try await PostgresTestServer.shared.newDatabase().environmentValue
        let keyOutput = try await CallPipeBinary.run(
            ["keys", "create", "--role", "admin", "--data-dir", directory.path],
            environment: ["CALLPIPE_DATABASE_URL": database])
        let key = try #require(keyOutput.stdout.split(separator: "\n").last.map(String.init), "\(keyOutput)")
        try await FakeOpenAIServer.run { fake in
            await fake.state.setLatency(2)  // Slow transcriptions: the kill lands mid-stage.
            let caFile = try fake.certificate.writeCertificate(to: directory)
            let environment = [
                "OPENAI_API_KEY": fake.apiKey, "OPENAI_BASE_URL": fake.baseURL, "CALLPIPE_CA_FILE": caFile,
                "CALLPIPE_DEV_MODE": "false", "LOG_LEVEL": "info", "CALLPIPE_DATABASE_URL": database,
                "CALLPIPE_JOB_LEASE_S": "3",
            ]
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            var servers: [ServerProcess] = []
            do {
                var nodeA = environment
                nodeA["CALLPIPE_NODE_ID"] = "node-a"
                let first = try ServerProcess(dataDirectory: directory, environment: nodeA)
                servers.append(first)
                let base = "http://127.0.0.1:\(try await first.port())"
                let (_, call) = try await ServerRestartTests.request(
                    client, .POST, "\(base)/api/calls/start", key: key, contentType: "application/json",
                    body: Data(#"{"agent_id":"ann"}"#.utf8))
                let id = try #require(call["id"] as? String)
                let audio = try Data(contentsOf: CallPipeBinary.fixtures.appendingPathComponent("call.mp3"))
                let (status, _) = try await ServerRestartTests.request(
                    client, .POST, "\(base)/api/calls/\(id)/audio", key: key, contentType: "audio/mpeg", body: audio)
                #expect(status == 202)
                for _ in 0..<200 where await fake.state.requests.isEmpty {
                    try await Task.sleep(for: .milliseconds(25))
                }
                // Node B joins while A is transcribing: A's claim is live, B leaves it alone.
                var nodeB = environment
                nodeB["CALLPIPE_NODE_ID"] = "node-b"
                let second = try ServerProcess(dataDirectory: directory, environment: nodeB)
                servers.append(second)
                let other = "http://127.0.0.1:\(try await second.port())"
                try await first.kill()
                #expect(await !fake.state.requests.isEmpty, "the kill should land while transcribing")
                await fake.state.setLatency(0)
                var detail: [String: Any] = [:]
                for _ in 0..<300 {
                    detail = try await ServerRestartTests.request(client, .GET, "\(other)/api/calls/\(id)", key: key).1
                    if ["done", "failed"].contains(detail["status"] as? String) { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(detail["status"] as? String == "done", "\(detail)")
                let jobs = try #require(detail["jobs"] as? [[String: Any]])
                #expect(jobs.first { $0["stage"] as? String == "analyze" }?["attempts"] as? Int == 1)
                #expect(jobs.first { $0["stage"] as? String == "transcribe" }?["attempts"] as? Int == 2)
                #expect(jobs.allSatisfy { $0["state"] as? String == "done" })
                #expect(jobs.filter { $0["stage"] as? String == "summarize" }.count == 1, "one final summary")
                #expect(((detail["transcript"] as? [String: Any])?["segments"] as? [Any])?.isEmpty == false)
                try await second.stop()
                try await client.shutdown()
            } catch {
                for server in servers { try? await server.stop() }
                try? await client.shutdown()
                throw error
            }
        }
    }

    actor Frames {
        var texts: [String] = []
        func add(_ text: String) { texts.append(text) }
    }

    /// A supervisor's room on node B follows a call that node A processes: B's room gets A's
    /// events as they happen, through the database.
    @Test(.timeLimit(.minutes(2)))
    func aSupervisorOnOneNodeWatchesACallProcessedOnAnother() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rooms-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try await PostgresTestServer.shared.newDatabase().environmentValue
        let keyOutput = try await CallPipeBinary.run(
            ["keys", "create", "--role", "admin", "--data-dir", directory.path],
            environment: ["CALLPIPE_DATABASE_URL": database])
        let key = try #require(keyOutput.stdout.split(separator: "\n").last.map(String.init), "\(keyOutput)")
        try await FakeOpenAIServer.run { fake in
            let caFile = try fake.certificate.writeCertificate(to: directory)
            let environment = [
                "OPENAI_API_KEY": fake.apiKey, "OPENAI_BASE_URL": fake.baseURL, "CALLPIPE_CA_FILE": caFile,
                "CALLPIPE_DEV_MODE": "false", "CALLPIPE_DATABASE_URL": database,
            ]
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            var servers: [ServerProcess] = []
            do {
                // Node A processes; node B has no workers (an API-only node), so only A can.
                let nodeA = try ServerProcess(dataDirectory: directory, environment: environment)
                servers.append(nodeA)
                var apiOnly = environment
                apiOnly["CALLPIPE_WORKERS"] = "0"
                let nodeB = try ServerProcess(dataDirectory: directory, environment: apiOnly)
                servers.append(nodeB)
                let baseA = "http://127.0.0.1:\(try await nodeA.port())"
                let portB = try await nodeB.port()
                let (_, call) = try await ServerRestartTests.request(
                    client, .POST, "\(baseA)/api/calls/start", key: key, contentType: "application/json",
                    body: Data(#"{"agent_id":"ann"}"#.utf8))
                let id = try #require(call["id"] as? String)
                let frames = Frames()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await WebSocketClient.connect(
                            url: "ws://127.0.0.1:\(portB)/ws?token=\(key)", logger: Logger(label: "test")
                        ) { inbound, outbound, _ in
                            try await outbound.write(.text(#"{"type":"join_call_session","session_id":"\#(id)"}"#))
                            for try await message in inbound.messages(maxSize: 1 << 20) {
                                guard case .text(let text) = message else { continue }
                                await frames.add(text)
                                if text.contains(#""type":"call_status""#), text.contains(#""status":"done""#) { break }
                            }
                        }
                    }
                    group.addTask {
                        try await Task.sleep(for: .seconds(60))
                        throw FakeServerError(message: "node B's room never saw the call done")
                    }
                    // Upload once B's room is joined (its first frame, the call's state, may be empty:
                    // wait a moment for the join instead).
                    try await Task.sleep(for: .milliseconds(500))
                    let audio = try Data(contentsOf: CallPipeBinary.fixtures.appendingPathComponent("call.mp3"))
                    let (status, _) = try await ServerRestartTests.request(
                        client, .POST, "\(baseA)/api/calls/\(id)/audio", key: key, contentType: "audio/mpeg",
                        body: audio)
                    #expect(status == 202)
                    try await group.next()
                    group.cancelAll()
                }
                let texts = await frames.texts
                #expect(texts.contains { $0.contains(#""type":"transcript_update""#) }, "\(texts.count) frames")
                #expect(texts.last?.contains(#""status":"done""#) == true)
                // In order: each frame's seq is higher than the one before.
                let seqs = texts.compactMap { text -> Int? in
                    guard let range = text.range(of: #""seq":"#) else { return nil }
                    return Int(text[range.upperBound...].prefix { $0.isNumber })
                }
                #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count, "\(seqs)")
                for server in servers { try await server.stop() }
                try await client.shutdown()
            } catch {
                for server in servers { try? await server.stop() }
                try? await client.shutdown()
                throw error
            }
        }
    }

    /// An API-only node and a worker node with disks of their own, sharing PostgreSQL and object
    /// storage: the upload taken by the API node is processed by the worker node (it can only read
    /// it from the bucket), and either node serves the recording's ranges from the bucket.
    @Test(.timeLimit(.minutes(2)))
    func nodesWithoutASharedDiskShareRecordingsThroughObjectStorage() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("s3-nodes-\(UUID().uuidString)")
        let (apiDisk, workerDisk) = (root.appendingPathComponent("api"), root.appendingPathComponent("worker"))
        for disk in [apiDisk, workerDisk] {
            try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        }
        defer { try? FileManager.default.removeItem(at: root) }
        let database = try await PostgresTestServer.shared.newDatabase().environmentValue
        let bucket = try await S3TestServer.shared.newBucket(prefix: "calls")
        let keyOutput = try await CallPipeBinary.run(
            ["keys", "create", "--role", "admin", "--data-dir", apiDisk.path],
            environment: ["CALLPIPE_DATABASE_URL": database])
        let key = try #require(keyOutput.stdout.split(separator: "\n").last.map(String.init), "\(keyOutput)")
        try await FakeOpenAIServer.run { fake in
            let caFile = try fake.certificate.writeCertificate(to: root)
            let environment = [
                "OPENAI_API_KEY": fake.apiKey, "OPENAI_BASE_URL": fake.baseURL, "CALLPIPE_CA_FILE": caFile,
                "CALLPIPE_DEV_MODE": "false", "CALLPIPE_DATABASE_URL": database,
                "CALLPIPE_STORAGE_URL": "s3://\(bucket.bucket)/calls",
                "CALLPIPE_S3_ENDPOINT": bucket.endpoint.absoluteString,
                "CALLPIPE_S3_REGION": bucket.region, "CALLPIPE_S3_ACCESS_KEY_ID": bucket.accessKeyID,
                "CALLPIPE_S3_SECRET_ACCESS_KEY": bucket.secretAccessKey,
            ]
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            var servers: [ServerProcess] = []
            do {
                var apiOnly = environment
                apiOnly["CALLPIPE_WORKERS"] = "0"
                apiOnly["CALLPIPE_NODE_ID"] = "api-1"
                let api = try ServerProcess(dataDirectory: apiDisk, environment: apiOnly)
                servers.append(api)
                var workerEnvironment = environment
                workerEnvironment["CALLPIPE_NODE_ID"] = "worker-1"
                let worker = try ServerProcess(dataDirectory: workerDisk, environment: workerEnvironment)
                servers.append(worker)
                let base = "http://127.0.0.1:\(try await api.port())"
                let workerBase = "http://127.0.0.1:\(try await worker.port())"
                let (_, health) = try await ServerRestartTests.request(client, .GET, "\(base)/health", key: key)
                let components = try #require(health["components"] as? [String: [String: Any]])
                let recordings = components["recordings"]?["details"] as? [String: String]
                #expect(recordings?["storage"]?.hasPrefix("s3://\(bucket.bucket)/calls at http://127.0.0.1") == true)
                #expect((components["node"]?["details"] as? [String: String])?["id"] == "api-1")
                #expect(!String(describing: health).contains(bucket.secretAccessKey))

                let (_, call) = try await ServerRestartTests.request(
                    client, .POST, "\(base)/api/calls/start", key: key, contentType: "application/json",
                    body: Data(#"{"agent_id":"ann"}"#.utf8))
                let id = try #require(call["id"] as? String)
                let audio = try Data(contentsOf: CallPipeBinary.fixtures.appendingPathComponent("call.mp3"))
                let (status, _) = try await ServerRestartTests.request(
                    client, .POST, "\(base)/api/calls/\(id)/audio", key: key, contentType: "audio/mpeg", body: audio)
                #expect(status == 202)
                // Nothing of the recording stays on the API node's disk.
                let leftovers =
                    FileManager.default.enumerator(atPath: apiDisk.appendingPathComponent("recordings").path)?
                    .compactMap { $0 as? String }.filter { $0.hasSuffix(".mp3") } ?? []
                #expect(leftovers.isEmpty, "\(leftovers)")
                var detail: [String: Any] = [:]
                for _ in 0..<300 {
                    detail = try await ServerRestartTests.request(client, .GET, "\(base)/api/calls/\(id)", key: key).1
                    if ["done", "failed"].contains(detail["status"] as? String) { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(detail["status"] as? String == "done", "\(detail)")
                let stored = try #require((detail["recordings"] as? [[String: Any]])?.first)
                #expect(
                    (stored["path"] as? String)?.hasPrefix("s3://\(bucket.bucket)/calls/\(id)/") == true, "\(stored)")
                // Ranges from the bucket, through either node.
                for node in [base, workerBase] {
                    var request = HTTPClientRequest(url: "\(node)/api/calls/\(id)/recording")
                    request.headers.add(name: "Authorization", value: "Bearer \(key)")
                    request.headers.add(name: "Range", value: "bytes=100-1099")
                    let response = try await client.execute(request, timeout: .seconds(30))
                    let body = try await response.body.collect(upTo: 1 << 20)
                    #expect(response.status == .partialContent)
                    #expect(response.headers.first(name: "content-range") == "bytes 100-1099/\(audio.count)")
                    #expect(Data(body.readableBytesView) == audio[100...1099])
                }
                for server in servers { try await server.stop() }
                try await client.shutdown()
            } catch {
                for server in servers { try? await server.stop() }
                try? await client.shutdown()
                throw error
            }
        }
    }
}
