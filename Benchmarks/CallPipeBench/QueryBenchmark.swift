import AIClients
import AsyncHTTPClient
import CallPipeCore
import Foundation
import Gateway
import Logging
import NIOHTTP1
import PostgresStore
import SQLiteStore

/// A store the query benchmark can fill: every role, and bulk inserts.
protocol QueryBenchmarkStore: CallStore {
    func insertFinishedCalls(_ calls: [(StoredCall, Transcript)]) async throws
    /// Brings the freshly loaded data to the state a running server's database is in.
    func settle() async throws
}

extension SQLiteCallStore: QueryBenchmarkStore {
    func settle() async throws {}
}

extension PostgresCallStore: QueryBenchmarkStore {
    func settle() async throws { try await vacuumAfterBulkLoad() }
}

/// (c) History and search through HTTP with many calls in the database: SQLite, or the PostgreSQL
/// database at `databaseURL`; the same queries measured `rounds` times on the one data set.
struct QueryBenchmark {
    var calls: Int
    var work: String
    var databaseURL: String? = nil
    var rounds = 1

    static let words = [
        "internet", "router", "billing", "refund", "password", "delivery", "cancel", "upgrade", "outage", "invoice",
        "modem", "account", "payment", "charge", "technician", "signal", "contract", "discount", "address", "warranty",
    ]

    func run() async throws {
        let directory = (work as NSString).appendingPathComponent("queries-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        if let databaseURL {
            var logger = Logger(label: "bench")
            logger.logLevel = .error
            let url = try PostgresDatabaseURL(databaseURL)
            try await PostgresCallStore.withStore(url: url, logger: logger) { store in
                try await measure(store, engine: "postgres", directory: directory)
            }
        } else {
            let store = try SQLiteCallStore(path: (directory as NSString).appendingPathComponent("bench.sqlite"))
            try await measure(store, engine: "sqlite", directory: directory)
        }
    }

    private func measure(_ store: some QueryBenchmarkStore, engine: String, directory: String) async throws {
        let (key, record) = APIKeys.make(role: .supervisor, agentID: nil, label: "bench")
        try await store.insertAPIKey(record)
        let start = Date().addingTimeInterval(-90 * 86_400)
        let seeding = ContinuousClock.now
        // Four batches at a time: PostgreSQL writes them on four connections, SQLite one after another.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (number, batch) in stride(from: 0, to: calls, by: 2_500).enumerated() {
                if number >= 4 { try await group.next() }
                group.addTask {
                    try await store.insertFinishedCalls(Self.rows(batch..<min(calls, batch + 2_500), start: start))
                }
            }
            try await group.waitForAll()
        }
        try await store.settle()
        let seeded = seconds(ContinuousClock.now - seeding)
        try await InProcessGateway.run(store: store, events: CallEventBus(), dataDirectory: directory) { port in
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                for round in 1...rounds {
                    var history: [Double] = []
                    var search: [Double] = []
                    for index in 0..<200 {
                        let query = [
                            "page=\(index % 50 + 1)&page_size=50", "agent_id=agent-\(index % 40)&page_size=50",
                            "status=done&from=\(ISO8601DateFormatter().string(from: start.addingTimeInterval(Double(index) * 86_400 / 3)))",
                        ][index % 3]
                        let begin = ContinuousClock.now
                        let (status, _) = try await httpRequest(
                            client, .GET, "http://127.0.0.1:\(port)/api/calls/history?\(query)", key: key)
                        guard status == 200 else { throw BenchmarkError("history answered \(status)") }
                        history.append(seconds(ContinuousClock.now - begin))
                        let word = Self.words[index % Self.words.count]
                        let term = index % 2 == 0 ? word : "\(word) \(Self.words[(index * 7) % Self.words.count])"
                        let began = ContinuousClock.now
                        let (searchStatus, _) = try await httpRequest(
                            client, .GET,
                            "http://127.0.0.1:\(port)/api/calls/search?q=\(term.replacingOccurrences(of: " ", with: "%20"))",
                            key: key)
                        guard searchStatus == 200 else { throw BenchmarkError("search answered \(searchStatus)") }
                        search.append(seconds(ContinuousClock.now - began))
                    }
                    print(
                        String(
                            format:
                                "queries %@ round %d with %d calls (%d transcript lines, seeded in %.0f s): history p50 %.1f ms, p95 %.1f ms; search p50 %.1f ms, p95 %.1f ms",
                            engine, round, calls, calls * 6, seeded, percentile(history, 0.5),
                            percentile(history, 0.95),
                            percentile(search, 0.5), percentile(search, 0.95)))
                }
                try await client.shutdown()
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    static func rows(_ indices: Range<Int>, start: Date) -> [(StoredCall, Transcript)] {
        var generator = SystemRandomNumberGenerator()
        return indices.map { index -> (StoredCall, Transcript) in
            let call = StoredCall(
                id: "call_\(index)", agentID: "agent-\(index % 40)",
                createdAt: start.addingTimeInterval(Double(index) * 77),
                endedAt: start.addingTimeInterval(Double(index) * 77 + 300), isDemo: true)
            let lines = (0..<6).map { line in
                TranscriptSegment(
                    speaker: line % 2 == 0 ? "agent" : "customer", startS: Double(line) * 5,
                    endS: Double(line) * 5 + 4,
                    text:
                        "my \(words.randomElement(using: &generator)!) has a problem with the \(words.randomElement(using: &generator)!) again"
                )
            }
            var finished = call
            finished.status = .done
            return (finished, Transcript(segments: lines))
        }
    }
}
