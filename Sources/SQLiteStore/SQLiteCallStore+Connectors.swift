package import AIClients
package import CallPipeCore
package import Foundation
import GRDB

/// The connectors' settings, sync runs, imported calls, schedule claims and archives on SQLite
/// (docs/connectors.md).
extension SQLiteCallStore: ConnectorRepository {
    package func connectorSettings(_ kind: ConnectorKind) async throws -> ConnectorSettings? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM connector_settings WHERE kind = ?", arguments: [kind.rawValue])
                .map(ConnectorSettings.init(row:))
        }
    }

    package func saveConnectorSettings(_ settings: ConnectorSettings) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO connector_settings (kind, enabled, sealed_api_key, api_key_mask, target_id,
                      base_url, schedule, paused_reason, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    settings.kind.rawValue, settings.enabled, settings.sealedAPIKey, settings.apiKeyMask,
                    settings.targetID, settings.baseURL, settings.schedule, settings.pausedReason, settings.updatedAt,
                ])
        }
    }

    package func startSyncRun(_ run: SyncRun) async throws -> (run: SyncRun, started: Bool) {
        try await write { db in
            if let running = try Row.fetchOne(
                db, sql: "SELECT * FROM sync_runs WHERE kind = ? AND status = 'running'", arguments: [run.kind.rawValue]
            ) {
                return (try SyncRun(row: running), false)
            }
            try Self.insert(run, db)
            return (run, true)
        }
    }

    package func claimAbandonedSyncRun(holder: String, now: Date, leaseUntil: Date) async throws -> SyncRun? {
        try await write { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT * FROM sync_runs WHERE status = 'running' AND (lease_until IS NULL OR lease_until < ?)
                        ORDER BY started_at LIMIT 1
                        """, arguments: [now])
            else { return nil }
            var run = try SyncRun(row: row)
            run.holder = holder
            run.leaseUntil = leaseUntil
            try db.execute(
                sql: "UPDATE sync_runs SET holder = ?, lease_until = ? WHERE id = ?",
                arguments: [holder, leaseUntil, run.id])
            return run
        }
    }

    package func commitSyncPage(_ page: SyncPage, now: Date) async throws -> SyncPage.Result {
        try await write { db in
            var result = SyncPage.Result()
            for call in page.calls {
                let json = try call.storedJSON()
                let existing = try Row.fetchOne(
                    db, sql: "SELECT call_id, json, audio_state FROM imported_calls WHERE vendor = ? AND vendor_id = ?",
                    arguments: [call.vendor, call.vendorID])
                guard let existing else {
                    let callID = "call_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
                    try call.storedCall(id: callID, now: now, isDemo: page.isDemo).insert(db)
                    try db.execute(
                        sql: """
                            INSERT INTO imported_calls (call_id, json, audio_state, updated_at, started_day,
                              \(Self.rowColumns.joined(separator: ", "))) VALUES (?, ?, ?, ?, ?, \(Self.rowPlaceholders))
                            """,
                        arguments: [
                            callID, json, call.hasAudio ? "pending" : "none", now, call.startedAt.utcDayNumber,
                        ] + Self.rowArguments(call))
                    result.new += 1
                    continue
                }
                let storedJSON: String = existing["json"]
                guard storedJSON != json else {
                    result.unchanged += 1
                    continue
                }
                let callID: String = existing["call_id"]
                let audioState: String = existing["audio_state"]
                try db.execute(
                    sql: """
                        UPDATE imported_calls SET json = ?, audio_state = ?, updated_at = ?, started_day = ?,
                          \(Self.rowColumns.map { "\($0) = ?" }.joined(separator: ", "))
                        WHERE vendor = ? AND vendor_id = ?
                        """,
                    arguments: [
                        json, audioState == "none" && call.hasAudio ? "pending" : audioState, now,
                        call.startedAt.utcDayNumber,
                    ] + Self.rowArguments(call) + [call.vendor, call.vendorID])
                if var stored = try StoredCall.fetchOne(db, key: callID) {
                    let fresh = call.storedCall(id: callID, now: now)
                    stored.agentID = fresh.agentID
                    stored.customerID = fresh.customerID
                    stored.direction = fresh.direction
                    stored.metadata = fresh.metadata
                    stored.createdAt = fresh.createdAt
                    stored.endedAt = fresh.endedAt
                    stored.updatedAt = now
                    if audioState == "none" && call.hasAudio && stored.status == .done { stored.status = .ended }
                    try stored.update(db)
                }
                result.updated += 1
            }
            try db.execute(
                sql: """
                    UPDATE sync_runs SET cursor = ?, pages = pages + 1, requests = requests + ?,
                      calls_new = calls_new + ?, calls_updated = calls_updated + ?, calls_failed = calls_failed + ?,
                      lease_until = ? WHERE id = ? AND status = 'running'
                    """,
                arguments: [
                    page.nextCursor, page.requests, result.new, result.updated, page.failed, page.leaseUntil,
                    page.runID,
                ])
            guard db.changesCount == 1 else {
                throw CallPipeError(.conflict, "sync run \(page.runID) is not running any more")
            }
            return result
        }
    }

    package func finishSyncRun(id: String, status: SyncRun.Status, error: String?, requests: Int, now: Date)
        async throws -> SyncRun
    {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE sync_runs SET status = ?, error = ?, requests = requests + ?, finished_at = ?,
                      lease_until = NULL WHERE id = ?
                    """, arguments: [status.rawValue, error, requests, now, id])
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM sync_runs WHERE id = ?", arguments: [id]) else {
                throw CallPipeError(.notFound, "no sync run \(id)")
            }
            return try SyncRun(row: row)
        }
    }

    package func syncRun(id: String) async throws -> SyncRun? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM sync_runs WHERE id = ?", arguments: [id]).map(SyncRun.init(row:))
        }
    }

    package func syncRuns(kind: ConnectorKind?, limit: Int) async throws -> [SyncRun] {
        try await read { db in
            let rows =
                if let kind {
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM sync_runs WHERE kind = ? ORDER BY started_at DESC, id LIMIT ?",
                        arguments: [kind.rawValue, limit])
                } else {
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM sync_runs ORDER BY started_at DESC, id LIMIT ?", arguments: [limit])
                }
            return try rows.map(SyncRun.init(row:))
        }
    }

    package func importedCallsAwaitingAudio(vendor: String, limit: Int) async throws -> [ImportedCallRef] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT call_id, json FROM imported_calls WHERE audio_state = 'pending' AND vendor = ?
                    ORDER BY started_at, vendor_id LIMIT ?
                    """, arguments: [vendor, limit]
            ).map { ImportedCallRef(callID: $0["call_id"], call: try ImportedCall(storedJSON: $0["json"])) }
        }
    }

    package func attachImportedAudio(_ recording: StoredRecording, vendor: String, vendorID: String, now: Date)
        async throws
    {
        try await write { db in
            try Self.finishCall(callID: recording.callID, recording: recording, now: now, in: db)
            try db.execute(
                sql: """
                    UPDATE imported_calls SET audio_state = 'done', audio_error = NULL, updated_at = ?
                    WHERE vendor = ? AND vendor_id = ?
                    """, arguments: [now, vendor, vendorID])
        }
    }

    package func markImportedAudio(vendor: String, vendorID: String, failure: String?, now: Date) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE imported_calls SET audio_state = ?, audio_error = ?, updated_at = ?
                    WHERE vendor = ? AND vendor_id = ?
                    """, arguments: [failure == nil ? "done" : "failed", failure, now, vendor, vendorID])
            guard failure != nil else { return }
            // Nothing to process: the call is as complete as it will get.
            try db.execute(
                sql: """
                    UPDATE calls SET status = 'done', updated_at = ? WHERE status = 'ended'
                      AND id = (SELECT call_id FROM imported_calls WHERE vendor = ? AND vendor_id = ?)
                      AND NOT EXISTS (SELECT 1 FROM recordings WHERE recordings.call_id = calls.id)
                    """, arguments: [now, vendor, vendorID])
        }
    }

    package func vendorTranscript(callID: String) async throws -> Transcript? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT json FROM imported_calls WHERE call_id = ?", arguments: [callID])
                .flatMap { try ImportedCall(storedJSON: $0).transcript }
        }
    }

    package func claimScheduleFire(name: String, fire: Date, holder: String, now: Date) async throws -> Bool {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO schedule_fires (name, last_fire, holder, claimed_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET last_fire = excluded.last_fire, holder = excluded.holder,
                      claimed_at = excluded.claimed_at WHERE schedule_fires.last_fire < excluded.last_fire
                    """, arguments: [name, fire, holder, now])
            return db.changesCount == 1
        }
    }

    package func lastScheduleFire(name: String) async throws -> Date? {
        try await read { db in
            try Date.fetchOne(db, sql: "SELECT last_fire FROM schedule_fires WHERE name = ?", arguments: [name])
        }
    }

    package func saveArchive(_ archive: StoredArchive) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO archives (month, file_name, location, calls, bytes, sha256, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    archive.month, archive.fileName, archive.location, archive.calls, archive.bytes, archive.sha256,
                    archive.createdAt,
                ])
        }
    }

    package func archives() async throws -> [StoredArchive] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM archives ORDER BY month DESC").map {
                StoredArchive(
                    month: $0["month"], fileName: $0["file_name"], location: $0["location"], calls: $0["calls"],
                    bytes: $0["bytes"], sha256: $0["sha256"], createdAt: $0["created_at"])
            }
        }
    }

    private static func insert(_ run: SyncRun, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO sync_runs (id, kind, trigger, status, window_from, window_to, cursor, pages, requests,
                  calls_new, calls_updated, calls_failed, error, started_at, finished_at, holder, lease_until)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                run.id, run.kind.rawValue, run.trigger.rawValue, run.status.rawValue, run.windowFrom, run.windowTo,
                run.cursor, run.pages, run.requests, run.callsNew, run.callsUpdated, run.callsFailed, run.error,
                run.startedAt, run.finishedAt, run.holder, run.leaseUntil,
            ])
    }
}

extension ConnectorSettings {
    init(row: Row) throws {
        guard let kind = ConnectorKind(rawValue: row["kind"]) else {
            throw CallPipeError(.storage, "unknown connector kind \(String(describing: row["kind"] as String?))")
        }
        self.init(
            kind: kind, enabled: row["enabled"], sealedAPIKey: row["sealed_api_key"], apiKeyMask: row["api_key_mask"],
            targetID: row["target_id"], baseURL: row["base_url"], schedule: row["schedule"],
            pausedReason: row["paused_reason"], updatedAt: row["updated_at"])
    }
}

extension SyncRun {
    init(row: Row) throws {
        guard let kind = ConnectorKind(rawValue: row["kind"]), let trigger = Trigger(rawValue: row["trigger"]),
            let status = Status(rawValue: row["status"])
        else { throw CallPipeError(.storage, "sync run \(row["id"] as String? ?? "?") has an unknown kind or status") }
        self.init(
            id: row["id"], kind: kind, trigger: trigger, status: status,
            window: (row["window_from"] as Date)..<max(row["window_from"] as Date, row["window_to"] as Date),
            cursor: row["cursor"], pages: row["pages"], requests: row["requests"], callsNew: row["calls_new"],
            callsUpdated: row["calls_updated"], callsFailed: row["calls_failed"], error: row["error"],
            startedAt: row["started_at"], finishedAt: row["finished_at"], holder: row["holder"],
            leaseUntil: row["lease_until"])
    }
}
