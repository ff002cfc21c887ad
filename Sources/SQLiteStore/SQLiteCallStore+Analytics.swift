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
            var report = DashboardReport()
            var sums = Sums()
            var days: [String: Sums] = [:]
            for row in try Self.groups(db, plan: plan, groupBy: .day) {
                let group = Sums(row)
                sums.add(group)
                days[row["day"], default: Sums()].add(group)
            }
            let hours = try Self.callsPerHour(db, plan: plan)
            report.totals = sums.totals
            report.handleTime.averageS = sums.timed > 0 ? sums.duration / Double(sums.timed) : nil
            report.handleTime.medianS = try Self.median(
                db, query: query, whereSQL: whereSQL, arguments: arguments, count: sums.timed)
            report.resolutionRate = sums.outcomes > 0 ? Double(sums.resolved) / Double(sums.outcomes) : nil
            report.talkRatio = sums.talkRatio
            report.averageSilencePct = sums.averageSilencePct
            report.interruptionsPerCall = sums.interruptionsPerCall
            report.agentTalkSpeedWPM = sums.agentTalkSpeedWPM
            report.customerQuestionShare = sums.customerQuestionShare
            report.sentiment = DashboardReport.Sentiment(
                positive: sums.positive, neutral: sums.neutral, negative: sums.negative, average: sums.averageSentiment)
            report.callsPerHour = hours.enumerated().map { DashboardReport.HourCount(hour: $0, calls: $1) }
            report.peakHour = sums.calls > 0 ? hours.indices.max { hours[$0] < hours[$1] } : nil
            report.callsPerDay = days.keys.sorted().map { date in
                let day = days[date]!
                return DashboardReport.Day(
                    date: date, calls: day.calls, inbound: day.inbound, outbound: day.outbound,
                    averageSentiment: day.averageSentiment, resolved: day.resolved)
            }
            report.topTopics = try Self.topTopics(db, plan: plan)
            report.aiCost = DashboardReport.Cost(
                totalUSD: sums.cost, perCallUSD: sums.calls > 0 ? sums.cost / Double(sums.calls) : nil)
            return report
        }
    }

    package func agentMetrics(_ query: CallFilter) async throws -> [AgentMetrics] {
        let plan = AnalyticsPlan(query)
        return try await read { db in
            var agents: [String: Sums] = [:]
            for row in try Self.groups(db, plan: plan, groupBy: .agent) {
                agents[row["agent_id"], default: Sums()].add(Sums(row))
            }
            return agents.keys.sorted().map { agent in
                let sums = agents[agent]!
                return AgentMetrics(
                    agentID: agent, calls: sums.calls, done: sums.done, failed: sums.failed, lastCallAt: sums.lastCall,
                    inbound: sums.inbound, outbound: sums.outbound,
                    averageHandleTimeS: sums.timed > 0 ? sums.duration / Double(sums.timed) : nil,
                    resolutionRate: sums.outcomes > 0 ? Double(sums.resolved) / Double(sums.outcomes) : nil,
                    escalations: sums.escalated, talkRatio: sums.talkRatio, averageSilencePct: sums.averageSilencePct,
                    interruptionsPerCall: sums.interruptionsPerCall, averageSentiment: sums.averageSentiment,
                    negativeCalls: sums.negative, agentTalkSpeedWPM: sums.agentTalkSpeedWPM,
                    customerQuestionShare: sums.customerQuestionShare)
            }
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
        return counts.filter { $0.value > 0 }.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(10)
            .map { DashboardReport.TopicCount(topic: $0.key, calls: $0.value) }
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
            let durations = try Double.fetchAll(
                db, sql: "SELECT c.duration_s FROM calls AS c WHERE c.duration_s IS NOT NULL AND \(whereSQL)",
                arguments: arguments
            ).sorted()
            guard !durations.isEmpty else { return nil }
            let upper = durations.count / 2
            middle = durations.count % 2 == 1 ? [durations[upper]] : [durations[upper - 1], durations[upper]]
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
                    summary: row["summary"], costUSD: row["cost_usd"], isDemo: row["is_demo"])
            }
        }
    }
}

/// Aggregate columns of one group, added up across groups: every metric of the table
/// (`rollupColumns`, `directionColumns`) by name, read and added alike, so a new metric needs no
/// code here; the figures below are what the reports derive from them.
struct Sums {
    static let names = (SQLiteCallStore.rollupColumns + SQLiteCallStore.directionColumns).map(\.name)

    private var values: [String: Double] = [:]
    var lastCall: Date?

    init() {}

    init(_ row: Row) {
        for name in Self.names { values[name] = row[name] ?? 0 }
        lastCall = row["last_call"]
    }

    subscript(_ name: String) -> Double { values[name] ?? 0 }

    mutating func add(_ other: Sums) {
        for name in Self.names { values[name, default: 0] += other[name] }
        if let last = other.lastCall, lastCall.map({ $0 < last }) ?? true { lastCall = last }
    }

    private func count(_ name: String) -> Int { Int(self[name].rounded()) }

    var calls: Int { count("calls") }
    var inbound: Int { count("inbound") }
    var outbound: Int { count("outbound") }
    var missed: Int { count("missed") }
    var dropped: Int { count("dropped") }
    var failed: Int { count("failed") }
    var done: Int { count("done") }
    var timed: Int { count("timed") }
    var duration: Double { self["duration"] }
    var short: Int { count("short") }
    var long: Int { count("long") }
    var resolved: Int { count("resolved") }
    var outcomes: Int { count("outcomes") }
    var escalated: Int { count("escalated") }
    var agentTalk: Double { self["agent_talk"] }
    var customerTalk: Double { self["customer_talk"] }
    var positive: Int { count("positive") }
    var neutral: Int { count("neutral") }
    var negative: Int { count("negative") }
    var cost: Double { self["cost"] }

    var totals: DashboardReport.Totals {
        DashboardReport.Totals(
            calls: calls, inbound: inbound, outbound: outbound, missed: missed, dropped: dropped, failed: failed,
            shortCalls: short, longCalls: long, resolved: resolved, escalations: escalated)
    }

    var talkRatio: Double? {
        agentTalk + customerTalk > 0 ? agentTalk / (agentTalk + customerTalk) : nil
    }

    /// The mean of `name` over the calls that have it (`count` of them).
    private func mean(_ name: String, count: String) -> Double? {
        self[count] > 0 ? self[name] / self[count] : nil
    }

    var averageSentiment: Double? { mean("sentiment", count: "sentiment_n") }
    var averageSilencePct: Double? { mean("silence_share", count: "silence_n").map { 100 * $0 } }
    var interruptionsPerCall: Double? { mean("interruptions", count: "interruptions_n") }
    /// The mean of the calls' agent talk speeds (calls with one).
    var agentTalkSpeedWPM: Double? { mean("agent_wpm", count: "agent_wpm_n") }
    /// All customer questions over all agent and customer questions.
    var customerQuestionShare: Double? {
        let agent = self["agent_questions"]
        let customer = self["customer_questions"]
        return agent + customer > 0 ? customer / (agent + customer) : nil
    }
}
