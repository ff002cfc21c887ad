import Foundation
import GRDB

/// Daily roll-ups of the call metrics (and calls per hour of day), kept exact by triggers on
/// `calls` and `call_topics`: each insert, update or delete takes the row's old contribution out
/// of its day's bucket and puts the new one in (a few additions, whatever path changed the row).
/// The dashboard then sums a few hundred buckets instead of scanning every call.
extension SQLiteCallStore {
    /// Bucket columns and what one call row (`R`) contributes to each: those of v4 and those added
    /// since (v7).
    static let rollupColumns = rollupColumnsV4 + rollupColumnsV7

    /// The bucket columns v4 created, frozen: that migration must build the same table and triggers
    /// whatever columns later versions add.
    static let rollupColumnsV4: [(name: String, contribution: String)] = [
        ("calls", "1"),
        ("missed", "COALESCE(R.outcome = 'voicemail' OR (R.duration_s IS NOT NULL AND R.agent_talk_s = 0), 0)"),
        ("dropped", "COALESCE(R.outcome = 'dropped', 0)"),
        ("failed", "(R.status = 'failed')"),
        ("done", "(R.status = 'done')"),
        ("timed", "(R.duration_s IS NOT NULL)"),
        ("duration", "COALESCE(R.duration_s, 0.0)"),
        ("short", "COALESCE(R.duration_s < 30, 0)"),
        ("long", "COALESCE(R.duration_s > 300, 0)"),
        ("resolved", "COALESCE(R.outcome = 'resolved', 0)"),
        ("outcomes", "(R.outcome IS NOT NULL)"),
        ("escalated", "COALESCE(R.outcome = 'escalated', 0)"),
        ("agent_talk", "COALESCE(R.agent_talk_s, 0.0)"),
        ("customer_talk", "COALESCE(R.customer_talk_s, 0.0)"),
        ("silence_share", "COALESCE(R.silence_s / NULLIF(R.duration_s, 0), 0.0)"),
        ("silence_n", "(R.silence_s / NULLIF(R.duration_s, 0) IS NOT NULL)"),
        ("interruptions", "COALESCE(R.interruptions, 0)"),
        ("interruptions_n", "(R.interruptions IS NOT NULL)"),
        ("positive", "COALESCE(R.sentiment_label = 'positive', 0)"),
        ("neutral", "COALESCE(R.sentiment_label = 'neutral', 0)"),
        ("negative", "COALESCE(R.sentiment_label = 'negative', 0)"),
        ("sentiment", "COALESCE(R.sentiment, 0.0)"),
        ("sentiment_n", "(R.sentiment IS NOT NULL)"),
        ("cost", "COALESCE(R.cost_usd, 0.0)"),
    ]

    /// Talk speed and questions (v7): the agent's mean talk speed over calls that have one, and
    /// the questions of each party for the customer's share.
    static let rollupColumnsV7: [(name: String, contribution: String)] = [
        ("agent_wpm", "COALESCE(R.agent_talk_speed_wpm, 0.0)"),
        ("agent_wpm_n", "(R.agent_talk_speed_wpm IS NOT NULL)"),
        ("agent_questions", "COALESCE(R.agent_questions, 0)"),
        ("customer_questions", "COALESCE(R.customer_questions, 0)"),
    ]

    static func migrateV4(_ db: Database) throws {
        let columns = rollupColumnsV4.map { "\($0.name) NUMERIC NOT NULL DEFAULT 0" }.joined(separator: ", ")
        let key = "agent_id TEXT NOT NULL, direction TEXT NOT NULL, is_demo BOOLEAN NOT NULL, mood TEXT NOT NULL"
        try db.execute(
            sql: """
                CREATE TABLE call_rollup (
                  day TEXT NOT NULL, \(key), \(columns), last_call DATETIME,
                  PRIMARY KEY (day, agent_id, direction, is_demo, mood));
                CREATE TABLE call_rollup_hours (
                  day TEXT NOT NULL, hour INTEGER NOT NULL, \(key), calls INTEGER NOT NULL,
                  PRIMARY KEY (day, hour, agent_id, direction, is_demo, mood));
                CREATE TABLE topic_rollup (
                  day TEXT NOT NULL, \(key), topic TEXT NOT NULL, calls INTEGER NOT NULL,
                  PRIMARY KEY (day, agent_id, direction, is_demo, mood, topic));
                \(callTriggers(rollupColumnsV4))
                CREATE TRIGGER calls_rollup_move AFTER UPDATE OF created_at, agent_id, direction, is_demo, sentiment_label ON calls BEGIN
                  \(hourUpsert("OLD", sign: -1)) \(hourUpsert("NEW", sign: 1))
                END;
                CREATE TRIGGER topics_rollup_insert AFTER INSERT ON call_topics BEGIN \(topicUpsert("NEW", sign: 1)) END;
                CREATE TRIGGER topics_rollup_delete AFTER DELETE ON call_topics BEGIN \(topicUpsert("OLD", sign: -1)) END;
                """)
        try rebuildRollups(db, columns: rollupColumnsV4)
    }

