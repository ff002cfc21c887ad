package import Analytics
package import CallPipeCore
import Foundation
import GRDB

/// Analytics as SQL aggregates: over the daily roll-ups for whole days (`AnalyticsPlan`), over the
/// `calls` table's metric columns (kept by the stages) for partial days and the filters the
/// roll-ups do not keep; the median walks the duration index.
extension SQLiteCallStore {
    /// The aggregate columns shared by the dashboard and the agents' metrics, over `calls`: each
    /// metric of the one table (`rollupColumns`) summed as its roll-up bucket sums it, plus the
    /// calls per direction (a key of the roll-up) and the newest call.
    static let aggregates: String = {
        var columns = (rollupColumns + directionColumns).map {
            "SUM(\($0.contribution.replacingOccurrences(of: "R.", with: "c."))) AS \($0.name)"
        }
        columns.append("MAX(c.created_at) AS last_call")
        return columns.joined(separator: ", ")
    }()

    /// Calls per direction: in the roll-up, direction is part of the key, not a column.
    static let directionColumns: [(name: String, contribution: String)] = [
        ("inbound", "(R.direction = 'inbound')"), ("outbound", "(R.direction = 'outbound')"),
    ]

    package func dashboard(_ query: CallFilter) async throws -> DashboardReport {
        let plan = AnalyticsPlan(query)
        let (whereSQL, arguments) = query.sql(table: "c")
        return try await read { db in
            var sums = MetricSums()
            var days: [String: MetricSums] = [:]
            for row in try Self.groups(db, plan: plan, groupBy: .day) {
                let group = MetricSums(row)
                sums.add(group)
                days[row["day"], default: MetricSums()].add(group)
            }
            return sums.dashboard(
                days: days, callsPerHour: try Self.callsPerHour(db, plan: plan),
                medianHandleTimeS: try Self.median(
                    db, query: query, whereSQL: whereSQL, arguments: arguments, count: sums.timed),
                topTopics: try Self.topTopics(db, plan: plan))
        }
    }

    package func agentMetrics(_ query: CallFilter) async throws -> [AgentMetrics] {
        let plan = AnalyticsPlan(query)
        return try await read { db in
            var agents: [String: MetricSums] = [:]
            for row in try Self.groups(db, plan: plan, groupBy: .agent) {
                agents[row["agent_id"], default: MetricSums()].add(MetricSums(row))
            }
            return agents.keys.sorted().map { agents[$0]!.agentMetrics(agentID: $0) }
        }
    }

    enum Grouping { case day, agent }

    /// The aggregate rows of a query: whole days from the roll-up, the rest from the calls.
    private static func groups(_ db: Database, plan: AnalyticsPlan, groupBy: Grouping) throws -> [Row] {
        var rows: [Row] = []
        if let rollup = plan.rollup {
            let (whereSQL, arguments) = rollup.filter
            let select = groupBy == .day ? "r.day AS day" : "r.agent_id AS agent_id"
            let group = groupBy == .day ? "r.day" : "r.agent_id"
            rows += try Row.fetchAll(
                db,
                sql: "SELECT \(select), \(rollupAggregates) FROM call_rollup AS r WHERE \(whereSQL) GROUP BY \(group)",
                arguments: arguments)
        }
        for range in plan.raw {
            let (whereSQL, arguments) = range.query.sql(table: "c")
            let select = groupBy == .day ? "substr(c.created_at, 1, 10) AS day" : "c.agent_id AS agent_id"
            let group = groupBy == .day ? "day" : "c.agent_id"
            rows += try Row.fetchAll(
                db, sql: "SELECT \(select), \(aggregates) FROM calls AS c WHERE \(whereSQL) GROUP BY \(group)",
                arguments: arguments)
        }
        return rows
    }

    /// The roll-up's sums under the names `aggregates` gives them.
    static let rollupAggregates: String = {
        var columns = rollupColumns.map { "SUM(r.\($0.name)) AS \($0.name)" }
        columns += [
            "SUM(CASE WHEN r.direction = 'inbound' THEN r.calls ELSE 0 END) AS inbound",
            "SUM(CASE WHEN r.direction = 'outbound' THEN r.calls ELSE 0 END) AS outbound",
            "MAX(r.last_call) AS last_call",
        ]
        return columns.joined(separator: ", ")
    }()

