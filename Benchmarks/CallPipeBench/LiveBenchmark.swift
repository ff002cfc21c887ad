import ArgumentParser
import CallPipeCore
import FakeOpenAIServer
import Foundation
import HummingbirdWSClient
import Logging
import SQLiteStore

/// `callpipe-bench live`: N concurrent Twilio Media Streams in real time against a release
/// `callpipe serve`, whose live transcriber is the fake OpenAI server answering after a fixed
/// latency. `callpipe replay --streams N` is the load generator; a floor subscriber times each
/// final `transcript_update` against the moment its utterance ended in the replayed audio.
struct LiveBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "live")

    @Option(help: "The release callpipe binary.")
    var callpipe: String

    @Option(help: "The call to replay (stereo: agent left, customer right).")
    var call: String

    @Option(help: "A scratch directory.")
    var work: String

    @Option(help: "Concurrent streams to try, comma-separated.")
    var streams = "50,100,250,500,1000"

    @Option(help: "Seconds the fake transcriber takes per request.")
    var latency = 0.3

    @Option(help: "The server's CALLPIPE_LIVE_AI_CONCURRENCY: live AI requests at once.")
    var liveConcurrency = 256

    @Option(help: "Seconds over which the streams start.")
    var ramp = 10.0

    /// Silence after the last speech that ends an utterance (LiveSessionConfiguration).
    static let endpointing = 0.6

    actor Lines {
        var lines: [(call: String, end: Double, arrived: Double)] = []
        var joined = false
        var maxLag = (seconds: 0.0, pending: 0)
        func add(_ call: String, _ end: Double, _ arrived: Double) { lines.append((call, end, arrived)) }
        func lag(_ seconds: Double, _ pending: Int) {
            maxLag = (max(maxLag.seconds, seconds), max(maxLag.pending, pending))
        }
        func join() { joined = true }
    }

    func run() async throws {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let levels = streams.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        print(
            "live benchmark: Twilio streams (μ-law 8 kHz, 20 ms frames, both tracks) of \((call as NSString).lastPathComponent) in real time, fake transcriber \(Int(latency * 1_000)) ms, streams started over \(Int(ramp)) s"
        )
        print("latency = subscriber receives the final line − the utterance's end in the audio; it includes")
        print(
            "the \(Int(Self.endpointing * 1_000)) ms of silence that ends an utterance and the transcriber's \(Int(latency * 1_000)) ms; 'beyond' subtracts both (target p99 < 500 ms)"
        )
        print("streams     lines   failed    p50 ms    p99 ms  beyond p99   server %  per stream  replay %")
        try await FakeOpenAIServer.run { fake in
            await fake.state.setLatency(latency)
            let caFile = try fake.certificate.writeCertificate(to: URL(fileURLWithPath: work))
            for level in levels {
                try await runLevel(level, fake: fake, caFile: caFile)
            }
        }
    }

    private func runLevel(_ count: Int, fake: FakeOpenAIServer, caFile: String) async throws {
        let directory = (work as NSString).appendingPathComponent("live-\(count)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer {
            // The server's log stays, for what went wrong at this level.
            let kept = (work as NSString).appendingPathComponent("live-\(count)-serve.log")
            try? FileManager.default.removeItem(atPath: kept)
            try? FileManager.default.moveItem(
                atPath: (directory as NSString).appendingPathComponent("serve.log"), toPath: kept)
            try? FileManager.default.removeItem(atPath: directory)
        }
        let store = try SQLiteCallStore(path: (directory as NSString).appendingPathComponent("callpipe.sqlite"))
        let (admin, adminRecord) = APIKeys.make(role: .admin, agentID: nil, label: "bench")
        let (supervisor, supervisorRecord) = APIKeys.make(role: .supervisor, agentID: nil, label: "bench")
        try await store.insertAPIKey(adminRecord)
        try await store.insertAPIKey(supervisorRecord)
        let log = (directory as NSString).appendingPathComponent("serve.log")
        FileManager.default.createFile(atPath: log, contents: nil)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: callpipe)
        server.arguments = ["serve", "--port", "0", "--data-dir", directory]
        server.environment = [
            "CALLPIPE_WORKERS": "0", "CALLPIPE_LIVE_AI_CONCURRENCY": "\(liveConcurrency)",
            // No admission limit: the curve goes past what the machine sustains on purpose.
            "CALLPIPE_LIVE_MAX_CALLS": "100000", "CALLPIPE_DEV_MODE": "false",
            // One key and one agent start every stream: per-key and per-agent limits off.
            "CALLPIPE_RATE_LIMIT_RPS": "1000000", "CALLPIPE_RATE_LIMIT_BURST": "1000000",
            "CALLPIPE_LIVE_MAX_CALLS_PER_AGENT": "10000",
            "CALLPIPE_AI_PROVIDER": "openai",
            "OPENAI_BASE_URL": fake.baseURL, "OPENAI_API_KEY": fake.apiKey, "CALLPIPE_CA_FILE": caFile,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "",
        ]
        server.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        var port = 0
        for _ in 0..<400 where port == 0 {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on 127.0.0.1:") {
                port = Int(text[range.upperBound...].prefix { $0.isNumber }) ?? 0
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard port > 0 else { throw ValidationError("the server did not start; see \(log)") }
        let serverPort = port

        let lines = Lines()
        let replayOutput = (directory as NSString).appendingPathComponent("replay.jsonl")
        FileManager.default.createFile(atPath: replayOutput, contents: nil)
        var serverCPU = (0.0, 0.0)
        var replayCPU = 0.0
        var wall = 0.0
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await Self.subscribe(port: serverPort, key: supervisor, into: lines) }
            while await !lines.joined { try await Task.sleep(for: .milliseconds(20)) }
            let replay = Process()
            replay.executableURL = URL(fileURLWithPath: callpipe)
            replay.arguments = [
                "replay", call, "--server", "http://127.0.0.1:\(port)", "--token", admin, "--protocol", "twilio",
                "--streams", "\(count)", "--ramp", "\(ramp)", "--agent-id", "bench", "--json",
            ]
            replay.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: replayOutput))
            replay.standardError = FileHandle.nullDevice
            let childrenBefore = Self.childrenCPU()
            let before = Self.processCPU(server.processIdentifier)
            let started = ContinuousClock.now
            try replay.run()
            while replay.isRunning { try await Task.sleep(for: .milliseconds(100)) }
            replay.waitUntilExit()
            wall = seconds(ContinuousClock.now - started)
            serverCPU = (Self.processCPU(server.processIdentifier) - before, wall)
            replayCPU = Self.childrenCPU() - childrenBefore
            try await Task.sleep(for: .seconds(2))  // The last lines arrive.
            group.cancelAll()
        }
        // Each stream's audio start, from the replay's output.
        var starts: [String: Double] = [:]
        var failed = 0
        var failures: [String] = []
        var replayLate = 0.0
        let output = (try? String(contentsOfFile: replayOutput, encoding: .utf8)) ?? ""
        for line in output.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String] else {
                continue
            }
            if object["event"] == "started", let id = object["call_id"], let start = object["audio_start_unix"] {
                starts[id] = Double(start)
            }
            if object["event"] == "failed" {
                failed += 1
                if failed <= 3 { failures.append(object["error"] ?? "?") }
            }
            if object["event"] == "finished", let late = object["max_late_ms"].flatMap(Double.init) {
                replayLate = max(replayLate, late)
            }
        }
        let received = await lines.lines
        let latencies = received.compactMap { line in starts[line.call].map { line.arrived - ($0 + line.end) } }
        let beyond = latencies.map { $0 - Self.endpointing - latency }
        // Every line's arrival (seconds into the run) and latency, to see when the slow ones came.
        let first = received.map(\.arrived).min() ?? 0
        let table = received.compactMap { line in
            starts[line.call].map {
                String(format: "%.3f\t%.0f", line.arrived - first, 1_000 * (line.arrived - ($0 + line.end)))
            }
        }
        try? (table.joined(separator: "\n") + "\n").write(
            toFile: (work as NSString).appendingPathComponent("live-\(count)-latencies.tsv"), atomically: true,
            encoding: .utf8)
        print(
            String(
                format: "%7d %9d %8d %9.0f %9.0f %11.0f %9.0f%% %10.2f%% %8.0f%%", count, latencies.count, failed,
                percentile(latencies, 0.5), percentile(latencies, 0.99), percentile(beyond, 0.99),
                100 * serverCPU.0 / serverCPU.1, 100 * serverCPU.0 / serverCPU.1 / Double(count),
                100 * replayCPU / wall))
        let lag = await lines.maxLag
        print(
            String(
                format:
                    "        replay's latest frame %.0f ms late; server's transcription lag up to %.1f s, %d utterances queued",
                replayLate, lag.seconds, lag.pending))
        for failure in failures { print("        failed: \(failure.prefix(160))") }
    }

    /// Joins the floor and records every final live transcript line as it arrives.
    private static func subscribe(port: Int, key: String, into lines: Lines) async throws {
        var logger = Logger(label: "bench-floor")
        logger.logLevel = .critical
        try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/ws?token=\(key)", logger: logger) {
            inbound, outbound, _ in
            try await outbound.write(.text(#"{"type":"join_floor"}"#))
            await lines.join()
            for try await message in inbound.messages(maxSize: 1 << 20) {
                let arrived = Date().timeIntervalSince1970
                if case .text(let text) = message, text.hasPrefix(#"{"type":"real_time_insights""#) {
                    await lines.lag(Self.number("lag_s", in: text), Int(Self.number("pending_utterances", in: text)))
                    continue
                }
                guard case .text(let text) = message, text.hasPrefix(#"{"type":"transcript_update""#),
                    text.contains(#""source":"live""#), text.contains(#""is_final":true"#),
                    let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                    let call = object["session_id"] as? String,
                    let end = (object["data"] as? [String: Any])?["end_s"] as? Double
                else { continue }
                await lines.add(call, end, arrived)
            }
        }
    }

    /// The number after `"key":` in a JSON text (0 if none), without parsing the whole text.
    static func number(_ key: String, in text: String) -> Double {
        guard let range = text.range(of: "\"\(key)\":") else { return 0 }
        return Double(text[range.upperBound...].prefix { $0.isNumber || $0 == "." }) ?? 0
    }

    /// CPU seconds a process has used (user + system), from /proc.
    static func processCPU(_ pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14 and stime 15 (1-based, whole line).
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// CPU seconds of the children that have exited.
    static func childrenCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(
            usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
