package import Analytics
package import CallPipeCore
import Foundation
import PostgresNIO

/// Analytics on PostgreSQL: the same sums as on SQLite (`MetricSums.names`), aggregated straight
/// from the `calls` table's metric columns (kept by the stages) with `GROUP BY`, which PostgreSQL
/// answers from the filters' indexes in parallel workers without SQLite's roll-up tables; exact by
/// construction.
extension PostgresCallStore {
    /// What one call row (`c`) adds to each sum, in PostgreSQL's SQL (booleans counted as 0 or 1).
    static let metricColumns: [(name: String, contribution: String)] = [
        ("calls", "1"),
        (
            "missed",
            "(COALESCE(c.outcome = 'voicemail' OR (c.duration_s IS NOT NULL AND c.agent_talk_s = 0), false))::int"
        ),
        ("dropped", "(COALESCE(c.outcome = 'dropped', false))::int"),
        ("failed", "(c.status = 'failed')::int"),
        ("done", "(c.status = 'done')::int"),
        ("timed", "(c.duration_s IS NOT NULL)::int"),
        ("duration", "COALESCE(c.duration_s, 0.0)"),
        ("short", "(COALESCE(c.duration_s < 30, false))::int"),
        ("long", "(COALESCE(c.duration_s > 300, false))::int"),
        ("resolved", "(COALESCE(c.outcome = 'resolved', false))::int"),
        ("outcomes", "(c.outcome IS NOT NULL)::int"),
        ("escalated", "(COALESCE(c.outcome = 'escalated', false))::int"),
        ("agent_talk", "COALESCE(c.agent_talk_s, 0.0)"),
        ("customer_talk", "COALESCE(c.customer_talk_s, 0.0)"),
        ("silence_share", "COALESCE(c.silence_s / NULLIF(c.duration_s, 0), 0.0)"),
        ("silence_n", "(c.silence_s / NULLIF(c.duration_s, 0) IS NOT NULL)::int"),
        ("interruptions", "COALESCE(c.interruptions, 0)"),
        ("interruptions_n", "(c.interruptions IS NOT NULL)::int"),
        ("positive", "(COALESCE(c.sentiment_label = 'positive', false))::int"),
        ("neutral", "(COALESCE(c.sentiment_label = 'neutral', false))::int"),
        ("negative", "(COALESCE(c.sentiment_label = 'negative', false))::int"),
        ("sentiment", "COALESCE(c.sentiment, 0.0)"),
        ("sentiment_n", "(c.sentiment IS NOT NULL)::int"),
        ("cost", "COALESCE(c.cost_usd, 0.0)"),
        ("agent_wpm", "COALESCE(c.agent_talk_speed_wpm, 0.0)"),
        ("agent_wpm_n", "(c.agent_talk_speed_wpm IS NOT NULL)::int"),
        ("agent_questions", "COALESCE(c.agent_questions, 0)"),
        ("customer_questions", "COALESCE(c.customer_questions, 0)"),
        ("inbound", "(c.direction = 'inbound')::int"),
        ("outbound", "(c.direction = 'outbound')::int"),
    ]

    static let aggregates: String =
        (metricColumns.map { "SUM(\($0.contribution))::float8 AS \($0.name)" } + ["MAX(c.created_at) AS last_call"])
        .joined(separator: ", ")

    package func dashboard(_ query: CallFilter) async throws -> DashboardReport {
        try await read { connection in
            var sql = SQLBuilder()
            let whereSQL = sql.filter(query, table: "c")
            var sums = MetricSums()
            var days: [String: MetricSums] = [:]
            for row in try await connection.rows(
                sql.query(
                    """
                    SELECT to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, \(Self.aggregates)
                    FROM calls AS c WHERE \(whereSQL) GROUP BY 1
                    """), logger: logger)
            {
                let group = try Self.sums(row)
                sums.add(group)
                days[try row.value("day"), default: MetricSums()].add(group)
            }
            var hours = [Int](repeating: 0, count: 24)
            for row in try await connection.rows(
                sql.query(
                    """
                    SELECT EXTRACT(HOUR FROM c.created_at AT TIME ZONE 'UTC')::int AS hour, COUNT(*) AS n
                    FROM calls AS c WHERE \(whereSQL) GROUP BY 1
                    """), logger: logger)
            {
                let hour = try row.value("hour", as: Int.self)
                if hours.indices.contains(hour) { hours[hour] += try row.value("n", as: Int.self) }
            }
            var topics: [String: Int] = [:]
            for row in try await connection.rows(
                sql.query(
                    """
                    SELECT t.topic, COUNT(*) AS n FROM call_topics AS t JOIN calls AS c ON c.id = t.call_id
                    WHERE \(whereSQL) GROUP BY t.topic
                    """), logger: logger)
            {
                topics[try row.value("topic"), default: 0] += try row.value("n", as: Int.self)
            }
            let median = try await connection.rows(
                sql.query(
                    """
                    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY c.duration_s) AS median
                    FROM calls AS c WHERE c.duration_s IS NOT NULL AND \(whereSQL)
                    """), logger: logger
            ).first?.value("median", as: Double?.self)
            return sums.dashboard(
                days: days, callsPerHour: hours, medianHandleTimeS: median, topTopics: MetricSums.topTopics(topics))
        }
    }

    package func agentMetrics(_ query: CallFilter) async throws -> [AgentMetrics] {
        try await read { connection in
            var sql = SQLBuilder()
            let whereSQL = sql.filter(query, table: "c")
            return try await connection.rows(
                sql.query(
                    """
                    SELECT c.agent_id, \(Self.aggregates) FROM calls AS c WHERE \(whereSQL)
                    GROUP BY c.agent_id ORDER BY c.agent_id
                    """), logger: logger
            ).map { try Self.sums($0).agentMetrics(agentID: try $0.value("agent_id")) }
        }
    }

    private static func sums(_ row: PostgresRandomAccessRow) throws -> MetricSums {
        try MetricSums(value: { try row.value($0, as: Double?.self) }, lastCall: try row.value("last_call"))
    }

    package func exportPage(_ query: CallFilter, after cursor: ExportCursor?, limit: Int) async throws
        -> [CallExportRow]
    {
        try await read { connection in
            var sql = SQLBuilder()
            var whereSQL = sql.filter(query, table: "c")
            if let cursor {
                whereSQL += " AND (c.created_at, c.id) > (\(sql.bind(cursor.createdAt)), \(sql.bind(cursor.callID)))"
            }
            let limit = sql.bind(max(1, min(limit, 5_000)))
            return try await connection.rows(
                sql.query(
                    """
                    SELECT c.*,
                      (SELECT s.json->>'summary' FROM summaries AS s WHERE s.call_id = c.id
                         ORDER BY s.version DESC LIMIT 1) AS summary,
                      (SELECT string_agg(t.topic, '; ' ORDER BY t.topic) FROM call_topics AS t WHERE t.call_id = c.id) AS topics
                    FROM calls AS c WHERE \(whereSQL) ORDER BY c.created_at, c.id LIMIT \(limit)
                    """), logger: logger
            ).map { row in
                CallExportRow(
                    callID: try row.value("id"), createdAt: try row.value("created_at"),
                    endedAt: try row.value("ended_at"),
                    agentID: try row.value("agent_id"), customerID: try row.value("customer_id"),
                    direction: try row.value("direction"), status: try row.value("status"),
                    metrics: try CallRowMetrics(row),
                    topics: try row.value("topics"), summary: try row.value("summary"),
                    costUSD: try row.value("cost_usd"),
                    isDemo: try row.value("is_demo"), source: try row.value("source"))
            }
        }
    }
}
