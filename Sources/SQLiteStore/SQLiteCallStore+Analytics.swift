package import Analytics
import CallPipeCore
import Foundation
import GRDB

/// Analytics as SQL aggregates: over the daily roll-ups for whole days (`AnalyticsPlan`), over the
/// `calls` table's metric columns (kept by the stages) for partial days and the filters the
/// roll-ups do not keep; the median walks the duration index.
extension SQLiteCallStore {
    /// The WHERE clause of a query over `calls` (aliased `c`).
    static func filter(_ query: AnalyticsQuery) -> (sql: String, arguments: StatementArguments) {
        var clauses: [String] = []
        var arguments = StatementArguments()
        if let from = query.from {
            clauses.append("c.created_at >= ?")
            arguments += [from]
        }
        if let to = query.to {
            clauses.append("c.created_at < ?")
            arguments += [to]
        }
        let equalities: [(String, String?)] = [
            ("c.agent_id", query.agentID), ("c.direction", query.direction), ("c.outcome", query.outcome),
            ("c.sentiment_label", query.sentiment), ("c.status", query.status),
        ]
        for (column, value) in equalities {
            if let value {
                clauses.append("\(column) = ?")
                arguments += [value]
            }
        }
        if !query.includeDemo { clauses.append("c.is_demo = 0") }
        return (clauses.isEmpty ? "1" : clauses.joined(separator: " AND "), arguments)
    }

    /// The aggregate columns shared by the dashboard and the agents' metrics.
    static let aggregates = """
        COUNT(*) AS calls,
        SUM(c.direction = 'inbound') AS inbound, SUM(c.direction = 'outbound') AS outbound,
        SUM(c.outcome = 'voicemail' OR (c.duration_s IS NOT NULL AND c.agent_talk_s = 0)) AS missed,
        SUM(c.outcome = 'dropped') AS dropped, SUM(c.status = 'failed') AS failed, SUM(c.status = 'done') AS done,
        COUNT(c.duration_s) AS timed, TOTAL(c.duration_s) AS duration,
        SUM(c.duration_s < 30) AS short, SUM(c.duration_s > 300) AS long,
        SUM(c.outcome = 'resolved') AS resolved, COUNT(c.outcome) AS outcomes, SUM(c.outcome = 'escalated') AS escalated,
        TOTAL(c.agent_talk_s) AS agent_talk, TOTAL(c.customer_talk_s) AS customer_talk,
        TOTAL(c.silence_s / NULLIF(c.duration_s, 0)) AS silence_share, COUNT(c.silence_s / NULLIF(c.duration_s, 0)) AS silence_n,
        TOTAL(c.interruptions) AS interruptions, COUNT(c.interruptions) AS interruptions_n,
        SUM(c.sentiment_label = 'positive') AS positive, SUM(c.sentiment_label = 'neutral') AS neutral,
        SUM(c.sentiment_label = 'negative') AS negative, TOTAL(c.sentiment) AS sentiment, COUNT(c.sentiment) AS sentiment_n,
        TOTAL(c.cost_usd) AS cost, MAX(c.created_at) AS last_call,
        TOTAL(c.agent_talk_speed_wpm) AS agent_wpm, COUNT(c.agent_talk_speed_wpm) AS agent_wpm_n,
        TOTAL(c.agent_questions) AS agent_questions, TOTAL(c.customer_questions) AS customer_questions
        """

    /// The WHERE clause of a query over `calls` for a plan's raw range.
    static func filter(_ range: AnalyticsPlan.RawRange) -> (sql: String, arguments: StatementArguments) {
        filter(range.query)
    }