    /// Calls by hour of day (UTC), all 24 hours.
    private static func callsPerHour(_ db: Database, plan: AnalyticsPlan) throws -> [Int] {
        var hours = [Int](repeating: 0, count: 24)
        var rows: [Row] = []
        if let rollup = plan.rollup {
            let (whereSQL, arguments) = rollup.filter
            rows += try Row.fetchAll(
                db,
                sql:
                    "SELECT r.hour AS hour, SUM(r.calls) AS calls FROM call_rollup_hours AS r WHERE \(whereSQL) GROUP BY r.hour",
                arguments: arguments)
        }
        for range in plan.raw {
            let (whereSQL, arguments) = range.query.sql(table: "c")
            rows += try Row.fetchAll(
                db,
                sql: """
                    SELECT CAST(substr(c.created_at, 12, 2) AS INTEGER) AS hour, COUNT(*) AS calls FROM calls AS c
                    WHERE \(whereSQL) GROUP BY hour
                    """, arguments: arguments)
        }
        for row in rows {
            let hour: Int = row["hour"]
            if (0..<24).contains(hour) { hours[hour] += row["calls"] as Int }
        }
        return hours
    }

    private static func topTopics(_ db: Database, plan: AnalyticsPlan) throws -> [DashboardReport.TopicCount] {
        var counts: [String: Int] = [:]
        if let rollup = plan.rollup {
            let (whereSQL, arguments) = rollup.filter
            for row in try Row.fetchAll(
                db, sql: "SELECT r.topic, SUM(r.calls) AS n FROM topic_rollup AS r WHERE \(whereSQL) GROUP BY r.topic",
                arguments: arguments)
            {
                counts[row["topic"], default: 0] += row["n"] as Int
            }
        }
        for range in plan.raw {
            let (whereSQL, arguments) = range.query.sql(table: "c")
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT t.topic, COUNT(*) AS n FROM call_topics AS t JOIN calls AS c ON c.id = t.call_id
                    WHERE \(whereSQL) GROUP BY t.topic
                    """, arguments: arguments)
            {
                counts[row["topic"], default: 0] += row["n"] as Int
            }
        }
        return MetricSums.topTopics(counts)
    }

    /// The median duration. With filters the duration index covers (time, agent, direction, demo,
    /// sentiment)
    /// it is the middle entry of that index among the matching calls, read without touching the
    /// table; with others, the matching durations are fetched (by whatever index suits the
    /// filters) and the middle found here, which beats walking the index with a lookup per entry.
    private static func median(
        _ db: Database, query: CallFilter, whereSQL: String, arguments: StatementArguments, count: Int
    ) throws -> Double? {
        guard count > 0 else { return nil }
        let middle: [Double]
        if query.outcome == nil, query.status == nil {
            middle = try Double.fetchAll(
                db,
                sql: """
                    SELECT c.duration_s FROM calls AS c INDEXED BY calls_by_duration
                    WHERE c.duration_s IS NOT NULL AND \(whereSQL) ORDER BY c.duration_s LIMIT ? OFFSET ?
                    """, arguments: arguments + [2 - count % 2, (count - 1) / 2])
        } else {
            return MetricSums.median(
                try Double.fetchAll(
                    db, sql: "SELECT c.duration_s FROM calls AS c WHERE c.duration_s IS NOT NULL AND \(whereSQL)",
                    arguments: arguments))
        }
        return middle.isEmpty ? nil : middle.reduce(0, +) / Double(middle.count)
    }

    package func exportPage(_ query: CallFilter, after cursor: ExportCursor?, limit: Int) async throws
        -> [CallExportRow]
    {
        var (whereSQL, arguments) = query.sql(table: "c")
        if let cursor {
            whereSQL += " AND (c.created_at, c.id) > (?, ?)"
            arguments += [cursor.createdAt, cursor.callID]
        }
        let sql = """
            SELECT c.*,
              (SELECT json_extract(s.json, '$.summary') FROM summaries AS s WHERE s.call_id = c.id
                 ORDER BY s.version DESC LIMIT 1) AS summary,
              (SELECT group_concat(t.topic, '; ') FROM call_topics AS t WHERE t.call_id = c.id) AS topics
            FROM calls AS c WHERE \(whereSQL) ORDER BY c.created_at, c.id LIMIT ?
            """
        let finalArguments = arguments + [max(1, min(limit, 5_000))]
        return try await read { db in
            try Row.fetchAll(db, sql: sql, arguments: finalArguments).map { row in
                CallExportRow(
                    callID: row["id"], createdAt: row["created_at"], endedAt: row["ended_at"], agentID: row["agent_id"],
                    customerID: row["customer_id"], direction: row["direction"], status: row["status"],
                    metrics: CallRowMetrics(row: row), topics: row["topics"],
                    summary: row["summary"], costUSD: row["cost_usd"], isDemo: row["is_demo"], source: row["source"])
            }
        }
    }
}

extension MetricSums {
    /// The sums of one row of `aggregates` or `rollupAggregates`.
    init(_ row: Row) {
        self.init(value: { row[$0] }, lastCall: row["last_call"])
    }
}
