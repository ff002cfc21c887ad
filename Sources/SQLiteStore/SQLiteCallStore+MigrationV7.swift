import GRDB

extension SQLiteCallStore {
    /// Talk speed and questions per call (docs/ARCHITECTURE.md §8): the calls keep
    /// each party's words, talk speed and questions and the customer's share of the questions, and
    /// the daily roll-ups the agent's talk speed and the questions, so the dashboard and the agents'
    /// metrics aggregate them like the other metrics. Calls stored before get them from their
    /// stored transcript and analyses.
    static func migrateV7(_ db: Database) throws {
        try db.alter(table: "calls") { table in
            table.add(column: "agent_words", .integer)
            table.add(column: "customer_words", .integer)
            table.add(column: "agent_talk_speed_wpm", .double)
            table.add(column: "customer_talk_speed_wpm", .double)
            table.add(column: "agent_questions", .integer)
            table.add(column: "customer_questions", .integer)
            table.add(column: "customer_question_share", .double)
        }
        for column in rollupColumnsV7 {
            try db.execute(sql: "ALTER TABLE call_rollup ADD COLUMN \(column.name) NUMERIC NOT NULL DEFAULT 0")
        }
        // The triggers of v4 name v4's columns: the same triggers over all of them.
        try db.execute(
            sql: """
                DROP TRIGGER calls_rollup_insert;
                DROP TRIGGER calls_rollup_delete;
                DROP TRIGGER calls_rollup_update;
                \(callTriggers(rollupColumnsV4 + rollupColumnsV7))
                """)
        let transcribed = try String.fetchAll(db, sql: "SELECT DISTINCT call_id FROM transcript_segments")
        for call in transcribed { try refreshConversationMetrics(callID: call, db: db) }
        try rebuildRollups(db, columns: rollupColumnsV4 + rollupColumnsV7)
    }
}
