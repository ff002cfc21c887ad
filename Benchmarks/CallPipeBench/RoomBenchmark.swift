import CallPipeCore
import Foundation
import HummingbirdWSClient
import Logging
import SQLiteStore

/// (b) One room, many subscribers over real WebSockets on loopback, a steady event rate:
/// delivery latency (publish → client receives) and the process's CPU.
struct RoomBenchmark {
    var subscribers: Int
    var rate: Int
    var seconds: Int
    var work: String

    actor Latencies {
        var values: [Double] = []
        var ready = 0
        func add(_ more: [Double]) { values += more }
        func joined() { ready += 1 }
    }

    func run() async throws {
        let store = try SQLiteCallStore()
        let (key, record) = APIKeys.make(role: .supervisor, agentID: nil, label: "bench")
        try await store.insertAPIKey(record)
        try await store.insertCall(StoredCall(id: "call_room", agentID: "bench", createdAt: Date()))
        let events = CallEventBus()
        let total = rate * seconds
        let latencies = Latencies()
        let directory = (work as NSString).appendingPathComponent("rooms-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var cpu: (Double, Double) = (0, 0)
        try await InProcessGateway.run(store: store, events: events, dataDirectory: directory) { port in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<subscribers {
                    group.addTask {
                        var logger = Logger(label: "ws")
                        logger.logLevel = .critical
                        try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/ws?token=\(key)", logger: logger)
                        { inbound, outbound, _ in
                            try await outbound.write(.text(#"{"type":"join_call_session","session_id":"call_room"}"#))
                            await latencies.joined()
                            var received: [Double] = []
                            for try await message in inbound.messages(maxSize: 1 << 16) {
                                guard case .text(let text) = message, let range = text.range(of: #""at":""#) else {
                                    continue
                                }
                                let stamp = text[range.upperBound...].prefix { $0 != "\"" }
                                if let at = try? Date(String(stamp), strategy: .iso8601) {
                                    received.append(Date().timeIntervalSince(at))
                                }
                                if received.count == total { break }
                            }
                            await latencies.add(received)
                        }
                    }
                }
                while await latencies.ready < subscribers { try await Task.sleep(for: .milliseconds(20)) }
                try await Task.sleep(for: .milliseconds(300))
                let before = Self.cpuSeconds()
                let started = ContinuousClock.now
                for index in 0..<total {
                    await events.publish(
                        "transcript_update", callID: "call_room", data: ["text": "line \(index)", "speaker": "agent"])
                    let next = started + .milliseconds(Int(Double(index + 1) * 1_000 / Double(rate)))
                    try await Task.sleep(until: next, clock: .continuous)
                }
                try await group.waitForAll()
                cpu = (Self.cpuSeconds() - before, Double(seconds))
            }
        }
        let values = await latencies.values
        print(
            String(
                format:
                    "room: %d subscribers × %d events/s for %d s: %d deliveries, latency p50 %.1f ms, p99 %.1f ms; CPU %.0f%% of one core (server and all clients in this process)",
                subscribers, rate, seconds, values.count, percentile(values, 0.5), percentile(values, 0.99),
                100 * cpu.0 / cpu.1))
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(
            usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
