import GRDB

extension SQLiteCallStore {
    /// v10: the voice-bot figures' covering index holds the bot's conversations only (partial,
    /// `bot_outcome IS NOT NULL`, which the KPI queries state): the other vendors' calls — as many
    /// or more in a contact centre — were read from it and dropped by every KPI query.
    static func migrateV10(_ db: Database) throws {
        try db.execute(
            sql: """
                DROP INDEX imported_calls_bot_figures;
                CREATE INDEX imported_calls_bot_figures ON imported_calls (
                  started_day, direction, bot_outcome, bot_criteria, started_at, duration_s, bot_transferred,
                  bot_dropped_out, bot_technical_error, bot_messages, bot_cost, bot_rating)
                  WHERE bot_outcome IS NOT NULL;
                """)
    }
}
