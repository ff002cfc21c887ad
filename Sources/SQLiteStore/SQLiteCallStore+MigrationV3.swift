import GRDB

extension SQLiteCallStore {
    /// Analytics read one indexed table (`calls`, whose metric columns the stages keep up to date)
    /// instead of decoding every call's JSON; AI usage is kept per job so a stage that runs again
    /// replaces its own figures; CRM deliveries are an outbox of rows written with the final summary.
    static func migrateV3(_ db: Database) throws {
        try db.alter(table: "calls") { table in
            table.add(column: "duration_s", .double)
            table.add(column: "agent_talk_s", .double)
            table.add(column: "customer_talk_s", .double)
            table.add(column: "silence_s", .double)
            table.add(column: "interruptions", .integer)
            table.add(column: "sentiment", .double)
            table.add(column: "sentiment_label", .text)
            table.add(column: "outcome", .text)
            table.add(column: "cost_usd", .double)
        }
        try db.create(index: "calls_by_direction", on: "calls", columns: ["direction", "created_at"])
        // The median handle time walks this index in order; it covers the usual filters.
        try db.create(
            index: "calls_by_duration", on: "calls",
            columns: ["duration_s", "created_at", "agent_id", "direction", "is_demo", "sentiment_label"])
        try db.create(table: "call_topics") { table in
            table.column("call_id", .text).notNull().references("calls", onDelete: .cascade)
            table.column("topic", .text).notNull()
            table.primaryKey(["call_id", "topic"])
        }
        try db.create(table: "ai_usage") { table in
            table.primaryKey("job_id", .text)
            table.column("call_id", .text).notNull().references("calls", onDelete: .cascade).indexed()
            table.column("stage", .text).notNull()
            table.column("provider", .text).notNull()
            table.column("input_tokens", .integer).notNull()
            table.column("output_tokens", .integer).notNull()
            table.column("audio_seconds", .double).notNull()
            table.column("requests", .integer).notNull()
            table.column("cost_usd", .double).notNull()
            table.column("created_at", .datetime).notNull()
        }
        try db.create(table: "crm_deliveries") { table in
            table.primaryKey("id", .text)
            table.column("call_id", .text).notNull().references("calls", onDelete: .cascade)
            table.column("target", .text).notNull()
            table.column("kind", .text).notNull()
            table.column("state", .text).notNull()
            table.column("attempts", .integer).notNull()
            table.column("run_after", .datetime).notNull()
            table.column("lease_until", .datetime)
            table.column("last_error", .text)
            table.column("last_status", .integer)
            table.column("remote_id", .text)
            table.column("idempotency_key", .text).notNull()
            table.column("created_at", .datetime).notNull()
            table.column("updated_at", .datetime).notNull()
            table.column("delivered_at", .datetime)
            table.uniqueKey(["call_id", "target"])
        }
        try db.create(index: "deliveries_due", on: "crm_deliveries", columns: ["state", "run_after"])
        try db.create(table: "crm_paused_targets") { table in
            table.primaryKey("target", .text)
            table.column("reason", .text).notNull()
            table.column("paused_at", .datetime).notNull()
        }
        // Calls stored by earlier versions get their metrics from what their stages stored.
        let calls = try String.fetchAll(db, sql: "SELECT DISTINCT call_id FROM analyses")
        for call in calls { try refreshAudioMetrics(callID: call, db: db) }
        let summarized = try String.fetchAll(db, sql: "SELECT DISTINCT call_id FROM summaries")
        for call in summarized { try refreshSummaryMetrics(callID: call, db: db) }
    }
}
