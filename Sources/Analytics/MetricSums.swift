package import Foundation

/// The aggregate columns of one group of calls, added up across groups: every metric by name, read
/// and added alike, so a new metric needs no code here beyond its name; the figures below are what
/// the reports derive from them. Each store computes the sums in its own SQL (SQLite from its
/// roll-ups and calls, PostgreSQL from the calls) under these names (`names`); the store contract
/// tests check both give the same reports.
package struct MetricSums: Sendable {
    /// Every metric a store sums per group, in the order of SQLite's metric table (v4's, v7's, then
    /// the calls per direction).
    package static let names = [
        "calls", "missed", "dropped", "failed", "done", "timed", "duration", "short", "long", "resolved", "outcomes",
        "escalated", "agent_talk", "customer_talk", "silence_share", "silence_n", "interruptions", "interruptions_n",
        "positive", "neutral", "negative", "sentiment", "sentiment_n", "cost", "agent_wpm", "agent_wpm_n",
        "agent_questions", "customer_questions", "inbound", "outbound",
    ]

    private var values: [String: Double] = [:]
    package var lastCall: Date?

    package init() {}

    /// The sums of one result row: `value(name)` reads a column (`nil` reads as 0).
    package init(value: (String) throws -> Double?, lastCall: Date?) rethrows {
        for name in Self.names { values[name] = try value(name) ?? 0 }
        self.lastCall = lastCall
    }

    package subscript(_ name: String) -> Double { values[name] ?? 0 }

    package mutating func add(_ other: MetricSums) {
        for name in Self.names { values[name, default: 0] += other[name] }
        if let last = other.lastCall, lastCall.map({ $0 < last }) ?? true { lastCall = last }
    }

    private func count(_ name: String) -> Int { Int(self[name].rounded()) }

    package var calls: Int { count("calls") }
    package var inbound: Int { count("inbound") }
    package var outbound: Int { count("outbound") }
    package var missed: Int { count("missed") }
    package var dropped: Int { count("dropped") }
    package var failed: Int { count("failed") }
    package var done: Int { count("done") }
    package var timed: Int { count("timed") }
    package var duration: Double { self["duration"] }
    package var short: Int { count("short") }
    package var long: Int { count("long") }
    package var resolved: Int { count("resolved") }
    package var outcomes: Int { count("outcomes") }
    package var escalated: Int { count("escalated") }
    package var agentTalk: Double { self["agent_talk"] }
    package var customerTalk: Double { self["customer_talk"] }
    package var positive: Int { count("positive") }
    package var neutral: Int { count("neutral") }
    package var negative: Int { count("negative") }
    package var cost: Double { self["cost"] }

    package var totals: DashboardReport.Totals {
        DashboardReport.Totals(
            calls: calls, inbound: inbound, outbound: outbound, missed: missed, dropped: dropped, failed: failed,
            shortCalls: short, longCalls: long, resolved: resolved, escalations: escalated)
    }

    package var talkRatio: Double? {
        agentTalk + customerTalk > 0 ? agentTalk / (agentTalk + customerTalk) : nil
    }

    /// The mean of `name` over the calls that have it (`count` of them).
    private func mean(_ name: String, count: String) -> Double? {
        self[count] > 0 ? self[name] / self[count] : nil
    }

    package var averageHandleTimeS: Double? { timed > 0 ? duration / Double(timed) : nil }
    package var resolutionRate: Double? { outcomes > 0 ? Double(resolved) / Double(outcomes) : nil }
    package var averageSentiment: Double? { mean("sentiment", count: "sentiment_n") }
    package var averageSilencePct: Double? { mean("silence_share", count: "silence_n").map { 100 * $0 } }
    package var interruptionsPerCall: Double? { mean("interruptions", count: "interruptions_n") }
    /// The mean of the calls' agent talk speeds (calls with one).
    package var agentTalkSpeedWPM: Double? { mean("agent_wpm", count: "agent_wpm_n") }
    /// All customer questions over all agent and customer questions.
    package var customerQuestionShare: Double? {
        let agent = self["agent_questions"]
        let customer = self["customer_questions"]
        return agent + customer > 0 ? customer / (agent + customer) : nil
    }
}
