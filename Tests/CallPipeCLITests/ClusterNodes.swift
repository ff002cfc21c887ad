import AsyncHTTPClient
import EngineTestSupport
import FakeOpenAIServer
import Foundation
import HummingbirdWSClient
import Logging
import NIOHTTP1
import ObjectStorage

/// What every multi-node test starts from (docs/testing.md, "PostgreSQL"): a temporary directory,
/// a database of its own on the test PostgreSQL, an admin key in it, the fake OpenAI server and
/// the environment that points `callpipe serve` at both; and the `serve` processes it starts,
/// stopped (with the HTTP client) however the test ends.
final class ClusterNodes: @unchecked Sendable {
    typealias ServerProcess = ServerRestartTests.ServerProcess

    let root: URL
    let key: String
    let fake: FakeOpenAIServer
    /// What each node gets: the fake OpenAI server, dev mode off, the shared database.
    let environment: [String: String]
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    private var servers: [ServerProcess] = []

    private init(root: URL, key: String, fake: FakeOpenAIServer, environment: [String: String]) {
        self.root = root
        self.key = key
        self.fake = fake
        self.environment = environment
    }

    static func run(_ name: String, _ body: (ClusterNodes) async throws -> Void) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let database = try await PostgresTestServer.shared.newDatabase().environmentValue
        let key = try await ServerRecoveryTests.adminKey(root, environment: ["CALLPIPE_DATABASE_URL": database])
        try await FakeOpenAIServer.run { fake in
            let environment = [
                "OPENAI_API_KEY": fake.apiKey, "OPENAI_BASE_URL": fake.baseURL,
                "CALLPIPE_CA_FILE": try fake.certificate.writeCertificate(to: root), "CALLPIPE_DEV_MODE": "false",
                "LOG_LEVEL": "info", "CALLPIPE_DATABASE_URL": database,
            ]
            let nodes = ClusterNodes(root: root, key: key, fake: fake, environment: environment)
            do {
                try await body(nodes)
            } catch {
                for server in nodes.servers { try? await server.stop() }
                if ProcessInfo.processInfo.environment["DEBUG_NODES"] != nil {
                    for server in nodes.servers { print((try? String(contentsOf: server.log, encoding: .utf8)) ?? "") }
                }
                try? await nodes.client.shutdown()
                throw error
            }
            for server in nodes.servers { try await server.stop() }
            if ProcessInfo.processInfo.environment["DEBUG_NODES"] != nil {
                for server in nodes.servers { print(try String(contentsOf: server.log, encoding: .utf8)) }
            }
            try await nodes.client.shutdown()
        }
    }

    /// The environment that points a node at `bucket` (its `prefix` folder).
    static func storage(_ bucket: S3Configuration, prefix: String) -> [String: String] {
        [
            "CALLPIPE_STORAGE_URL": "s3://\(bucket.bucket)/\(prefix)",
            "CALLPIPE_S3_ENDPOINT": bucket.endpoint.absoluteString, "CALLPIPE_S3_REGION": bucket.region,
            "CALLPIPE_S3_ACCESS_KEY_ID": bucket.accessKeyID, "CALLPIPE_S3_SECRET_ACCESS_KEY": bucket.secretAccessKey,
        ]
    }

    /// Starts a node with the common environment plus `extra`, on `dataDirectory` (the shared
    /// root by default); returns it with its base URL.
    func start(_ extra: [String: String] = [:], dataDirectory: URL? = nil) async throws -> (ServerProcess, String) {
        let directory = dataDirectory ?? root
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let server = try ServerProcess(
            dataDirectory: directory, environment: environment.merging(extra) { $1 })
        servers.append(server)
        return (server, "http://127.0.0.1:\(try await server.port())")
    }

    /// Polls the call until it is done or failed (30 s at most) and, with `ended`, has ended (a
    /// live call's parts may be done while it goes on); returns its detail.
    func finished(_ id: String, on base: String, ended: Bool = false) async throws -> [String: Any] {
        var detail: [String: Any] = [:]
        for _ in 0..<300 {
            detail = try await ServerRestartTests.request(client, .GET, "\(base)/api/calls/\(id)", key: key).1
            let over = !ended || (detail["ended_at"].map { !($0 is NSNull) } ?? false)
            let jobs = detail["jobs"] as? [[String: Any]] ?? []
            let settled = !ended || jobs.allSatisfy { ["done", "failed"].contains($0["state"] as? String) }
            if over, settled, ["done", "failed"].contains(detail["status"] as? String) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return detail
    }

    actor Frames {
        var texts: [String] = []
        func add(_ text: String) { texts.append(text) }
    }

    /// The text frames a supervisor joined to `callID`'s room on the node at `port` receives
    /// while `during` runs, up to the first frame that contains every string of `last` (60 s at most).
    func watchRoom(
        port: Int, callID: String, until last: [String], during: @Sendable () async throws -> Void
    ) async throws -> [String] {
        let frames = Frames()
        let key = self.key
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await WebSocketClient.connect(
                    url: "ws://127.0.0.1:\(port)/ws?token=\(key)", logger: Logger(label: "test")
                ) { inbound, outbound, _ in
                    try await outbound.write(.text(#"{"type":"join_call_session","session_id":"\#(callID)"}"#))
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message else { continue }
                        await frames.add(text)
                        if last.allSatisfy(text.contains) { break }
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                throw FakeServerError(message: "the room on port \(port) never saw \(last)")
            }
            // The room is joined before anything happens (its first frame, the call's state, may
            // be empty: a moment's wait instead).
            try await Task.sleep(for: .milliseconds(500))
            try await during()
            try await group.next()
            group.cancelAll()
        }
        return await frames.texts
    }
}
