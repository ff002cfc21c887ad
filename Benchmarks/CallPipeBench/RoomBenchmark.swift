import CallPipeCore
import Foundation
import HummingbirdWSClient
import Logging
import PostgresStore
import SQLiteStore

/// (b) One room, many subscribers over real WebSockets on loopback, a steady event rate:
/// delivery latency (publish → client receives) and the process's CPU. With a PostgreSQL
/// `databaseURL`, across two nodes: two gateways in this process, each with its own store
/// connection pool, event bus and `PostgresEventRelay` (docs/ARCHITECTURE.md §15); events are
/// published on node A, subscribers are spread over both, and node B's latency is the cross-node one.
struct RoomBenchmark {
    var subscribers: Int
    var rate: Int
    var seconds: Int
    var work: String
    var databaseURL: String? = nil

    actor Latencies {
        var values: [Int: [Double]] = [:]
        var ready = 0
        func add(_ more: [Double], node: Int) { values[node, default: []] += more }
        func joined() { ready += 1 }
    }

    func run() async throws {
        let directory = (work as NSString).appendingPathComponent("rooms-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        if let databaseURL {
            return try await runAcrossNodes(PostgresDatabaseURL(databaseURL), directory: directory)
        }
        let store = try SQLiteCallStore()
        let (key, record) = APIKeys.make(role: .supervisor, agentID: nil, label: "bench")
        try await store.insertAPIKey(record)
        try await store.insertCall(StoredCall(id: "call_room", agentID: "bench", createdAt: Date()))
        let events = CallEventBus()
        try await InProcessGateway.run(store: store, events: events, dataDirectory: directory) { port in
            let (latencies, cpu) = try await measure(ports: [port], key: key, publishingOn: events)
            let values = latencies[0] ?? []
            print(
                String(
                    format:
                        "room: %d subscribers × %d events/s for %d s: %d deliveries, latency p50 %.1f ms, p99 %.1f ms; CPU %.0f%% of one core (server and all clients in this process)",
                    subscribers, rate, seconds, values.count, percentile(values, 0.5), percentile(values, 0.99),
                    100 * cpu))
        }
    }

    private func runAcrossNodes(_ url: PostgresDatabaseURL, directory: String) async throws {
        var quiet = Logger(label: "bench")
        quiet.logLevel = .error
        let logger = quiet
        try await PostgresCallStore.withStore(url: url, nodeID: "bench-a", logger: logger) { nodeA in
            try await nodeA.migrate()
            try await PostgresCallStore.withStore(url: url, nodeID: "bench-b", logger: logger) { nodeB in
                let (key, record) = APIKeys.make(role: .supervisor, agentID: nil, label: "bench")
                try await nodeA.insertAPIKey(record)
                let callID = "call_room_\(UUID().uuidString.prefix(8).lowercased())"
                try await nodeA.insertCall(StoredCall(id: callID, agentID: "bench", createdAt: Date()))
                let (busA, busB) = (CallEventBus(), CallEventBus())
                try await withThrowingTaskGroup(of: Void.self) { relays in
                    relays.addTask { try await PostgresEventRelay(store: nodeA, bus: busA, logger: logger).run() }
                    relays.addTask { try await PostgresEventRelay(store: nodeB, bus: busB, logger: logger).run() }
                    try await InProcessGateway.run(store: nodeA, events: busA, dataDirectory: directory + "-a") {
                        portA in
                        try await InProcessGateway.run(store: nodeB, events: busB, dataDirectory: directory + "-b") {
                            portB in
                            let (latencies, cpu) = try await measure(
                                ports: [portA, portB], key: key, publishingOn: busA, callID: callID)
                            for (node, name) in ["A (publishing)", "B (through PostgreSQL)"].enumerated() {
                                let values = latencies[node] ?? []
                                print(
                                    String(
                                        format:
                                            "room across nodes: node %@, %d subscribers × %d events/s for %d s: %d deliveries, latency p50 %.1f ms, p99 %.1f ms; CPU %.0f%% of one core (both nodes and all clients in this process)",
                                        name, subscribers / 2, rate, seconds, values.count, percentile(values, 0.5),
                                        percentile(values, 0.99), 100 * cpu))
                            }
                        }
                    }
                    relays.cancelAll()
                }
            }
        }
    }

