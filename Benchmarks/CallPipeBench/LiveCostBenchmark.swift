import ArgumentParser
import FakeOpenAIServer
import Foundation

/// `callpipe-bench live-cost`: what one live stream costs the server, per second of audio, from a
/// fixed replay — N streams of the call fixture in real time, one supervisor watching the floor,
/// the fake OpenAI server transcribing — with the server pinned to its own CPU so that the load
/// generator and the fake transcriber do not share its time. Reported per stream-second: CPU time
/// (the idle server's own rate taken off), and the system calls and context switches `perf stat`
/// counts (software events: they do not depend on how fast the CPU is). Each protocol is measured
/// `runs` times; the summary is the median and the spread.
struct LiveCostBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "live-cost")

    @Option(help: "The release callpipe binary.")
    var callpipe: String

    @Option(
        help:
            "Another callpipe binary to measure as the server (an older build, to compare); the load generator stays --callpipe."
    )
    var serverCallpipe: String?

    @Option(help: "The call to replay (stereo: agent left, customer right).")
    var call: String

    @Option(help: "A scratch directory.")
    var work: String

    @Option(help: "Protocols to measure, comma-separated.")
    var protocols = "twilio,pcm"

    @Option(help: "Concurrent streams per run.")
    var streams = 200

    @Option(help: "Runs per protocol (the median and spread are reported).")
    var runs = 3

    @Option(help: "Seconds over which the streams start.")
    var ramp = 5.0

    @Option(help: "Seconds the fake transcriber takes per request.")
    var latency = 0.3

    @Option(help: "More environment for the server, KEY=VALUE pairs separated by commas (a setting to compare).")
    var serverEnvironment = ""

    @Option(help: "CPUs the server is pinned to (taskset -c); empty: not pinned.")
    var serverCpus = "0"

    struct Cost {
        var streamSeconds = 0.0
        var cpuSeconds = 0.0
        var idleShare = 0.0
        var syscalls: Double?
        var switches: Double?
        var lateShare = 0.0
        var failures = 0

        /// Share of one core a stream takes (CPU seconds per stream-second).
        var perStream: Double { streamSeconds > 0 ? cpuSeconds / streamSeconds : 0 }
    }

    func run() async throws {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let pinned = serverCpus.isEmpty ? nil : serverCpus
        say(
            "live cost: \(streams) streams of \((call as NSString).lastPathComponent) in real time per run, \(runs) runs per protocol, one floor subscriber, fake transcriber \(Int(latency * 1_000)) ms"
        )
        say(
            "server \(pinned.map { "pinned to CPU \($0)" } ?? "not pinned"); per stream-second of audio: server CPU (its idle rate taken off), system calls and context switches (perf stat)"
        )
        say("protocol  run  stream-s   CPU s  idle %  CPU ms/stream-s  core/stream  syscalls  ctx-switches  late %")
        try await FakeOpenAIServer.run { fake in
            await fake.state.setLatency(latency)
            let caFile = try fake.certificate.writeCertificate(to: URL(fileURLWithPath: work))
            var summaries: [String] = []
            for name in protocols.split(separator: ",").map(String.init) {
                var costs: [Cost] = []
                for index in 1...max(1, runs) {
                    let cost = try await measure(name, fake: fake, caFile: caFile, cpus: pinned)
                    costs.append(cost)
                    let syscalls = Self.count(cost.syscalls, per: cost.streamSeconds)
                    let switches = Self.count(cost.switches, per: cost.streamSeconds)
                    say(
                        name.padding(toLength: 8, withPad: " ", startingAt: 0)
                            + String(
                                format: " %4d %9.0f %7.2f %6.2f %16.3f %11.3f%% ", index, cost.streamSeconds,
                                cost.cpuSeconds, 100 * cost.idleShare, 1_000 * cost.perStream, 100 * cost.perStream)
                            + String(repeating: " ", count: max(0, 9 - syscalls.count)) + syscalls
                            + String(repeating: " ", count: max(0, 14 - switches.count)) + switches
                            + String(format: " %7.2f", 100 * cost.lateShare))
                    if cost.failures > 0 { say("         \(cost.failures) stream(s) failed") }
                }
                let shares = costs.map(\.perStream).sorted()
                let median = shares[shares.count / 2]
                summaries.append(
                    name
                        + String(
                            format: ": %.3f %% of a core per stream (median of %d; %.3f–%.3f), %.0f streams per core",
                            100 * median, shares.count, 100 * shares.first!, 100 * shares.last!,
                            median > 0 ? 1 / median : 0))
            }
            for summary in summaries { say(summary) }
        }
    }

    /// One run: a server of its own, `streams` streams, the counters over the replay.
    private func measure(_ streamProtocol: String, fake: FakeOpenAIServer, caFile: String, cpus: String?) async throws
        -> Cost
    {
        let directory = (work as NSString).appendingPathComponent(
            "cost-\(streamProtocol)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try await LiveBenchServer.start(
            callpipe: serverCallpipe ?? callpipe, directory: directory, fake: fake, caFile: caFile,
            liveConcurrency: 256, cpus: cpus, environment: extraEnvironment)
        defer { server.stop() }
        var cost = Cost()
        try await withThrowingTaskGroup(of: Void.self) { group in
            let lines = LiveBenchmark.Lines()
            group.addTask { try await LiveBenchmark.subscribe(port: server.port, key: server.supervisor, into: lines) }
            while await !lines.joined { try await Task.sleep(for: .milliseconds(20)) }
            // The idle server's own rate (timers, the floor subscriber's keep-alive).
            try await Task.sleep(for: .seconds(1))
            let idleStart = LiveBenchmark.processCPU(server.pid)
            try await Task.sleep(for: .seconds(3))
            let idleRate = (LiveBenchmark.processCPU(server.pid) - idleStart) / 3
            cost.idleShare = idleRate
            let perf = PerfCounters.start(
                pid: server.pid, output: (directory as NSString).appendingPathComponent("perf.txt"))
            let before = LiveBenchmark.processCPU(server.pid)
            let started = ContinuousClock.now
            let output = (directory as NSString).appendingPathComponent("replay.jsonl")
            let replay = try server.replay(
                callpipe: callpipe, call: call, streamProtocol: streamProtocol, streams: streams, ramp: ramp,
                output: output)
            while replay.isRunning { try await Task.sleep(for: .milliseconds(100)) }
            replay.waitUntilExit()
            let wall = seconds(ContinuousClock.now - started)
            cost.cpuSeconds = max(0, LiveBenchmark.processCPU(server.pid) - before - idleRate * wall)
            if let counts = perf?.stop() {
                cost.syscalls = counts["raw_syscalls:sys_enter"]
                cost.switches = counts["context-switches"]
            }
            let report = ReplayReport(file: output)
            cost.streamSeconds = Double(report.frames) * 0.02
            cost.lateShare = report.lateShare
            cost.failures = report.failures.count
            group.cancelAll()
        }
        return cost
    }

    /// `--server-environment` as a dictionary.
    private var extraEnvironment: [String: String] {
        var environment: [String: String] = [:]
        for pair in serverEnvironment.split(separator: ",") {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            environment[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        return environment
    }

    static func count(_ value: Double?, per streamSeconds: Double) -> String {
        guard let value, streamSeconds > 0 else { return "–" }
        return String(format: "%.1f", value / streamSeconds)
    }
}

/// `perf stat` attached to a process, counting software events (they work where hardware
/// counters are not exposed, as in most virtual machines); `nil` where perf does not run.
struct PerfCounters {
    let process: Process
    let output: String
    /// perf counts for as long as its command runs: a shell reading one line from here. (A
    /// signal would not do: a child of this process starts with SIGINT blocked.)
    let stopper: Pipe

    static func start(pid: Int32, output: String) -> PerfCounters? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/perf")
        process.arguments = [
            "stat", "-x", ",", "-o", output, "-e", "task-clock,context-switches,raw_syscalls:sys_enter", "-p", "\(pid)",
            "--", "/bin/sh", "-c", "read line",
        ]
        let stopper = Pipe()
        process.standardInput = stopper
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/perf"), (try? process.run()) != nil else {
            return nil
        }
        return PerfCounters(process: process, output: output, stopper: stopper)
    }

    /// Stops counting; the counts by event name.
    func stop() -> [String: Double] {
        stopper.fileHandleForWriting.write(Data("\n".utf8))
        try? stopper.fileHandleForWriting.close()
        process.waitUntilExit()
        var counts: [String: Double] = [:]
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count > 2, let value = Double(fields[0]) else { continue }
            counts[String(fields[2])] = value
        }
        return counts
    }
}

/// Prints a line unbuffered: each row as it is measured, also when the output is a file.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
