/// The reports built from the sums, the same whatever store summed them.
extension MetricSums {
    /// The dashboard of these sums (all matching calls) with its per-day sums (keyed `yyyy-MM-dd`),
    /// calls per hour of day (24), median handle time and top topics, which the store finds itself.
    package func dashboard(
        days: [String: MetricSums], callsPerHour hours: [Int], medianHandleTimeS: Double?,
        topTopics: [DashboardReport.TopicCount]
    ) -> DashboardReport {
        var report = DashboardReport()
        report.totals = totals
        report.handleTime.averageS = averageHandleTimeS
        report.handleTime.medianS = medianHandleTimeS
        report.resolutionRate = resolutionRate
        report.talkRatio = talkRatio
        report.averageSilencePct = averageSilencePct
        report.interruptionsPerCall = interruptionsPerCall
        report.agentTalkSpeedWPM = agentTalkSpeedWPM
        report.customerQuestionShare = customerQuestionShare
        report.sentiment = DashboardReport.Sentiment(
            positive: positive, neutral: neutral, negative: negative, average: averageSentiment)
        report.callsPerHour = hours.enumerated().map { DashboardReport.HourCount(hour: $0, calls: $1) }
        report.peakHour = calls > 0 ? hours.indices.max { hours[$0] < hours[$1] } : nil
        report.callsPerDay = days.keys.sorted().map { date in
            let day = days[date]!
            return DashboardReport.Day(
                date: date, calls: day.calls, inbound: day.inbound, outbound: day.outbound,
                averageSentiment: day.averageSentiment, resolved: day.resolved)
        }
        report.topTopics = topTopics
        report.aiCost = DashboardReport.Cost(totalUSD: cost, perCallUSD: calls > 0 ? cost / Double(calls) : nil)
        return report
    }

    /// One agent's metrics from the sums of their calls.
    package func agentMetrics(agentID: String) -> AgentMetrics {
        AgentMetrics(
            agentID: agentID, calls: calls, done: done, failed: failed, lastCallAt: lastCall, inbound: inbound,
            outbound: outbound, averageHandleTimeS: averageHandleTimeS, resolutionRate: resolutionRate,
            escalations: escalated, talkRatio: talkRatio, averageSilencePct: averageSilencePct,
            interruptionsPerCall: interruptionsPerCall, averageSentiment: averageSentiment, negativeCalls: negative,
            agentTalkSpeedWPM: agentTalkSpeedWPM, customerQuestionShare: customerQuestionShare)
    }

    /// The ten topics with most calls (ties by name), from calls per topic.
    package static func topTopics(_ counts: [String: Int]) -> [DashboardReport.TopicCount] {
        counts.filter { $0.value > 0 }.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(10)
            .map { DashboardReport.TopicCount(topic: $0.key, calls: $0.value) }
    }

    /// The median of `durations` (unsorted), `nil` for none.
    package static func median(_ durations: [Double]) -> Double? {
        let sorted = durations.sorted()
        guard !sorted.isEmpty else { return nil }
        let upper = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[upper] : (sorted[upper - 1] + sorted[upper]) / 2
    }
}
