package import CallPipeCore
package import Foundation
import Logging
import PostgresNIO

/// What agent activity and the voice-bot KPIs read of the imported calls on PostgreSQL: their
/// columns, and the groups counted in SQL (docs/connectors.md, "How the figures are counted").
extension PostgresCallStore {
    package func voiceBotGroups(in range: Range<Date>) async throws -> VoiceBotGroups {
        try await read { connection in
            var sql = SQLBuilder()
            let sessions = Self.importedWhere(range, vendor: nil, sessionsOnly: true, &sql)
            let days = try await connection.rows(
                sql.query(
                    """
                    SELECT started_day AS day, direction, bot_outcome, COUNT(*)::bigint AS sessions,
                      SUM(duration_s) AS duration_sum, MIN(duration_s) AS min_s, MAX(duration_s) AS max_s,
                      COUNT(*) FILTER (WHERE duration_s < 30)::bigint AS short,
                      COUNT(*) FILTER (WHERE duration_s > 300)::bigint AS long,
                      COUNT(*) FILTER (WHERE bot_transferred)::bigint AS transfers,
                      COUNT(*) FILTER (WHERE bot_dropped_out)::bigint AS drop_outs,
                      COUNT(*) FILTER (WHERE bot_technical_error)::bigint AS technical_errors,
                      COALESCE(SUM(bot_messages), 0)::bigint AS bot_messages, COALESCE(SUM(bot_cost), 0) AS cost_sum,
                      COUNT(bot_cost)::bigint AS costs,
                      COALESCE(SUM(bot_rating) FILTER (WHERE bot_rating BETWEEN 1 AND 5), 0) AS rating_sum,
                      COUNT(*) FILTER (WHERE bot_rating BETWEEN 1 AND 5)::bigint AS ratings
                    FROM imported_calls WHERE \(sessions)
                    GROUP BY 1, 2, 3
                    """), logger: logger
            ).map { row in
                VoiceBotGroup(
                    day: try row.value("day"), direction: try row.value("direction"),
                    outcome: VoiceBotSession.Outcome(rawValue: try row.value("bot_outcome")) ?? .unknown,
                    sessions: try row.value("sessions"), durationSum: try row.value("duration_sum"),
                    minS: try row.value("min_s"), maxS: try row.value("max_s"), short: try row.value("short"),
                    long: try row.value("long"), transfers: try row.value("transfers"),
                    dropOuts: try row.value("drop_outs"), technicalErrors: try row.value("technical_errors"),
                    botMessages: try row.value("bot_messages"), costSum: try row.value("cost_sum"),
                    costs: try row.value("costs"), ratingSum: try row.value("rating_sum"),
                    ratings: try row.value("ratings"))
            }
            let criteria = try await connection.rows(
                sql.query(
                    "SELECT bot_criteria, COUNT(*)::bigint AS sessions FROM imported_calls WHERE \(sessions) GROUP BY 1"
                ),
                logger: logger
            ).map { row in
                VoiceBotCriteriaGroup(
                    criteria: ImportedCallRow.criteria(try row.value("bot_criteria")),
                    sessions: try row.value("sessions"))
            }
            return VoiceBotGroups(days: days, criteria: criteria)
        }
    }

    package func agentActivityGroups(vendor: String?, in range: Range<Date>) async throws -> [AgentActivityGroup] {
        try await read { connection in
            var sql = SQLBuilder()
            let period = Self.importedWhere(range, vendor: vendor, sessionsOnly: false, &sql)
            let statement = """
                SELECT vendor, agent_id, MAX(agent_name) AS agent_name, MAX(agent_email) AS agent_email,
                  started_day AS day, direction,
                  status = 'completed' AS completed, COUNT(*)::bigint AS calls, SUM(duration_s) AS talk_s
                FROM imported_calls WHERE \(period) GROUP BY 1, 2, 5, 6, 7
                """
            return try await connection.rows(sql.query(statement), logger: logger).map { row in
                AgentActivityGroup(
                    vendor: try row.value("vendor"), agentID: try row.value("agent_id"),
                    agentName: try row.value("agent_name"), agentEmail: try row.value("agent_email"),
                    day: try row.value("day"), direction: try row.value("direction"),
                    completed: try row.value("completed"), calls: try row.value("calls"),
                    talkS: try row.value("talk_s"))
            }
        }
    }

    package func importedRows(vendor: String?, in range: Range<Date>, sessionsOnly: Bool) async throws
        -> [ImportedCallRow]
    {
        try await read { connection in
            var sql = SQLBuilder()
            let period = Self.importedWhere(range, vendor: vendor, sessionsOnly: sessionsOnly, &sql)
            let statement = """
                SELECT vendor, vendor_id, started_at, agent_id, agent_name, agent_email, direction, status, duration_s,
                  bot_outcome, bot_technical_error, bot_transferred, bot_dropped_out, bot_messages, bot_cost, bot_rating,
                  bot_criteria
                FROM imported_calls WHERE \(period) ORDER BY started_at, vendor_id
                """
            return try await connection.rows(sql.query(statement), logger: logger).map { row in
                ImportedCallRow(
                    vendor: try row.value("vendor"), vendorID: try row.value("vendor_id"),
                    startedAt: try row.value("started_at"), agentID: try row.value("agent_id"),
                    agentName: try row.value("agent_name"), agentEmail: try row.value("agent_email"),
                    direction: try row.value("direction"), status: try row.value("status"),
                    durationS: try row.value("duration_s"), botOutcome: try row.value("bot_outcome"),
                    botTechnicalError: try row.value("bot_technical_error"),
                    botTransferred: try row.value("bot_transferred"), botDroppedOut: try row.value("bot_dropped_out"),
                    botMessages: try row.value("bot_messages"), botCost: try row.value("bot_cost"),
                    botRating: try row.value("bot_rating"), botCriteria: try row.value("bot_criteria"))
            }
        }
    }

    /// The WHERE of the figures' queries: the imported calls started in `range`, of `vendor` when
    /// given, the voice-bot conversations only with `sessionsOnly`.
    static func importedWhere(_ range: Range<Date>, vendor: String?, sessionsOnly: Bool, _ sql: inout SQLBuilder)
        -> String
    {
        var clauses = ["started_at >= \(sql.bind(range.lowerBound))", "started_at < \(sql.bind(range.upperBound))"]
        if let vendor { clauses.append("vendor = \(sql.bind(vendor))") }
        if sessionsOnly { clauses.append("bot_outcome IS NOT NULL") }
        return clauses.joined(separator: " AND ")
    }
}
