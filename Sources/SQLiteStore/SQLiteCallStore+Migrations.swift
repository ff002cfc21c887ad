import GRDB

/// The schema, as numbered migrations: a database created by any earlier version is brought up to
/// date at start, never rebuilt.
extension SQLiteCallStore {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: calls, recordings, jobs, outputs, keys, search") { db in
            try db.create(table: "calls") { table in
                table.primaryKey("id", .text)
                table.column("agent_id", .text).notNull()
                table.column("customer_id", .text)
                table.column("direction", .text).notNull()
                table.column("session_id", .text)
                table.column("channel_map", .text)
                table.column("metadata", .text).notNull()
                table.column("status", .text).notNull()
                table.column("failure_reason", .text)
                table.column("created_at", .datetime).notNull()
                table.column("ended_at", .datetime)
                table.column("updated_at", .datetime).notNull()
                table.column("is_demo", .boolean).notNull().defaults(to: false)
            }
            try db.create(index: "calls_by_time", on: "calls", columns: ["created_at"])
            try db.create(index: "calls_by_agent", on: "calls", columns: ["agent_id", "created_at"])
            try db.create(index: "calls_by_status", on: "calls", columns: ["status", "created_at"])
            try db.create(table: "recordings") { table in
                table.primaryKey("id", .text)
                table.column("call_id", .text).notNull().references("calls", onDelete: .cascade)
                table.column("sequence", .integer).notNull()
                table.column("path", .text).notNull()
                table.column("bytes", .integer).notNull()
                table.column("content_type", .text).notNull()
                table.column("format", .text).notNull()
                table.column("codec", .text).notNull()
                table.column("idempotency_key", .text)
                table.column("created_at", .datetime).notNull()
                table.uniqueKey(["call_id", "sequence"])
                table.uniqueKey(["call_id", "idempotency_key"])
            }
            try db.create(table: "jobs") { table in
                table.primaryKey("id", .text)
                table.column("call_id", .text).notNull().references("calls", onDelete: .cascade)
                table.column("recording_id", .text).references("recordings", onDelete: .cascade)
                table.column("stage", .text).notNull()
                table.column("state", .text).notNull()
                table.column("attempts", .integer).notNull()
                table.column("run_after", .datetime).notNull()
                table.column("lease_until", .datetime)
                table.column("last_error", .text)
                table.column("created_at", .datetime).notNull()
                table.column("updated_at", .datetime).notNull()
            }
            try db.create(index: "jobs_runnable", on: "jobs", columns: ["state", "run_after"])
            try db.create(index: "jobs_by_call", on: "jobs", columns: ["call_id"])
            try db.create(table: "analyses") { table in
                table.primaryKey("recording_id", .text).references("recordings", onDelete: .cascade)
                table.column("call_id", .text).notNull().indexed()
                table.column("json", .text).notNull()
            }
            try db.create(table: "transcript_segments") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("call_id", .text).notNull()
                table.column("recording_id", .text).notNull().references("recordings", onDelete: .cascade)
                table.column("position", .integer).notNull()
                table.column("speaker", .text).notNull()
                table.column("start_s", .double).notNull()
                table.column("end_s", .double).notNull()
                table.column("text", .text).notNull()
                table.column("confidence", .double)
                table.column("sentiment", .double)
            }
            try db.create(index: "segments_by_call", on: "transcript_segments", columns: ["call_id", "start_s"])
            try db.create(table: "summaries") { table in
                table.column("call_id", .text).notNull().references("calls", onDelete: .cascade)
                table.column("version", .integer).notNull()
                table.column("is_final", .boolean).notNull()
                table.column("json", .text).notNull()
                table.column("created_at", .datetime).notNull()
                table.primaryKey(["call_id", "version"])
            }
            try db.create(table: "api_keys") { table in
                table.primaryKey("id", .text)
                table.column("hash", .text).notNull().unique()
                table.column("role", .text).notNull()
                table.column("agent_id", .text)
                table.column("label", .text)
                table.column("created_at", .datetime).notNull()
                table.column("revoked_at", .datetime)
            }
            // Full-text search over transcripts and summaries (one row per segment or summary).
            try db.create(virtualTable: "call_search", using: FTS5()) { table in
                // No stemming: queries match word prefixes as typed ("drop" finds "dropping").
                table.tokenizer = .unicode61()
                table.column("call_id").notIndexed()
                table.column("kind").notIndexed()
                table.column("content")
            }
        }
        migrator.registerMigration("v2: index segments by recording, map search rows to calls") { db in
            try db.create(index: "segments_by_recording", on: "transcript_segments", columns: ["recording_id"])
            // FTS5 cannot index call_id; this table finds a call's search rows without a full scan.
            try db.create(table: "call_search_rows") { table in
                table.primaryKey("fts_rowid", .integer)
                table.column("call_id", .text).notNull()
                table.column("kind", .text).notNull()
            }
            try db.create(index: "search_rows_by_call", on: "call_search_rows", columns: ["call_id", "kind"])
            try db.execute(
                sql:
                    "INSERT INTO call_search_rows (fts_rowid, call_id, kind) SELECT rowid, call_id, kind FROM call_search"
            )
        }
        migrator.registerMigration("v3: call metrics for analytics, AI usage, CRM outbox", migrate: Self.migrateV3)
        migrator.registerMigration("v4: hourly roll-ups of the call metrics", migrate: Self.migrateV4)
        migrator.registerMigration("v5: crashes per job and CRM delivery", migrate: Self.migrateV5)
        migrator.registerMigration("v6: API key expiry and dev-mode keys", migrate: Self.migrateV6)
        migrator.registerMigration("v7: talk speed and questions per call", migrate: Self.migrateV7)
        migrator.registerMigration("v8: word timestamps of transcript lines") { db in
            try db.alter(table: "transcript_segments") { table in table.add(column: "words_json", .text) }
        }
        migrator.registerMigration(
            "v9: call sources, connectors, sync runs, imported calls, archives", migrate: Self.migrateV9)
        migrator.registerMigration("v10: the voice-bot index holds bot conversations only", migrate: Self.migrateV10)
        migrator.registerMigration("v11: what the redaction took out of each recording") { db in
            // docs/redaction.md: one row per redacted recording; `original_location` is set until
            // the original audio the redacted file replaced is deleted.
            try db.execute(
                sql: """
                    CREATE TABLE redactions (
                      recording_id TEXT PRIMARY KEY, call_id TEXT NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
                      json TEXT NOT NULL, original_location TEXT);
                    CREATE INDEX redactions_by_call ON redactions (call_id);
                    CREATE INDEX redactions_pending_originals ON redactions (recording_id)
                      WHERE original_location IS NOT NULL;
                    """)
        }
        return migrator
    }
}
