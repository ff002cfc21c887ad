import EngineTestSupport
import Foundation
import PostgresNIO
import ServiceLifecycle
import Testing

@testable import CallPipeCore
@testable import PostgresStore

/// Rooms across nodes: events published on one node's bus reach the others through PostgreSQL.
@Suite("PostgreSQL event relay: rooms across nodes", .timeLimit(.minutes(2)))
struct PostgresEventRelayTests {
    struct Update: Codable { var n: Int }

    /// Runs `body` with `count` nodes (store, bus, relay) on one new database.
    static func nodes(
        _ count: Int, _ body: @Sendable ([(store: PostgresCallStore, bus: CallEventBus)]) async throws -> Void
    ) async throws {
        try await PostgresStoreTests.nodes(count) { stores in
            // Buffers large enough for the bursts below: these tests read every event.
            let nodes = stores.map { (store: $0, bus: CallEventBus(bufferSize: 4_096)) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for node in nodes {
                    group.addTask {
                        try await PostgresEventRelay(store: node.store, bus: node.bus, logger: StoreBackend.logger)
                            .run()
                    }
                }
                defer { group.cancelAll() }
                try await body(nodes)
            }
        }
    }

    /// Reads `count` events of a subscription, or fails after 20 s.
    static func read(_ subscription: CallEventBus.Subscription, count: Int) async throws -> [CallEvent] {
        try await withThrowingTaskGroup(of: [CallEvent].self) { group in
            group.addTask {
                var events: [CallEvent] = []
                for await event in subscription.events {
                    events.append(event)
                    if events.count == count { break }
                }
                return events
            }
            group.addTask {
                try await Task.sleep(for: .seconds(20))
                throw CallPipeError(.invalid, "fewer than \(count) events arrived")
            }
            let events = try await group.next() ?? []
            group.cancelAll()
            return events
        }
    }

    @Test func anEventPublishedOnOneNodeReachesTheOthersInOrder() async throws {
        try await Self.nodes(3) { nodes in
            let watchers = [nodes[1].bus, nodes[2].bus]
            var subscriptions: [CallEventBus.Subscription] = []
            for bus in watchers {
                let subscription = await bus.subscribe()
                await bus.joinFloor(subscription.id)
                subscriptions.append(subscription)
            }
            // Publishing before every listener is up would race the test, not the relay: the
            // relays read what they missed, but the subscriptions above only see what arrives.
            try await Task.sleep(for: .milliseconds(300))
            for n in 1...40 { await nodes[0].bus.publish("transcript_update", callID: "call_a", data: Update(n: n)) }
            for subscription in subscriptions {
                let events = try await Self.read(subscription, count: 40)
                #expect(events.map(\.seq) == Array(1...40))
                #expect(events.allSatisfy { $0.callID == "call_a" && $0.type == "transcript_update" })
                #expect(events.last?.frame.contains(#""n":40"#) == true)
            }
            // A node that publishes next for the same call continues its sequence.
            let next = await nodes[1].bus.publish("call_status", callID: "call_a", data: Update(n: 0))
            #expect(next.seq == 41)
            // A late joiner on another node gets the call's current state.
            let late = await nodes[2].bus.subscribe()
            await nodes[2].bus.join(late.id, callID: "call_a")
            let state = try await Self.read(late, count: 41)
            #expect(state.filter { $0.type == "transcript_update" }.count == 40)
        }
    }

    /// Bursts from two nodes at once, each larger than one INSERT's batch: a third node gets every
    /// event, each call's in `seq` order.
    @Test func burstsFromTwoNodesArriveWholeAndInOrder() async throws {
        try await Self.nodes(3) { nodes in
            let watcher = await nodes[2].bus.subscribe()
            await nodes[2].bus.joinFloor(watcher.id)
            try await Task.sleep(for: .milliseconds(300))
            let perCall = PostgresEventRelay.batchSize + 150
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (node, callID) in [(nodes[0], "call_a"), (nodes[1], "call_b")] {
                    group.addTask {
                        for n in 1...perCall {
                            await node.bus.publish("transcript_update", callID: callID, data: Update(n: n))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let events = try await Self.read(watcher, count: 2 * perCall)
            for callID in ["call_a", "call_b"] {
                #expect(events.filter { $0.callID == callID }.map(\.seq) == Array(1...perCall), "\(callID)")
            }
        }
    }

    /// A node that starts late (or lost its connection) reads what it missed from the table.
    @Test func aNodeStartedLaterKnowsTheCallsAlreadyRunning() async throws {
        try await PostgresStoreTests.nodes(2) { stores in
            let first = CallEventBus()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await PostgresEventRelay(store: stores[0], bus: first, logger: StoreBackend.logger).run()
                }
                defer { group.cancelAll() }
                try await Task.sleep(for: .milliseconds(300))
                for n in 1...5 { await first.publish("call_status", callID: "call_b", data: Update(n: n)) }
                await first.publish("sentiment", callID: "call_b", data: Update(n: 9))
                // Written by the first node's relay before the second starts.
                for _ in 0..<100 {
                    let rows = try await stores[1].read { connection in
                        try await connection.rows("SELECT COUNT(*) AS n FROM call_events", logger: StoreBackend.logger)
                            .first?.value("n", as: Int.self) ?? 0
                    }
                    if rows == 6 { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                let second = CallEventBus()
                group.addTask {
                    try await PostgresEventRelay(store: stores[1], bus: second, logger: StoreBackend.logger).run()
                }
                var state: [CallEvent] = []
                for _ in 0..<100 {
                    let late = await second.subscribe()
                    await second.join(late.id, callID: "call_b")
                    await second.unsubscribe(late.id)
                    state = []
                    for await event in late.events { state.append(event) }
                    if state.count == 2 { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(state.map(\.type) == ["call_status", "sentiment"])
                #expect(state.first?.seq == 5 && state.first?.frame.contains(#""n":5"#) == true)
            }
        }
    }
}
