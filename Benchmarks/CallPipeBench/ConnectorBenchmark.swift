import Analytics
import ArgumentParser
import AsyncHTTPClient
import CallPipeCore
import Connectors
import Crypto
import Foundation
import Logging
import MockVendors
import NIOHTTP1
import SQLiteStore

/// `callpipe-bench connectors` (scripts/bench connectors, docs/connectors.md): a sync of
/// CALLS Dialpad calls and CONVERSATIONS ElevenLabs conversations (with their audio) from the mock
/// vendors, each limited to RATE requests a second as a vendor's rate limiter would — the time
/// against the least the vendor's limit allows (its requests / RATE): a connector that waits on the
/// vendor, not on itself, is close to 1.00x; then the voice-bot KPIs and agent activity over HTTP
/// at that size (p50/p95).
struct ConnectorBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "connectors")

    @Option(help: "Dialpad calls in the mock.")
    var calls = 10_000

    @Option(help: "ElevenLabs conversations in the mock.")
    var conversations = 10_000

    @Option(help: "Requests a second each mock allows (the vendor's limit).")
    var rate = 100

    @Option(help: "A scratch directory.")
    var work: String

    /// November 2025, UTC.
    static let month = Date(timeIntervalSince1970: 1_761_955_200)..<Date(timeIntervalSince1970: 1_764_547_200)

    func run() async throws {
        let directory = (work as NSString).appendingPathComponent("connectors-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteCallStore(path: (directory as NSString).appendingPathComponent("callpipe.sqlite"))
        let (key, record) = APIKeys.make(role: .admin, agentID: nil, label: "bench")
        try await store.insertAPIKey(record)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let storage = LocalRecordingStorage(directory: (directory as NSString).appendingPathComponent("recordings"))
        let dialpad = MockDialpadState(apiKey: "dp_bench_key_0001", calls: calls, window: Self.month)
        let elevenLabs = MockElevenLabsState(
            apiKey: "xi_bench_key_0001", conversations: conversations, window: Self.month)
        await dialpad.limitRate(toRequestsPerSecond: rate)
        await elevenLabs.limitRate(toRequestsPerSecond: rate)
        try await MockDialpad.run(state: dialpad) { _, dialpadURL in
            try await MockElevenLabs.run(state: elevenLabs) { _, elevenLabsURL in
                var configuration = ConnectorServiceConfiguration()
                configuration.defaultBaseURLs = [.dialpad: dialpadURL, .elevenlabs: elevenLabsURL]
                configuration.requestBudget = 1_000_000
                let service = ConnectorService(
                    store: store, secrets: SecretBox(key: SymmetricKey(size: .bits256)), configuration: configuration,
                    sync: ConnectorSync(
                        store: store, storage: storage, recordingsDirectory: storage.directory, holder: "bench",
                        logger: logger),
                    archives: ArchiveKeeper(
                        store: store, storage: storage, directory: (directory as NSString).appendingPathComponent("a")),
                    logger: logger)
                _ = try await service.update(
                    .dialpad, ConnectorUpdate(apiKey: "dp_bench_key_0001", targetID: dialpad.departmentID))
                _ = try await service.update(
                    .elevenlabs, ConnectorUpdate(apiKey: "xi_bench_key_0001", targetID: elevenLabs.agentID))
                print(
                    "connectors: \(calls) Dialpad calls, \(conversations) ElevenLabs conversations, vendor limit \(rate) requests/s"
                )
                for (kind, name) in [(ConnectorKind.dialpad, "Dialpad"), (.elevenlabs, "ElevenLabs")] {
                    let begin = ContinuousClock.now
                    let run = try await service.runSync(kind, window: Self.month, trigger: .cli)
                    let wall = seconds(ContinuousClock.now - begin)
                    guard run.status == .succeeded else {
                        throw BenchmarkError("the \(name) sync \(run.status.rawValue): \(run.error ?? "")")
                    }
                    let limited = kind == .dialpad ? await dialpad.rateLimited : await elevenLabs.rateLimited
                    let least = Double(run.requests - limited) / Double(rate)
                    print(
                        String(
                            format:
                                "  %@ %5d calls in %6.1f s = %6.1f calls/s; %d requests (%d answered 429), %.1f requests/s; vendor-bound least %.1f s: %.2fx",
                            name.padding(toLength: 10, withPad: " ", startingAt: 0), run.callsNew, wall,
                            Double(run.callsNew) / wall, run.requests, limited, Double(run.requests - limited) / wall,
                            least, wall / least))
                }
                let wal =
                    (try? FileManager.default.attributesOfItem(
                        atPath: (directory as NSString).appendingPathComponent("callpipe.sqlite-wal"))[.size] as? Int)
                    ?? 0
                print("  write-ahead log after the syncs: \(wal / 1_000_000) MB")
                // Where a KPI answer's time goes: the store's read, then the figures.
                var reads: [Double] = []
                var figures: [Double] = []
                var groupCount = 0
                for _ in 0..<20 {
                    let begin = ContinuousClock.now
                    let groups = try await store.voiceBotGroups(in: Self.month)
                    groupCount = groups.days.count + groups.criteria.count
                    let read = ContinuousClock.now
                    _ = VoiceBotKPIs(groups: groups)
                    reads.append(seconds(read - begin))
                    figures.append(seconds(ContinuousClock.now - read))
                }
                print(
                    String(
                        format:
                            "  voice-bot KPIs in the process: store read (%d groups) p50 %.1f ms, figures p50 %.1f ms",
                        groupCount, percentile(reads, 0.5), percentile(figures, 0.5)))
                try await InProcessGateway.run(
                    store: store, events: CallEventBus(), dataDirectory: directory, connectors: service
                ) { port in
                    let client = HTTPClient.shared
                    let base = "http://127.0.0.1:\(port)"
                    for (path, label) in [
                        ("/api/analytics/voicebot?month=2025-11", "GET /api/analytics/voicebot     "),
                        ("/api/analytics/agent-activity?month=2025-11", "GET /api/analytics/agent-activity"),
                    ] {
                        var times: [Double] = []
                        for index in 0..<105 {
                            let begin = ContinuousClock.now
                            let (status, _) = try await httpRequest(client, .GET, base + path, key: key)
                            guard status == 200 else { throw BenchmarkError("\(path) answered \(status)") }
                            if index >= 5 { times.append(seconds(ContinuousClock.now - begin)) }
                        }
                        print(
                            String(
                                format: "  %@ p50 %6.1f ms  p95 %6.1f ms  (target p95 < 50 ms)", label,
                                percentile(times, 0.5), percentile(times, 0.95)))
                    }
                }
            }
        }
    }
}