    package func dashboard(_ query: AnalyticsQuery) async throws -> DashboardReport {
        let plan = AnalyticsPlan(query)
        let (whereSQL, arguments) = Self.filter(query)
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

    package func agentMetrics(_ query: AnalyticsQuery) async throws -> [AgentMetrics] {
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
            let (whereSQL, arguments) = filter(range)
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
            let (whereSQL, arguments) = filter(range)
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
            let (whereSQL, arguments) = filter(range)
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
        _ db: Database, query: AnalyticsQuery, whereSQL: String, arguments: StatementArguments, count: Int
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

    package func exportPage(_ query: AnalyticsQuery, after cursor: ExportCursor?, limit: Int) async throws
        -> [CallExportRow]
    {
        var (whereSQL, arguments) = Self.filter(query)
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

/// Aggregate columns of one group, added up across groups.
struct Sums {
    var calls = 0, inbound = 0, outbound = 0, missed = 0, dropped = 0, failed = 0
    var timed = 0, duration = 0.0, short = 0, long = 0, resolved = 0, outcomes = 0, escalated = 0
    var agentTalk = 0.0, customerTalk = 0.0, silenceShare = 0.0, silenceN = 0, interruptions = 0.0, interruptionsN = 0
    var positive = 0, neutral = 0, negative = 0, sentiment = 0.0, sentimentN = 0, cost = 0.0
    var done = 0
    var agentWPM = 0.0, agentWPMN = 0, agentQuestions = 0.0, customerQuestions = 0.0
    var lastCall: Date?

    init() {}

    init(_ row: Row) {
        calls = row["calls"]
        inbound = row["inbound"] ?? 0
        outbound = row["outbound"] ?? 0
        missed = row["missed"] ?? 0
        dropped = row["dropped"] ?? 0
        failed = row["failed"] ?? 0
        timed = row["timed"]
        duration = row["duration"]
        short = row["short"] ?? 0
        long = row["long"] ?? 0
        resolved = row["resolved"] ?? 0
        outcomes = row["outcomes"]
        escalated = row["escalated"] ?? 0
        agentTalk = row["agent_talk"]
        customerTalk = row["customer_talk"]
        silenceShare = row["silence_share"]
        silenceN = row["silence_n"]
        interruptions = row["interruptions"]
        interruptionsN = row["interruptions_n"]
        positive = row["positive"] ?? 0
        neutral = row["neutral"] ?? 0
        negative = row["negative"] ?? 0
        sentiment = row["sentiment"]
        sentimentN = row["sentiment_n"]
        cost = row["cost"]
        done = row["done"] ?? 0
        agentWPM = row["agent_wpm"] ?? 0
        agentWPMN = row["agent_wpm_n"] ?? 0
        agentQuestions = row["agent_questions"] ?? 0
        customerQuestions = row["customer_questions"] ?? 0
        lastCall = row["last_call"]
    }

    mutating func add(_ other: Sums) {
        calls += other.calls
        inbound += other.inbound
        outbound += other.outbound
        missed += other.missed
        dropped += other.dropped
        failed += other.failed
        timed += other.timed
        duration += other.duration
        short += other.short
        long += other.long
        resolved += other.resolved
        outcomes += other.outcomes
        escalated += other.escalated
        agentTalk += other.agentTalk
        customerTalk += other.customerTalk
        silenceShare += other.silenceShare
        silenceN += other.silenceN
        interruptions += other.interruptions
        interruptionsN += other.interruptionsN
        positive += other.positive
        neutral += other.neutral
        negative += other.negative
        sentiment += other.sentiment
        sentimentN += other.sentimentN
        cost += other.cost
        done += other.done
        agentWPM += other.agentWPM
        agentWPMN += other.agentWPMN
        agentQuestions += other.agentQuestions
        customerQuestions += other.customerQuestions
        if let last = other.lastCall, lastCall.map({ $0 < last }) ?? true { lastCall = last }
    }

    var totals: DashboardReport.Totals {
        DashboardReport.Totals(
            calls: calls, inbound: inbound, outbound: outbound, missed: missed, dropped: dropped, failed: failed,
            shortCalls: short, longCalls: long, resolved: resolved, escalations: escalated)
    }

    var talkRatio: Double? {
        agentTalk + customerTalk > 0 ? agentTalk / (agentTalk + customerTalk) : nil
    }

    var averageSentiment: Double? { sentimentN > 0 ? sentiment / Double(sentimentN) : nil }
    var averageSilencePct: Double? { silenceN > 0 ? 100 * silenceShare / Double(silenceN) : nil }
    var interruptionsPerCall: Double? { interruptionsN > 0 ? interruptions / Double(interruptionsN) : nil }
    /// The mean of the calls' agent talk speeds (calls with one).
    var agentTalkSpeedWPM: Double? { agentWPMN > 0 ? agentWPM / Double(agentWPMN) : nil }
    /// All customer questions over all agent and customer questions.
    var customerQuestionShare: Double? {
        agentQuestions + customerQuestions > 0 ? customerQuestions / (agentQuestions + customerQuestions) : nil
    }
}
