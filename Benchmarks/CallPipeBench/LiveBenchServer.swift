import ArgumentParser
import CallPipeCore
import FakeOpenAIServer
import Foundation
import SQLiteStore

/// A release `callpipe serve` for the live benchmarks: a throwaway data directory holding an admin
/// and a supervisor key, the fake OpenAI server as its AI, no admission or rate limits (the
/// benchmarks go past capacity on purpose), optionally pinned to CPUs with `taskset` so that the
/// load generator and the fake transcriber cannot take its time.
struct LiveBenchServer {
    let process: Process
    let port: Int
    let admin: String
    let supervisor: String
    let log: String

    var pid: Int32 { process.processIdentifier }

    static func start(
        callpipe: String, directory: String, fake: FakeOpenAIServer, caFile: String, liveConcurrency: Int,
        cpus: String?, listen host: String = "127.0.0.1", environment extra: [String: String] = [:]
    ) async throws -> LiveBenchServer {
        let store = try SQLiteCallStore(path: (directory as NSString).appendingPathComponent("callpipe.sqlite"))
        let (admin, adminRecord) = APIKeys.make(role: .admin, agentID: nil, label: "bench")
        let (supervisor, supervisorRecord) = APIKeys.make(role: .supervisor, agentID: nil, label: "bench")
        try await store.insertAPIKey(adminRecord)
        try await store.insertAPIKey(supervisorRecord)
        let log = (directory as NSString).appendingPathComponent("serve.log")
        FileManager.default.createFile(atPath: log, contents: nil)
        let server = Process()
        let arguments = ["serve", "--port", "0", "--data-dir", directory]
        if let cpus {
            server.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
            server.arguments = ["-c", cpus, callpipe] + arguments
        } else {
            server.executableURL = URL(fileURLWithPath: callpipe)
            server.arguments = arguments
        }
        var environment = [
            "CALLPIPE_WORKERS": "0", "CALLPIPE_LIVE_AI_CONCURRENCY": "\(liveConcurrency)", "CALLPIPE_HOST": host,
            // No admission limit: the curve goes past what the machine sustains on purpose.
            "CALLPIPE_LIVE_MAX_CALLS": "100000", "CALLPIPE_DEV_MODE": "false",
            // One key and one agent start every stream: per-key and per-agent limits off.
            "CALLPIPE_RATE_LIMIT_RPS": "1000000", "CALLPIPE_RATE_LIMIT_BURST": "1000000",
            "CALLPIPE_LIVE_MAX_CALLS_PER_AGENT": "10000",
            "CALLPIPE_AI_PROVIDER": "openai",
            "OPENAI_BASE_URL": fake.baseURL, "OPENAI_API_KEY": fake.apiKey, "CALLPIPE_CA_FILE": caFile,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "",
        ]
        environment.merge(extra) { $1 }
        server.environment = environment
        server.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        var port = 0
        for _ in 0..<400 where port == 0 {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on \(host):") {
                port = Int(text[range.upperBound...].prefix { $0.isNumber }) ?? 0
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard port > 0 else {
            server.terminate()
            throw ValidationError("the server did not start; see \(log)")
        }
        return LiveBenchServer(process: server, port: port, admin: admin, supervisor: supervisor, log: log)
    }

    /// SIGTERM (a graceful shutdown), then SIGKILL if it has not exited within 20 s.
    func stop() {
        process.terminate()
        for _ in 0..<200 where process.isRunning { usleep(100_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// The `callpipe replay` load generator: N Twilio or PCM streams of `call` against this server,
    /// one JSON line per stream event into `output`; in network namespace `namespace` when given
    /// (it then reaches the server at `address`).
    func replay(
        callpipe: String, call: String, streamProtocol: String, streams: Int, ramp: Double, output: String,
        namespace: LiveBenchNamespace? = nil
    ) throws -> Process {
        let replay = Process()
        let host = namespace?.hostAddress ?? "127.0.0.1"
        let arguments = [
            "replay", call, "--server", "http://\(host):\(port)", "--token", admin, "--protocol", streamProtocol,
            "--streams", "\(streams)", "--ramp", "\(ramp)", "--agent-id", "bench", "--json",
        ]
        if let namespace {
            replay.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
            replay.arguments = ["netns", "exec", namespace.name, callpipe] + arguments
        } else {
            replay.executableURL = URL(fileURLWithPath: callpipe)
            replay.arguments = arguments
        }
        FileManager.default.createFile(atPath: output, contents: nil)
        replay.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        replay.standardError = FileHandle.nullDevice
        try replay.run()
        return replay
    }
}

/// What `callpipe replay --json` reported: each stream's audio start, its failures, and how late
/// its frames went out.
struct ReplayReport {
    var starts: [String: Double] = [:]
    var failures: [String] = []
    var maxLate = 0.0
    var lateFrames = 0
    var frames = 0

    init(file: String) {
        let output = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        for line in output.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String] else {
                continue
            }
            if object["event"] == "started", let id = object["call_id"], let start = object["audio_start_unix"] {
                starts[id] = Double(start)
            }
            if object["event"] == "failed" { failures.append(object["error"] ?? "?") }
            if object["event"] == "finished" {
                maxLate = max(maxLate, object["max_late_ms"].flatMap(Double.init) ?? 0)
                lateFrames += object["late_frames"].flatMap(Int.init) ?? 0
                frames += object["frames"].flatMap(Int.init) ?? 0
            }
        }
    }

    /// Share of frames that went out more than 20 ms late.
    var lateShare: Double { frames > 0 ? Double(lateFrames) / Double(frames) : 0 }

    /// A generator this late measures itself: its latencies are not reported.
    var generatorLate: Bool { lateShare > 0.001 }
}
