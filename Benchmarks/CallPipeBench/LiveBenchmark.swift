import ArgumentParser
import CallPipeCore
import FakeOpenAIServer
import Foundation
import HummingbirdWSClient
import Logging

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

    @Option(name: .customLong("protocol"), help: "twilio or pcm.")
    var streamProtocol = "twilio"

    @Option(help: "CPUs the server is pinned to (taskset -c), e.g. 0; the rest of the benchmark runs elsewhere.")
    var serverCpus: String?

    @Flag(help: "Run the load generator in its own network namespace (root, iproute2).")
    var netns = false

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
            "live benchmark: \(streamProtocol == "pcm" ? "PCM streams (16 kHz PCM16 stereo, 20 ms frames)" : "Twilio streams (μ-law 8 kHz, 20 ms frames, both tracks)") of \((call as NSString).lastPathComponent) in real time, fake transcriber \(Int(latency * 1_000)) ms, streams started over \(Int(ramp)) s"
        )
        print(
            "server \(serverCpus.map { "pinned to CPU \($0) (taskset), the generator and fake transcriber elsewhere" } ?? "sharing the machine's CPUs with the generator and fake transcriber")\(netns ? "; generator in its own network namespace" : "")"
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
        let namespace = netns ? try LiveBenchNamespace.create() : nil
        defer { namespace?.remove() }
        let server = try await LiveBenchServer.start(
            callpipe: callpipe, directory: directory, fake: fake, caFile: caFile, liveConcurrency: liveConcurrency,
            cpus: serverCpus, listen: namespace == nil ? "127.0.0.1" : "0.0.0.0")
        defer { server.stop() }

        let lines = Lines()
        let replayOutput = (directory as NSString).appendingPathComponent("replay.jsonl")
        var serverCPU = (0.0, 0.0)
        var replayCPU = 0.0
        var wall = 0.0
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await Self.subscribe(port: server.port, key: server.supervisor, into: lines) }
            while await !lines.joined { try await Task.sleep(for: .milliseconds(20)) }
            let childrenBefore = Self.childrenCPU()
            let before = Self.processCPU(server.pid)
            let started = ContinuousClock.now
            let replay = try server.replay(
                callpipe: callpipe, call: call, streamProtocol: streamProtocol, streams: count, ramp: ramp,
                output: replayOutput, namespace: namespace)
            while replay.isRunning { try await Task.sleep(for: .milliseconds(100)) }
            replay.waitUntilExit()
            wall = seconds(ContinuousClock.now - started)
            serverCPU = (Self.processCPU(server.pid) - before, wall)
            replayCPU = Self.childrenCPU() - childrenBefore
            try await Task.sleep(for: .seconds(2))  // The last lines arrive.
            group.cancelAll()
        }
        let report = ReplayReport(file: replayOutput)
        let received = await lines.lines
        let latencies = received.compactMap { line in report.starts[line.call].map { line.arrived - ($0 + line.end) } }
        let beyond = latencies.map { $0 - Self.endpointing - latency }
        // Every line's arrival (seconds into the run) and latency, to see when the slow ones came.
        let first = received.map(\.arrived).min() ?? 0
        let table = received.compactMap { line in
            report.starts[line.call].map {
                String(format: "%.3f\t%.0f", line.arrived - first, 1_000 * (line.arrived - ($0 + line.end)))
            }
        }
        try? (table.joined(separator: "\n") + "\n").write(
            toFile: (work as NSString).appendingPathComponent("live-\(count)-latencies.tsv"), atomically: true,
            encoding: .utf8)
        // A generator that sent its frames late measures itself: no latency is reported then.
        let figures =
            report.generatorLate
            ? "     late      late        late"
            : String(
                format: "%9.0f %9.0f %11.0f", percentile(latencies, 0.5), percentile(latencies, 0.99),
                percentile(beyond, 0.99))
        print(
            String(
                format: "%7d %9d %8d ", count, latencies.count, report.failures.count) + figures
                + String(
                    format: " %9.0f%% %10.3f%% %8.0f%%", 100 * serverCPU.0 / serverCPU.1,
                    100 * serverCPU.0 / serverCPU.1 / Double(count), 100 * replayCPU / wall))
        let lag = await lines.maxLag
        print(
            String(
                format:
                    "        replay: %.2f %% of frames more than 20 ms late (latest %.0f ms)%@; server's transcription lag up to %.1f s, %d utterances queued",
                100 * report.lateShare, report.maxLate,
                report.generatorLate ? " — the generator fell behind: latency not reported" : "", lag.seconds,
                lag.pending))
        for failure in report.failures.prefix(3) { print("        failed: \(failure.prefix(160))") }
    }

    /// Joins the floor and records every final live transcript line as it arrives.
    static func subscribe(port: Int, key: String, into lines: Lines) async throws {
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
