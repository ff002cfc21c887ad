package import CallPipeCore
package import Foundation
package import Logging
import PostgresNIO
package import ServiceLifecycle
import Synchronization

/// Rooms across nodes (docs/ARCHITECTURE.md §15): every event this node's `CallEventBus` publishes
/// is written to `call_events` and announced with `NOTIFY callpipe_events` (the row id only, far
/// under NOTIFY's 8,000-byte payload limit); every node listens, reads the rows it has not seen and
/// hands other nodes' events to its own bus (`CallEventBus.receive`), so a supervisor on any node
/// sees every node's calls, and a late joiner the current state. Notifications can be missed (a
/// dropped listening connection): after every (re)connection, and on every notification, the node
/// reads all rows after the last it read, so nothing is lost. At start it reads the last hour's
/// events, so its rooms know the calls already running elsewhere.
///
/// One writer takes whatever was published since its last write and inserts it in one statement
/// with one notification (the last id): at 50 events a second and more, one round trip per event
/// fell behind (docs/deploy.md, "Measured").
package final class PostgresEventRelay: Service {
    static let channel = "callpipe_events"

    private let store: PostgresCallStore
    private let bus: CallEventBus
    private let pending = Mutex(Pending())
    private let wakeUps: AsyncStream<Void>
    private let wakeUp: AsyncStream<Void>.Continuation
    private let logger: Logger
    /// How long events are kept for late joiners and lagging nodes.
    private let retention: TimeInterval
    /// Events waiting for the writer, at most `capacity` (the oldest go first past it).
    static let capacity = 10_000
    /// Events per INSERT: far under PostgreSQL's bind limit, a few hundred kB at most.
    static let batchSize = 500

    struct Pending {
        var events: [CallEvent] = []
        var dropped = 0
    }

    package init(store: PostgresCallStore, bus: CallEventBus, logger: Logger, retention: TimeInterval = 86_400) {
        self.store = store
        self.bus = bus
        self.logger = logger
        self.retention = retention
        (wakeUps, wakeUp) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    package func run() async throws {
        await bus.forward { [self] event in enqueue(event) }
        let reader = EventReader(store: store, bus: bus, logger: logger)
        try await reader.loadRecent(since: Date().addingTimeInterval(-3_600))
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.write() }
                group.addTask { await self.listen(reader) }
                group.addTask { await self.prune() }
                await group.next()
                group.cancelAll()
            }
        }
    }

    /// Queues one of this node's events for the writer.
    private func enqueue(_ event: CallEvent) {
        pending.withLock { pending in
            if pending.events.count >= Self.capacity {
                // Dropped a tenth at a time, so that a node far behind does not shift the whole
                // array for every new event.
                let excess = Self.capacity / 10
                pending.events.removeFirst(excess)
                pending.dropped += excess
            }
            pending.events.append(event)
        }
        wakeUp.yield()
    }

    /// Writes this node's events, in the order published, a batch per statement.
    private func write() async {
        for await _ in wakeUps {
            let (events, dropped) = pending.withLock { pending in
                defer { pending = Pending() }
                return (pending.events, pending.dropped)
            }
            if dropped > 0 {
                logger.warning(
                    "Room events not shared with other nodes: published faster than the database took them",
                    metadata: ["events": "\(dropped)"])
            }
            for start in stride(from: 0, to: events.count, by: Self.batchSize) {
                await insert(events[start..<min(start + Self.batchSize, events.count)])
            }
        }
    }

    /// Inserts events in their order (ids follow it) and notifies once, with the last id.
    private func insert(_ events: ArraySlice<CallEvent>) async {
        let callIDs = events.map(\.callID)
        let types = events.map(\.type)
        let seqs = events.map(\.seq)
        let times = events.map(\.at)
        let data = events.map { String(decoding: $0.data, as: UTF8.self) }
        do {
            try await store.client.query(
                """
                WITH e AS (
                  INSERT INTO call_events (node, call_id, type, seq, at, data)
                  SELECT \(store.nodeID)::text, call_id, type, seq, at, data
                  FROM UNNEST(\(callIDs)::text[], \(types)::text[], \(seqs)::bigint[], \(times)::timestamptz[],
                              \(data)::text[]) WITH ORDINALITY AS u(call_id, type, seq, at, data, n)
                  ORDER BY n
                  RETURNING id)
                SELECT pg_notify(\(Self.channel), (SELECT MAX(id) FROM e)::text)
                """, logger: logger
            ).collect()
        } catch {
            // The local rooms have them; other nodes miss these events (the database is away).
            logger.warning(
                "Room events not shared with other nodes",
                metadata: [
                    "events": "\(events.count)", "call.id": "\(events.first?.callID ?? "")",
                    "error": "\(PostgresCallStore.storageError(error, doing: "writing events"))",
                ])
        }
    }

    /// Listens for other nodes' events; after a lost connection, listens again and catches up.
    private func listen(_ reader: EventReader) async {
        while !Task.isCancelled {
            do {
                try await store.client.withConnection { connection in
                    try await connection.listen(on: Self.channel) { notifications in
                        try await reader.catchUp()
                        for try await _ in notifications { try await reader.catchUp() }
                    }
                }
            } catch {
                guard !Task.isCancelled else { return }
                logger.warning(
                    "Listening for other nodes' events failed; listening again",
                    metadata: ["error": "\(PostgresCallStore.storageError(error, doing: "listening"))"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Deletes events older than the retention, every ten minutes (any node may; it is idempotent).
    private func prune() async {
        while !Task.isCancelled {
            let cutoff = Date().addingTimeInterval(-retention)
            _ = try? await store.client.query("DELETE FROM call_events WHERE at < \(cutoff)", logger: logger).collect()
            try? await Task.sleep(for: .seconds(600))
        }
    }
}

/// Reads `call_events` after the last row read and hands other nodes' events to the bus. Ids are
/// taken at insert and committed in any order, so a missing id may still commit: it is looked for
/// again for a few seconds before it counts as a rolled-back insert.
actor EventReader {
    private let store: PostgresCallStore
    private let bus: CallEventBus
    private let logger: Logger
    private var lastID: Int64 = 0
    private var missing: [Int64: Date] = [:]

    init(store: PostgresCallStore, bus: CallEventBus, logger: Logger) {
        self.store = store
        self.bus = bus
        self.logger = logger
    }

    /// Reads events since `date` into the bus (state for late joiners), and starts after them.
    func loadRecent(since date: Date) async throws {
        let start =
            try await rows(
                "SELECT COALESCE(MIN(id) - 1, (SELECT COALESCE(MAX(id), 0) FROM call_events)) AS id "
                    + "FROM call_events WHERE at >= $1", binds: [date]
            ).first?.value("id", as: Int64.self) ?? 0
        lastID = start
        try await catchUp()
    }

    func catchUp() async throws {
        if !missing.isEmpty {
            let ids = Array(missing.keys)
            try await deliver(try await fetch("SELECT * FROM call_events WHERE id = ANY(\(ids)) ORDER BY id"))
            let cutoff = Date().addingTimeInterval(-5)
            missing = missing.filter { $0.value > cutoff }
        }
        while true {
            let rows = try await fetch("SELECT * FROM call_events WHERE id > \(lastID) ORDER BY id LIMIT 1000")
            guard let last = rows.last?.id else { return }
            var expected = lastID + 1
            for row in rows {
                while expected < row.id {
                    missing[expected] = Date()
                    expected += 1
                }
                expected = row.id + 1
            }
            lastID = last
            try await deliver(rows)
            if rows.count < 1000 { return }
        }
    }

    private func deliver(_ rows: [(id: Int64, node: String, event: CallEvent)]) async throws {
        for row in rows {
            missing.removeValue(forKey: row.id)
            if row.node != store.nodeID { await bus.receive(row.event) }
        }
    }

    private func fetch(_ query: PostgresQuery) async throws -> [(id: Int64, node: String, event: CallEvent)] {
        try await rows(query).map { row in
            (
                id: try row.value("id"), node: try row.value("node"),
                event: CallEvent(
                    type: try row.value("type"), callID: try row.value("call_id"), seq: try row.value("seq"),
                    at: try row.value("at"), data: Data(try row.value("data", as: String.self).utf8))
            )
        }
    }

    private func rows(_ sql: String, binds: [Date]) async throws -> [PostgresRandomAccessRow] {
        var bindings = PostgresBindings()
        for bind in binds { bindings.append(bind) }
        return try await rows(PostgresQuery(unsafeSQL: sql, binds: bindings))
    }

    private func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        do {
            return try await store.client.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
        } catch {
            throw PostgresCallStore.storageError(error, doing: "reading room events")
        }
    }
}