    /// Subscribers spread round-robin over the gateways at `ports`, all in one call's room;
    /// `rate` events a second for `seconds` published on `events`. Returns each gateway's
    /// subscribers' latencies (seconds) and the CPU used, as a share of one core.
    private func measure(
        ports: [Int], key: String, publishingOn events: CallEventBus, callID: String = "call_room"
    ) async throws -> ([Int: [Double]], Double) {
        let total = rate * seconds
        let latencies = Latencies()
        var cpu = 0.0
        try await withThrowingTaskGroup(of: Void.self) { group in
            for subscriber in 0..<subscribers {
                let node = subscriber % ports.count
                group.addTask {
                    var logger = Logger(label: "ws")
                    logger.logLevel = .critical
                    try await WebSocketClient.connect(
                        url: "ws://127.0.0.1:\(ports[node])/ws?token=\(key)", logger: logger
                    ) { inbound, outbound, _ in
                        try await outbound.write(.text(#"{"type":"join_call_session","session_id":"\#(callID)"}"#))
                        await latencies.joined()
                        var received: [Double] = []
                        for try await message in inbound.messages(maxSize: 1 << 16) {
                            guard case .text(let text) = message, let at = Self.transcriptUpdateTime(text) else {
                                continue
                            }
                            received.append(Date().timeIntervalSince1970 - at)
                            if received.count == total { break }
                        }
                        await latencies.add(received, node: node)
                    }
                }
            }
            while await latencies.ready < subscribers { try await Task.sleep(for: .milliseconds(20)) }
            try await Task.sleep(for: .milliseconds(300))
            let before = Self.cpuSeconds()
            let started = ContinuousClock.now
            for index in 0..<total {
                await events.publish(
                    "transcript_update", callID: callID, data: ["text": "line \(index)", "speaker": "agent"])
                let next = started + .milliseconds(Int(Double(index + 1) * 1_000 / Double(rate)))
                try await Task.sleep(until: next, clock: .continuous)
            }
            try await group.waitForAll()
            cpu = (Self.cpuSeconds() - before) / Double(seconds)
        }
        return (await latencies.values, cpu)
    }

    /// The `at` of a `transcript_update` frame as seconds since 1970, read from the bytes (the
    /// frame starts with its type and carries a fixed `YYYY-MM-DDTHH:MM:SS.mmmZ`): Foundation's
    /// string search and ISO 8601 parser, and the standard library's generic `firstRange(of:)`,
    /// cost the 500 clients more than the server spends sending, and this process hosts both.
    static func transcriptUpdateTime(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { bytes -> Double? in
            let type = Self.transcriptUpdatePrefix
            guard bytes.count > type.count + 30 else { return nil }
            for index in 0..<type.count where bytes[index] != type[index] { return nil }
            // `"at":"` then the timestamp: the first `"at":"` after the type (ids and numbers
            // come before it in the frame).
            var index = type.count
            let last = bytes.count - 29
            while index < last {
                if bytes[index] == UInt8(ascii: "\""), bytes[index + 1] == UInt8(ascii: "a"),
                    bytes[index + 2] == UInt8(ascii: "t"), bytes[index + 3] == UInt8(ascii: "\""),
                    bytes[index + 4] == UInt8(ascii: ":"), bytes[index + 5] == UInt8(ascii: "\"")
                {
                    break
                }
                index += 1
            }
            guard index < last else { return nil }
            let stamp = index + 6
            func number(_ offset: Int, _ width: Int) -> Int {
                var value = 0
                for position in (stamp + offset)..<(stamp + offset + width) {
                    value = value * 10 + Int(bytes[position] &- 48)
                }
                return value
            }
            var parts = tm()
            parts.tm_year = Int32(number(0, 4) - 1_900)
            parts.tm_mon = Int32(number(5, 2) - 1)
            parts.tm_mday = Int32(number(8, 2))
            parts.tm_hour = Int32(number(11, 2))
            parts.tm_min = Int32(number(14, 2))
            parts.tm_sec = Int32(number(17, 2))
            return Double(timegm(&parts)) + Double(number(20, 3)) / 1_000
        }
    }

    private static let transcriptUpdatePrefix = Array(#"{"type":"transcript_update""#.utf8)

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(
            usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
