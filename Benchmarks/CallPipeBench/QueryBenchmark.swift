import AIClients
import AsyncHTTPClient
import CallPipeCore
import Foundation
import NIOHTTP1
import SQLiteStore

/// (c) History and search through HTTP with many calls in the database.
struct QueryBenchmark {
    var calls: Int
    var work: String

    static let words = [
        "internet", "router", "billing", "refund", "password", "delivery", "cancel", "upgrade", "outage", "invoice",
        "modem", "account", "payment", "charge", "technician", "signal", "contract", "discount", "address", "warranty",
    ]

    func run() async throws {
        let directory = (work as NSString).appendingPathComponent("queries-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteCallStore(path: (directory as NSString).appendingPathComponent("bench.sqlite"))
        let (key, record) = APIKeys.make(role: .supervisor, agentID: nil, label: "bench")
        try await store.insertAPIKey(record)
        var generator = SystemRandomNumberGenerator()
        let start = Date().addingTimeInterval(-90 * 86_400)
        let seeding = ContinuousClock.now
        for batch in stride(from: 0, to: calls, by: 5_000) {
            let rows = (batch..<min(calls, batch + 5_000)).map { index -> (StoredCall, Transcript) in
                let call = StoredCall(
                    id: "call_\(index)", agentID: "agent-\(index % 40)",
                    createdAt: start.addingTimeInterval(Double(index) * 77),
                    endedAt: start.addingTimeInterval(Double(index) * 77 + 300), isDemo: true)
                let lines = (0..<6).map { line in
                    TranscriptSegment(
                        speaker: line % 2 == 0 ? "agent" : "customer", startS: Double(line) * 5,
                        endS: Double(line) * 5 + 4,
                        text:
                            "my \(Self.words.randomElement(using: &generator)!) has a problem with the \(Self.words.randomElement(using: &generator)!) again"
                    )
                }
                var finished = call
                finished.status = .done
                return (finished, Transcript(segments: lines))
            }
            try await store.insertFinishedCalls(rows)
        }
        let seeded = seconds(ContinuousClock.now - seeding)
        var history: [Double] = []
        var search: [Double] = []
        try await InProcessGateway.run(store: store, events: CallEventBus(), dataDirectory: directory) { port in
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
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
                try await client.shutdown()
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
        print(
            String(
                format:
                    "queries with %d calls (%d transcript lines, seeded in %.0f s): history p50 %.1f ms, p95 %.1f ms; search p50 %.1f ms, p95 %.1f ms",
                calls, calls * 6, seeded, percentile(history, 0.5), percentile(history, 0.95), percentile(search, 0.5),
                percentile(search, 0.95)))
    }
}
