package import AIClients
package import CallPipeCore
package import Foundation
import Logging
import PostgresNIO

/// The connectors' settings, sync runs, imported calls, schedule claims and archives on
/// PostgreSQL (docs/connectors.md), as on SQLite; one running sync per connector is kept by a
/// partial unique index, so two nodes starting a run at once get one run.
extension PostgresCallStore: ConnectorRepository {
    package func connectorSettings(_ kind: ConnectorKind) async throws -> ConnectorSettings? {
        try await read { connection in
            try await connection.rows(
                "SELECT * FROM connector_settings WHERE kind = \(kind.rawValue)", logger: logger
            ).first.map(ConnectorSettings.init)
        }
    }

    package func saveConnectorSettings(_ settings: ConnectorSettings) async throws {
        try await write { connection in
            try await connection.run(
                """
                INSERT INTO connector_settings (kind, enabled, sealed_api_key, api_key_mask, target_id, base_url,
                  schedule, paused_reason, updated_at)
                VALUES (\(settings.kind.rawValue), \(settings.enabled), \(settings.sealedAPIKey),
                  \(settings.apiKeyMask), \(settings.targetID), \(settings.baseURL), \(settings.schedule),
                  \(settings.pausedReason), \(settings.updatedAt))
                ON CONFLICT (kind) DO UPDATE SET enabled = excluded.enabled, sealed_api_key = excluded.sealed_api_key,
                  api_key_mask = excluded.api_key_mask, target_id = excluded.target_id, base_url = excluded.base_url,
                  schedule = excluded.schedule, paused_reason = excluded.paused_reason, updated_at = excluded.updated_at
                """, logger: logger)
        }
    }

    package func startSyncRun(_ run: SyncRun) async throws -> (run: SyncRun, started: Bool) {
        try await write { connection in
            let inserted = try await connection.run(
                """
                INSERT INTO sync_runs (id, kind, trigger, status, window_from, window_to, cursor, pages, requests,
                  calls_new, calls_updated, calls_failed, error, started_at, finished_at, holder, lease_until)
                VALUES (\(run.id), \(run.kind.rawValue), \(run.trigger.rawValue), \(run.status.rawValue),
                  \(run.windowFrom), \(run.windowTo), \(run.cursor), \(run.pages), \(run.requests), \(run.callsNew),
                  \(run.callsUpdated), \(run.callsFailed), \(run.error), \(run.startedAt), \(run.finishedAt),
                  \(run.holder), \(run.leaseUntil))
                ON CONFLICT (kind) WHERE status = 'running' DO NOTHING RETURNING 1
                """, logger: logger)
            if inserted == 1 { return (run, true) }
            guard
                let running = try await connection.rows(
                    "SELECT * FROM sync_runs WHERE kind = \(run.kind.rawValue) AND status = 'running'", logger: logger
                ).first
            else { throw CallPipeError(.conflict, "a \(run.kind.rawValue) sync started and ended at once; try again") }
            return (try SyncRun(running), false)
        }
    }

    package func claimAbandonedSyncRun(holder: String, now: Date, leaseUntil: Date) async throws -> SyncRun? {
        try await write { connection in
            try await connection.rows(
                """
                UPDATE sync_runs SET holder = \(holder), lease_until = \(leaseUntil)
                WHERE id = (SELECT id FROM sync_runs WHERE status = 'running'
                  AND (lease_until IS NULL OR lease_until < \(now)) ORDER BY started_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING *
                """, logger: logger
            ).first.map(SyncRun.init)
        }
    }

