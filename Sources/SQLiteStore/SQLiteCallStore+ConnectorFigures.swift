package import CallPipeCore
package import Foundation
import GRDB

/// What agent activity and the voice-bot KPIs read of the imported calls on SQLite: their columns,
/// and the groups counted in SQL from the two covering indexes of migrations v9 and v10
/// (docs/connectors.md, "How the figures are counted").
extension SQLiteCallStore {
    package func importedRows(vendor: String?, in range: Range<Date>, sessionsOnly: Bool) async throws
        -> [ImportedCallRow]
    {
        try await read { db in
            var sql = """
                SELECT \(Self.rowColumns.joined(separator: ", ")) FROM imported_calls
                WHERE started_at >= ? AND started_at < ?
                """
            var arguments: StatementArguments = [range.lowerBound, range.upperBound]
            if let vendor {
                sql += " AND vendor = ?"
                arguments += [vendor]
            }
            if sessionsOnly { sql += " AND bot_outcome IS NOT NULL" }
            // Read as records from the statement's live row (no copy of each row first): a month of
            // 10,000 calls is read in milliseconds.
            return try ImportedCallRow.fetchAll(db, sql: sql + " ORDER BY started_at, vendor_id", arguments: arguments)
        }
    }

    package func voiceBotGroups(in range: Range<Date>) async throws -> VoiceBotGroups {
        let period = Self.figurePeriod(range)
        return try await read { db in
            // The days in the index's order, so SQLite groups them as it reads; the sets of criteria
            // results (a handful) through a small sort.
            let days = try Row.fetchAll(
                db,
                sql: """
                    SELECT started_day, direction, bot_outcome, COUNT(*), SUM(duration_s),
                      MIN(duration_s), MAX(duration_s), SUM(duration_s < 30), SUM(duration_s > 300),
                      SUM(bot_transferred), SUM(bot_dropped_out), SUM(bot_technical_error), SUM(bot_messages),
                      SUM(bot_cost), COUNT(bot_cost), SUM(CASE WHEN bot_rating BETWEEN 1 AND 5 THEN bot_rating END),
                      COUNT(CASE WHEN bot_rating BETWEEN 1 AND 5 THEN 1 END)
                    FROM imported_calls INDEXED BY imported_calls_bot_figures
                    WHERE \(period.sql) AND bot_outcome IS NOT NULL
                    GROUP BY started_day, direction, bot_outcome
                    """,
                arguments: period.arguments
            ).map { row in
                VoiceBotGroup(
                    day: row[0], direction: row[1], outcome: VoiceBotSession.Outcome(rawValue: row[2]) ?? .unknown,
                    sessions: row[3], durationSum: row[4], minS: row[5], maxS: row[6], short: row[7], long: row[8],
                    transfers: row[9] ?? 0, dropOuts: row[10] ?? 0, technicalErrors: row[11] ?? 0,
                    botMessages: row[12] ?? 0, costSum: row[13] ?? 0, costs: row[14], ratingSum: row[15] ?? 0,
                    ratings: row[16])
            }
            let criteria = try Row.fetchAll(
                db,
                sql: """
                    SELECT bot_criteria, COUNT(*) FROM imported_calls INDEXED BY imported_calls_bot_figures
                    WHERE \(period.sql) AND bot_outcome IS NOT NULL GROUP BY bot_criteria
                    """,
                arguments: period.arguments
            ).map { row in VoiceBotCriteriaGroup(criteria: ImportedCallRow.criteria(row[0]), sessions: row[1]) }
            return VoiceBotGroups(days: days, criteria: criteria)
        }
    }

    package func agentActivityGroups(vendor: String?, in range: Range<Date>) async throws -> [AgentActivityGroup] {
        try await read { db in
            var (period, arguments) = Self.figurePeriod(range)
            if let vendor {
                period += " AND vendor = ?"
                arguments += [vendor]
            }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT vendor, agent_id, MAX(agent_name), MAX(agent_email), started_day, direction,
                      status = 'completed', COUNT(*), SUM(duration_s)
                    FROM imported_calls INDEXED BY imported_calls_agent_figures WHERE \(period)
                    GROUP BY started_day, vendor, agent_id, direction, status
                    """, arguments: arguments
            ).map { row in
                AgentActivityGroup(
                    vendor: row[0], agentID: row[1], agentName: row[2], agentEmail: row[3], day: row[4],
                    direction: row[5], completed: row[6], calls: row[7], talkS: row[8])
            }
        }
    }

    /// A period as the figure indexes read it: whole UTC days (a month) by `started_day` alone;
    /// the exact instants too when a bound falls inside a day (comparing every row's `started_at`
    /// text was a fifth of a month's KPI query).
    static func figurePeriod(_ range: Range<Date>) -> (sql: String, arguments: StatementArguments) {
        let lower = range.lowerBound
        let upper = range.upperBound
        if lower.timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400) == 0,
            upper.timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400) == 0
        {
            return ("started_day BETWEEN ? AND ?", [lower.utcDayNumber, upper.utcDayNumber - 1])
        }
        return (
            "started_day BETWEEN ? AND ? AND started_at >= ? AND started_at < ?",
            [lower.utcDayNumber, upper.utcDayNumber, lower, upper]
        )
    }

    /// The columns of an `ImportedCallRow`, in its order.
    static let rowColumns = [
        "vendor", "vendor_id", "started_at", "agent_id", "agent_name", "agent_email", "direction", "status",
        "duration_s", "bot_outcome", "bot_technical_error", "bot_transferred", "bot_dropped_out", "bot_messages",
        "bot_cost", "bot_rating", "bot_criteria",
    ]
    static let rowPlaceholders = rowColumns.map { _ in "?" }.joined(separator: ", ")

    static func rowArguments(_ call: ImportedCall) -> StatementArguments {
        let row = ImportedCallRow(call)
        return [
            row.vendor, row.vendorID, row.startedAt, row.agentID, row.agentName, row.agentEmail, row.direction,
            row.status, row.durationS, row.botOutcome, row.botTechnicalError, row.botTransferred, row.botDroppedOut,
            row.botMessages, row.botCost, row.botRating, row.botCriteria,
        ]
    }
}

extension ImportedCallRow: FetchableRecord {
    /// The columns of `SQLiteCallStore.rowColumns`, by position.
    init(row: Row) throws {
        self.init(
            vendor: row[0], vendorID: row[1], startedAt: row[2], agentID: row[3], agentName: row[4],
            agentEmail: row[5], direction: row[6], status: row[7], durationS: row[8], botOutcome: row[9],
            botTechnicalError: row[10], botTransferred: row[11], botDroppedOut: row[12], botMessages: row[13],
            botCost: row[14], botRating: row[15], botCriteria: row[16])
    }
}