    /// The triggers that keep `call_rollup` up to date with the calls, over `columns`.
    static func callTriggers(_ columns: [(name: String, contribution: String)]) -> String {
        """
        CREATE TRIGGER calls_rollup_insert AFTER INSERT ON calls BEGIN
          \(upsert("NEW", sign: 1, columns: columns)) \(hourUpsert("NEW", sign: 1))
        END;
        CREATE TRIGGER calls_rollup_delete AFTER DELETE ON calls BEGIN
          \(upsert("OLD", sign: -1, columns: columns)) \(hourUpsert("OLD", sign: -1))
        END;
        CREATE TRIGGER calls_rollup_update AFTER UPDATE ON calls BEGIN
          \(upsert("OLD", sign: -1, columns: columns)) \(upsert("NEW", sign: 1, columns: columns))
        END;
        """
    }

    /// Recomputes every bucket from the calls (after a bulk delete, which the topic triggers
    /// cannot follow once the call is gone).
    static func rebuildRollups(
        _ db: Database, columns: [(name: String, contribution: String)] = rollupColumns
    ) throws {
        let names = columns.map(\.name)
        let sums = columns.map { "SUM(\($0.contribution.replacingOccurrences(of: "R.", with: "c.")))" }
        try db.execute(
            sql: """
                DELETE FROM call_rollup;
                DELETE FROM call_rollup_hours;
                DELETE FROM topic_rollup;
                INSERT INTO call_rollup (day, agent_id, direction, is_demo, mood, \(names.joined(separator: ", ")), last_call)
                  SELECT substr(c.created_at, 1, 10), c.agent_id, c.direction, c.is_demo, COALESCE(c.sentiment_label, ''),
                    \(sums.joined(separator: ", ")), MAX(c.created_at)
                  FROM calls AS c GROUP BY 1, 2, 3, 4, 5;
                INSERT INTO call_rollup_hours (day, hour, agent_id, direction, is_demo, mood, calls)
                  SELECT substr(c.created_at, 1, 10), CAST(substr(c.created_at, 12, 2) AS INTEGER), c.agent_id,
                    c.direction, c.is_demo, COALESCE(c.sentiment_label, ''), COUNT(*)
                  FROM calls AS c GROUP BY 1, 2, 3, 4, 5, 6;
                INSERT INTO topic_rollup (day, agent_id, direction, is_demo, mood, topic, calls)
                  SELECT substr(c.created_at, 1, 10), c.agent_id, c.direction, c.is_demo, COALESCE(c.sentiment_label, ''),
                    t.topic, COUNT(*)
                  FROM call_topics AS t JOIN calls AS c ON c.id = t.call_id GROUP BY 1, 2, 3, 4, 5, 6;
                """)
    }

    private static func hourUpsert(_ row: String, sign: Int) -> String {
        """
        INSERT INTO call_rollup_hours (day, hour, agent_id, direction, is_demo, mood, calls)
        VALUES (substr(\(row).created_at, 1, 10), CAST(substr(\(row).created_at, 12, 2) AS INTEGER), \(row).agent_id,
          \(row).direction, \(row).is_demo, COALESCE(\(row).sentiment_label, ''), \(sign))
        ON CONFLICT (day, hour, agent_id, direction, is_demo, mood) DO UPDATE SET calls = calls + excluded.calls;
        """
    }

    private static func upsert(_ row: String, sign: Int, columns: [(name: String, contribution: String)]) -> String {
        let names = columns.map(\.name)
        let values = columns.map {
            "\(sign) * (\($0.contribution.replacingOccurrences(of: "R.", with: "\(row).")))"
        }
        let updates = names.map { "\($0) = \($0) + excluded.\($0)" }
        let lastCall = sign > 0 ? ", last_call = MAX(COALESCE(last_call, ''), excluded.last_call)" : ""
        return """
            INSERT INTO call_rollup (day, agent_id, direction, is_demo, mood, \(names.joined(separator: ", ")), last_call)
            VALUES (substr(\(row).created_at, 1, 10), \(row).agent_id, \(row).direction, \(row).is_demo,
              COALESCE(\(row).sentiment_label, ''),
              \(values.joined(separator: ", ")), \(sign > 0 ? "\(row).created_at" : "NULL"))
            ON CONFLICT (day, agent_id, direction, is_demo, mood) DO UPDATE SET \(updates.joined(separator: ", "))\(lastCall);
            """
    }

    private static func topicUpsert(_ row: String, sign: Int) -> String {
        """
        INSERT INTO topic_rollup (day, agent_id, direction, is_demo, mood, topic, calls)
          SELECT substr(c.created_at, 1, 10), c.agent_id, c.direction, c.is_demo, COALESCE(c.sentiment_label, ''),
            \(row).topic, \(sign)
          FROM calls AS c WHERE c.id = \(row).call_id
        ON CONFLICT (day, agent_id, direction, is_demo, mood, topic) DO UPDATE SET calls = calls + excluded.calls;
        """
    }
}