    package func commitSyncPage(_ page: SyncPage, now: Date) async throws -> SyncPage.Result {
        try await write { connection in
            var result = SyncPage.Result()
            for call in page.calls {
                let json = try call.storedJSON()
                let existing = try await connection.rows(
                    """
                    SELECT call_id, json, audio_state FROM imported_calls
                    WHERE vendor = \(call.vendor) AND vendor_id = \(call.vendorID) FOR UPDATE
                    """, logger: logger
                ).first
                guard let existing else {
                    let callID = "call_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
                    try await Self.insert(
                        call.storedCall(id: callID, now: now, isDemo: page.isDemo), connection, logger)
                    let row = ImportedCallRow(call)
                    try await connection.run(
                        """
                        INSERT INTO imported_calls (call_id, json, audio_state, updated_at, started_day, vendor, vendor_id,
                          started_at,
                          agent_id, agent_name, agent_email, direction, status, duration_s, bot_outcome,
                          bot_technical_error, bot_transferred, bot_dropped_out, bot_messages, bot_cost, bot_rating,
                          bot_criteria)
                        VALUES (\(callID), \(json), \(call.hasAudio ? "pending" : "none"), \(now),
                          \(call.startedAt.utcDayNumber), \(row.vendor),
                          \(row.vendorID), \(row.startedAt), \(row.agentID), \(row.agentName), \(row.agentEmail),
                          \(row.direction), \(row.status), \(row.durationS), \(row.botOutcome), \(row.botTechnicalError),
                          \(row.botTransferred), \(row.botDroppedOut), \(row.botMessages), \(row.botCost), \(row.botRating),
                          \(row.botCriteria))
                        """, logger: logger)
                    result.new += 1
                    continue
                }
                guard try existing.value("json", as: String.self) != json else {
                    result.unchanged += 1
                    continue
                }
                let callID = try existing.value("call_id", as: String.self)
                let audioState = try existing.value("audio_state", as: String.self)
                let audioNow = audioState == "none" && call.hasAudio ? "pending" : audioState
                let row = ImportedCallRow(call)
                try await connection.run(
                    """
                    UPDATE imported_calls SET json = \(json), audio_state = \(audioNow), updated_at = \(now),
                      started_at = \(row.startedAt), started_day = \(call.startedAt.utcDayNumber),
                      agent_id = \(row.agentID), agent_name = \(row.agentName),
                      agent_email = \(row.agentEmail), direction = \(row.direction), status = \(row.status),
                      duration_s = \(row.durationS), bot_outcome = \(row.botOutcome),
                      bot_technical_error = \(row.botTechnicalError), bot_transferred = \(row.botTransferred),
                      bot_dropped_out = \(row.botDroppedOut), bot_messages = \(row.botMessages), bot_cost = \(row.botCost),
                      bot_rating = \(row.botRating), bot_criteria = \(row.botCriteria)
                    WHERE vendor = \(call.vendor) AND vendor_id = \(call.vendorID)
                    """, logger: logger)
                let fresh = call.storedCall(id: callID, now: now)
                let metadata = try jsonText(fresh.metadata)
                let reopen = audioState == "none" && call.hasAudio
                try await connection.run(
                    """
                    UPDATE calls SET agent_id = \(fresh.agentID), customer_id = \(fresh.customerID),
                      direction = \(fresh.direction), metadata = \(metadata), created_at = \(fresh.createdAt),
                      ended_at = \(fresh.endedAt), updated_at = \(now),
                      status = CASE WHEN \(reopen) AND status = 'done' THEN 'ended' ELSE status END
                    WHERE id = \(callID)
                    """, logger: logger)
                result.updated += 1
            }
            let changed = try await connection.run(
                """
                UPDATE sync_runs SET cursor = \(page.nextCursor), pages = pages + 1, requests = requests + \(page.requests),
                  calls_new = calls_new + \(result.new), calls_updated = calls_updated + \(result.updated),
                  calls_failed = calls_failed + \(page.failed), lease_until = \(page.leaseUntil)
                WHERE id = \(page.runID) AND status = 'running' RETURNING 1
                """, logger: logger)
            guard changed == 1 else {
                throw CallPipeError(.conflict, "sync run \(page.runID) is not running any more")
            }
            return result
        }
    }

    package func finishSyncRun(id: String, status: SyncRun.Status, error: String?, requests: Int, now: Date)
        async throws -> SyncRun
    {
        try await write { connection in
            guard
                let row = try await connection.rows(
                    """
                    UPDATE sync_runs SET status = \(status.rawValue), error = \(error), requests = requests + \(requests),
                      finished_at = \(now), lease_until = NULL WHERE id = \(id) RETURNING *
                    """, logger: logger
                ).first
            else { throw CallPipeError(.notFound, "no sync run \(id)") }
            return try SyncRun(row)
        }
    }

    package func syncRun(id: String) async throws -> SyncRun? {
        try await read { connection in
            try await connection.rows("SELECT * FROM sync_runs WHERE id = \(id)", logger: logger).first.map(
                SyncRun.init)
        }
    }

    package func syncRuns(kind: ConnectorKind?, limit: Int) async throws -> [SyncRun] {
        try await read { connection in
            let query: PostgresQuery =
                if let kind {
                    "SELECT * FROM sync_runs WHERE kind = \(kind.rawValue) ORDER BY started_at DESC, id LIMIT \(limit)"
                } else {
                    "SELECT * FROM sync_runs ORDER BY started_at DESC, id LIMIT \(limit)"
                }
            return try await connection.rows(query, logger: logger).map(SyncRun.init)
        }
    }

