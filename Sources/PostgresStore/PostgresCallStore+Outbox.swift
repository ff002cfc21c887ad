package import CRM
package import CallPipeCore
package import Foundation
import Logging
import PostgresNIO

/// The CRM outbox on PostgreSQL, shared by every node: rows queued with the final summary (one per
/// call and target, whatever node wrote it), claimed with `FOR UPDATE SKIP LOCKED` under a lease.
extension PostgresCallStore {
    static func queueDeliveries(
        callID: String, targets: [CRMTargetRef], now: Date, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        for target in targets {
            let id = "dlv_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try await connection.run(
                """
                INSERT INTO crm_deliveries
                  (id, call_id, target, kind, state, attempts, run_after, idempotency_key, created_at, updated_at)
                VALUES (\(id), \(callID), \(target.id), \(target.kind.rawValue), 'pending', 0, \(now),
                  \("callpipe-\(callID)-\(target.id)"), \(now), \(now))
                ON CONFLICT (call_id, target) DO NOTHING
                """, logger: logger)
        }
    }

    package func claimDelivery(now: Date, lease: TimeInterval) async throws -> CRMDelivery? {
        try await write { connection in
            let paused = "target NOT IN (SELECT target FROM crm_paused_targets)"
            var row = try await connection.rows(
                """
                SELECT * FROM crm_deliveries WHERE state = 'pending' AND run_after <= \(now) AND \(unescaped: paused)
                ORDER BY run_after LIMIT 1 FOR UPDATE SKIP LOCKED
                """, logger: logger
            ).first
            if row == nil {
                row = try await connection.rows(
                    """
                    SELECT * FROM crm_deliveries WHERE state = 'sending' AND lease_until <= \(now) AND \(unescaped: paused)
                    ORDER BY run_after LIMIT 1 FOR UPDATE SKIP LOCKED
                    """, logger: logger
                ).first
            }
            guard let row else { return nil }
            var delivery = try CRMDelivery(row)
            delivery.claim(now: now, lease: lease)
            try await Self.update(delivery, connection, logger)
            try await connection.run(
                "UPDATE crm_deliveries SET claimed_by = \(nodeID) WHERE id = \(delivery.id)", logger: logger)
            return delivery
        }
    }

    static func update(_ delivery: CRMDelivery, _ connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.run(
            """
            UPDATE crm_deliveries SET state = \(delivery.state.rawValue), attempts = \(delivery.attempts),
              crashes = \(delivery.crashes), run_after = \(delivery.runAfter), lease_until = \(delivery.leaseUntil),
              last_error = \(delivery.lastError), last_status = \(delivery.lastStatus), remote_id = \(delivery.remoteID),
              updated_at = \(delivery.updatedAt), delivered_at = \(delivery.deliveredAt)
            WHERE id = \(delivery.id)
            """, logger: logger)
    }

    /// The delivery as it is now, locked, if the claim that returned it still holds it.
    static func held(_ delivery: CRMDelivery, _ connection: PostgresConnection, _ logger: Logger) async throws
        -> CRMDelivery
    {
        let current = try await connection.rows(
            "SELECT * FROM crm_deliveries WHERE id = \(delivery.id) FOR UPDATE", logger: logger
        ).first.map(CRMDelivery.init)
        guard let current, current.state == .sending, current.attempts == delivery.attempts else {
            throw CallPipeError(.conflict, "delivery \(delivery.id) is no longer held by this worker")
        }
        return current
    }

    @discardableResult
    package func completeDelivery(_ delivery: CRMDelivery, remoteID: String?, status: Int?, now: Date) async throws
        -> CRMDelivery
    {
        try await write { connection in
            var current = try await Self.held(delivery, connection, logger)
            current.deliver(remoteID: remoteID, status: status, now: now)
            try await Self.update(current, connection, logger)
            return current
        }
    }

    @discardableResult
    package func failDelivery(_ delivery: CRMDelivery, error: String, status: Int?, retryAt: Date?, now: Date)
        async throws -> CRMDelivery
    {
        try await write { connection in
            var current = try await Self.held(delivery, connection, logger)
            current.fail(error, status: status, retryAt: retryAt, now: now)
            try await Self.update(current, connection, logger)
            return current
        }
    }

    package func releaseDelivery(_ delivery: CRMDelivery, error: String, status: Int?, now: Date) async throws {
        try await write { connection in
            var current = try await Self.held(delivery, connection, logger)
            current.release(error, status: status, now: now)
            try await Self.update(current, connection, logger)
        }
    }

    package func redeliver(id: String, now: Date) async throws -> CRMDelivery {
        try await write { connection in
            guard
                var delivery = try await connection.rows(
                    "SELECT * FROM crm_deliveries WHERE id = \(id) FOR UPDATE", logger: logger
                ).first.map(CRMDelivery.init)
            else { throw CallPipeError(.notFound, "no delivery \(id)") }
            guard delivery.state != .sending else {
                throw CallPipeError(.conflict, "delivery \(id) is being sent right now")
            }
            delivery.restart(now: now)
            try await Self.update(delivery, connection, logger)
            return delivery
        }
    }

    /// Deliveries left `sending` whose lease has run out (their node died) count a crash and go
    /// back in the queue, or are dead-lettered at `maxCrashes`; live nodes' deliveries are left alone.
    package func requeueSendingDeliveries(now: Date, maxCrashes: Int) async throws -> InterruptedWork<CRMDelivery> {
        try await write { connection in
            var found = InterruptedWork<CRMDelivery>()
            for row in try await connection.rows(
                "SELECT * FROM crm_deliveries WHERE state = 'sending' AND lease_until <= \(now) FOR UPDATE SKIP LOCKED",
                logger: logger)
            {
                var delivery = try CRMDelivery(row)
                if delivery.crash(now: now, maxCrashes: maxCrashes) {
                    found.abandoned.append(delivery)
                } else {
                    found.requeued.append(delivery)
                }
                try await Self.update(delivery, connection, logger)
            }
            return found
        }
    }

    /// Puts back the deliveries this node cut short.
    package func releaseSendingDeliveries(now: Date) async throws -> Int {
        try await write { connection in
            try await connection.run(
                """
                UPDATE crm_deliveries SET state = 'pending', attempts = GREATEST(0, attempts - 1), lease_until = NULL,
                  updated_at = \(now)
                WHERE state = 'sending' AND claimed_by = \(nodeID) RETURNING 1
                """, logger: logger)
        }
    }

    package func delivery(id: String) async throws -> CRMDelivery? {
        try await read { connection in
            try await connection.rows("SELECT * FROM crm_deliveries WHERE id = \(id)", logger: logger)
                .first.map(CRMDelivery.init)
        }
    }

    package func deliveries(callID: String) async throws -> [CRMDelivery] {
        try await read { connection in
            try await connection.rows(
                "SELECT * FROM crm_deliveries WHERE call_id = \(callID) ORDER BY target", logger: logger
            ).map(CRMDelivery.init)
        }
    }

    package func deliveries(state: CRMDelivery.State?, limit: Int) async throws -> [CRMDelivery] {
        let limit = max(1, min(limit, 1_000))
        return try await read { connection in
            try await connection.rows(
                """
                SELECT * FROM crm_deliveries WHERE (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue))
                ORDER BY updated_at DESC LIMIT \(limit)
                """, logger: logger
            ).map(CRMDelivery.init)
        }
    }

    package func deliveryCounts() async throws -> [CRMDelivery.State: Int] {
        try await read { connection in
            var counts: [CRMDelivery.State: Int] = [:]
            for row in try await connection.rows(
                "SELECT state, COUNT(*) AS n FROM crm_deliveries GROUP BY state", logger: logger)
            {
                if let state = CRMDelivery.State(rawValue: try row.value("state")) {
                    counts[state] = try row.value("n")
                }
            }
            return counts
        }
    }

    package func pauseTarget(_ target: String, reason: String, now: Date) async throws {
        try await write { connection in
            try await connection.run(
                """
                INSERT INTO crm_paused_targets (target, reason, paused_at) VALUES (\(target), \(reason), \(now))
                ON CONFLICT (target) DO UPDATE SET reason = EXCLUDED.reason, paused_at = EXCLUDED.paused_at
                """, logger: logger)
        }
    }

    package func resumeTarget(_ target: String) async throws -> Bool {
        try await write { connection in
            try await connection.run(
                "DELETE FROM crm_paused_targets WHERE target = \(target) RETURNING 1", logger: logger) > 0
        }
    }

    package func pausedTargets() async throws -> [CRMPausedTarget] {
        try await read { connection in
            try await connection.rows("SELECT * FROM crm_paused_targets ORDER BY paused_at", logger: logger)
                .map(CRMPausedTarget.init)
        }
    }

    package func deliveryRecord(callID: String) async throws -> CRMCallRecord? {
        try await CRMCallRecord.load(callID: callID, from: self)
    }
}
