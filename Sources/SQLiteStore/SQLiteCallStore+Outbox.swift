package import CRM
package import CallPipeCore
package import Foundation
import GRDB

extension CRMDelivery: FetchableRecord, PersistableRecord {
    package static let databaseTableName = "crm_deliveries"
}

extension CRMPausedTarget: FetchableRecord, PersistableRecord {
    package static let databaseTableName = "crm_paused_targets"
}

/// The CRM outbox on SQLite: rows queued with the final summary, claimed with a lease.
extension SQLiteCallStore {
    /// Queues one delivery per target for a call (inside the final summary's transaction). A
    /// call that already has a delivery to a target keeps it: one record per call and CRM.
    static func queueDeliveries(callID: String, targets: [CRMTargetRef], db: Database, now: Date) throws {
        for target in targets {
            try db.execute(
                sql: """
                    INSERT INTO crm_deliveries
                      (id, call_id, target, kind, state, attempts, run_after, idempotency_key, created_at, updated_at)
                    VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?)
                    ON CONFLICT (call_id, target) DO NOTHING
                    """,
                arguments: [
                    "dlv_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""), callID, target.id,
                    target.kind.rawValue, now, "callpipe-\(callID)-\(target.id)", now, now,
                ])
        }
    }

    package func claimDelivery(now: Date, lease: TimeInterval) async throws -> CRMDelivery? {
        try await write { db in
            // Two index range scans (state, run_after) rather than one OR that would scan the
            // whole outbox, delivered rows and all: due pending rows first, then expired leases.
            let paused = "target NOT IN (SELECT target FROM crm_paused_targets)"
            let due = try CRMDelivery.fetchOne(
                db,
                sql: """
                    SELECT * FROM crm_deliveries WHERE state = 'pending' AND run_after <= :now AND \(paused)
                    ORDER BY run_after LIMIT 1
                    """, arguments: ["now": now])
            let abandoned =
                try due == nil
                ? CRMDelivery.fetchOne(
                    db,
                    sql: """
                        SELECT * FROM crm_deliveries WHERE state = 'sending' AND lease_until <= :now AND \(paused)
                        ORDER BY run_after LIMIT 1
                        """, arguments: ["now": now]) : nil
            guard var delivery = due ?? abandoned else { return nil }
            delivery.claim(now: now, lease: lease)
            try delivery.update(db)
            return delivery
        }
    }

    @discardableResult
    package func completeDelivery(_ delivery: CRMDelivery, remoteID: String?, status: Int?, now: Date) async throws
        -> CRMDelivery
    {
        try await write { db in
            var current = try CRMDelivery.held(delivery, db: db)
            current.deliver(remoteID: remoteID, status: status, now: now)
            try current.update(db)
            return current
        }
    }

    @discardableResult
    package func failDelivery(_ delivery: CRMDelivery, error: String, status: Int?, retryAt: Date?, now: Date)
        async throws -> CRMDelivery
    {
        try await write { db in
            var current = try CRMDelivery.held(delivery, db: db)
            current.fail(error, status: status, retryAt: retryAt, now: now)
            try current.update(db)
            return current
        }
    }

    package func releaseDelivery(_ delivery: CRMDelivery, error: String, status: Int?, now: Date) async throws {
        try await write { db in
            var current = try CRMDelivery.held(delivery, db: db)
            current.release(error, status: status, now: now)
            try current.update(db)
        }
    }

    package func redeliver(id: String, now: Date) async throws -> CRMDelivery {
        try await write { db in
            guard var delivery = try CRMDelivery.fetchOne(db, key: id) else {
                throw CallPipeError(.notFound, "no delivery \(id)")
            }
            guard delivery.state != .sending else {
                throw CallPipeError(.conflict, "delivery \(id) is being sent right now")
            }
            delivery.restart(now: now)
            try delivery.update(db)
            return delivery
        }
    }

    package func requeueSendingDeliveries(now: Date, maxCrashes: Int) async throws -> InterruptedWork<CRMDelivery> {
        try await write { db in
            var found = InterruptedWork<CRMDelivery>()
            for var delivery in try CRMDelivery.filter(Column("state") == CRMDelivery.State.sending.rawValue)
                .fetchAll(db)
            {
                if delivery.crash(now: now, maxCrashes: maxCrashes) {
                    found.abandoned.append(delivery)
                } else {
                    found.requeued.append(delivery)
                }
                try delivery.update(db)
            }
            return found
        }
    }

    package func releaseSendingDeliveries(now: Date) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE crm_deliveries SET state = 'pending', attempts = MAX(0, attempts - 1), lease_until = NULL,
                        updated_at = ? WHERE state = 'sending'
                    """,
                arguments: [now])
            return db.changesCount
        }
    }

    package func delivery(id: String) async throws -> CRMDelivery? {
        try await read { db in try CRMDelivery.fetchOne(db, key: id) }
    }

    package func deliveries(callID: String) async throws -> [CRMDelivery] {
        try await read { db in
            try CRMDelivery.filter(Column("call_id") == callID).order(Column("target")).fetchAll(db)
        }
    }

    package func deliveries(state: CRMDelivery.State?, limit: Int) async throws -> [CRMDelivery] {
        try await read { db in
            var request = CRMDelivery.all()
            if let state { request = request.filter(Column("state") == state.rawValue) }
            return try request.order(Column("updated_at").desc).limit(max(1, min(limit, 1_000))).fetchAll(db)
        }
    }

    package func deliveryCounts() async throws -> [CRMDelivery.State: Int] {
        try await read { db in
            var counts: [CRMDelivery.State: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM crm_deliveries GROUP BY state") {
                if let state = CRMDelivery.State(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }

    package func pauseTarget(_ target: String, reason: String, now: Date) async throws {
        try await write { db in
            try CRMPausedTarget(target: target, reason: reason, pausedAt: now).upsert(db)
        }
    }

    package func resumeTarget(_ target: String) async throws -> Bool {
        try await write { db in try CRMPausedTarget.deleteOne(db, key: target) }
    }

    package func pausedTargets() async throws -> [CRMPausedTarget] {
        try await read { db in try CRMPausedTarget.order(Column("paused_at")).fetchAll(db) }
    }

    package func deliveryRecord(callID: String) async throws -> CRMCallRecord? {
        try await CRMCallRecord.load(callID: callID, from: self)
    }
}