    package func importedCallsAwaitingAudio(vendor: String, limit: Int) async throws -> [ImportedCallRef] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT call_id, json FROM imported_calls WHERE audio_state = 'pending' AND vendor = \(vendor)
                ORDER BY started_at, vendor_id LIMIT \(limit)
                """, logger: logger
            ).map {
                ImportedCallRef(
                    callID: try $0.value("call_id"), call: try ImportedCall(storedJSON: try $0.value("json")))
            }
        }
    }

    package func attachImportedAudio(_ recording: StoredRecording, vendor: String, vendorID: String, now: Date)
        async throws
    {
        try await write { connection in
            try await Self.finishCall(callID: recording.callID, recording: recording, now: now, connection, logger)
            try await connection.run(
                """
                UPDATE imported_calls SET audio_state = 'done', audio_error = NULL, updated_at = \(now)
                WHERE vendor = \(vendor) AND vendor_id = \(vendorID)
                """, logger: logger)
        }
    }

    package func markImportedAudio(vendor: String, vendorID: String, failure: String?, now: Date) async throws {
        try await write { connection in
            try await connection.run(
                """
                UPDATE imported_calls SET audio_state = \(failure == nil ? "done" : "failed"), audio_error = \(failure),
                  updated_at = \(now) WHERE vendor = \(vendor) AND vendor_id = \(vendorID)
                """, logger: logger)
            guard failure != nil else { return }
            try await connection.run(
                """
                UPDATE calls SET status = 'done', updated_at = \(now) WHERE status = 'ended'
                  AND id = (SELECT call_id FROM imported_calls WHERE vendor = \(vendor) AND vendor_id = \(vendorID))
                  AND NOT EXISTS (SELECT 1 FROM recordings WHERE recordings.call_id = calls.id)
                """, logger: logger)
        }
    }

    package func vendorTranscript(callID: String) async throws -> Transcript? {
        try await read { connection in
            try await connection.rows("SELECT json FROM imported_calls WHERE call_id = \(callID)", logger: logger)
                .first.flatMap { try ImportedCall(storedJSON: try $0.value("json")).transcript }
        }
    }

    package func claimScheduleFire(name: String, fire: Date, holder: String, now: Date) async throws -> Bool {
        try await write { connection in
            try await connection.run(
                """
                INSERT INTO schedule_fires AS f (name, last_fire, holder, claimed_at)
                VALUES (\(name), \(fire), \(holder), \(now))
                ON CONFLICT (name) DO UPDATE SET last_fire = excluded.last_fire, holder = excluded.holder,
                  claimed_at = excluded.claimed_at WHERE f.last_fire < excluded.last_fire
                RETURNING 1
                """, logger: logger) == 1
        }
    }

    package func lastScheduleFire(name: String) async throws -> Date? {
        try await read { connection in
            try await connection.rows("SELECT last_fire FROM schedule_fires WHERE name = \(name)", logger: logger)
                .first?.value("last_fire", as: Date.self)
        }
    }

    package func saveArchive(_ archive: StoredArchive) async throws {
        try await write { connection in
            try await connection.run(
                """
                INSERT INTO archives (month, file_name, location, calls, bytes, sha256, created_at)
                VALUES (\(archive.month), \(archive.fileName), \(archive.location), \(archive.calls), \(archive.bytes),
                  \(archive.sha256), \(archive.createdAt))
                ON CONFLICT (month) DO UPDATE SET file_name = excluded.file_name, location = excluded.location,
                  calls = excluded.calls, bytes = excluded.bytes, sha256 = excluded.sha256,
                  created_at = excluded.created_at
                """, logger: logger)
        }
    }

    package func archives() async throws -> [StoredArchive] {
        try await read { connection in
            try await connection.rows("SELECT * FROM archives ORDER BY month DESC", logger: logger).map {
                StoredArchive(
                    month: try $0.value("month"), fileName: try $0.value("file_name"),
                    location: try $0.value("location"), calls: try $0.value("calls"), bytes: try $0.value("bytes"),
                    sha256: try $0.value("sha256"), createdAt: try $0.value("created_at"))
            }
        }
    }
}

extension ConnectorSettings {
    init(_ row: PostgresRandomAccessRow) throws {
        self.init(
            kind: try row.enumValue("kind"), enabled: try row.value("enabled"),
            sealedAPIKey: try row.value("sealed_api_key"), apiKeyMask: try row.value("api_key_mask"),
            targetID: try row.value("target_id"), baseURL: try row.value("base_url"),
            schedule: try row.value("schedule"), pausedReason: try row.value("paused_reason"),
            updatedAt: try row.value("updated_at"))
    }
}

extension SyncRun {
    init(_ row: PostgresRandomAccessRow) throws {
        let from = try row.value("window_from", as: Date.self)
        self.init(
            id: try row.value("id"), kind: try row.enumValue("kind"), trigger: try row.enumValue("trigger"),
            status: try row.enumValue("status"), window: from..<max(from, try row.value("window_to", as: Date.self)),
            cursor: try row.value("cursor"), pages: try row.value("pages"), requests: try row.value("requests"),
            callsNew: try row.value("calls_new"), callsUpdated: try row.value("calls_updated"),
            callsFailed: try row.value("calls_failed"), error: try row.value("error"),
            startedAt: try row.value("started_at"), finishedAt: try row.value("finished_at"),
            holder: try row.value("holder"), leaseUntil: try row.value("lease_until"))
    }
}
