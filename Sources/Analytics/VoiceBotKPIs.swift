package import CallPipeCore
package import Foundation

/// The voice-bot KPIs of a period (`GET /api/analytics/voicebot`, docs/connectors.md): how often
/// the bot succeeded, per direction and per evaluation criterion, how long sessions ran, how
/// often it handed over to a person or lost the caller, what it cost, its errors and ratings, and
/// the same per UTC day.
package struct VoiceBotKPIs: Sendable, Equatable, Codable {
    package struct Counts: Sendable, Equatable, Codable {
        package var successful = 0
        package var failed = 0
        package var unknown = 0

        package init(successful: Int = 0, failed: Int = 0, unknown: Int = 0) {
            self.successful = successful
            self.failed = failed
            self.unknown = unknown
        }
    }

    package struct Durations: Sendable, Equatable, Codable {
        package var averageS: Double?
        package var minS: Double?
        package var maxS: Double?
        /// Under 30 s.
        package var short = 0
        /// Over 5 minutes.
        package var long = 0

        enum CodingKeys: String, CodingKey {
            case averageS = "average_s"
            case minS = "min_s"
            case maxS = "max_s"
            case short, long
        }

        package init(averageS: Double? = nil, minS: Double? = nil, maxS: Double? = nil, short: Int = 0, long: Int = 0) {
            self.averageS = averageS
            self.minS = minS
            self.maxS = maxS
            self.short = short
            self.long = long
        }
    }

    package struct Day: Sendable, Equatable, Codable {
        /// `YYYY-MM-DD`, UTC.
        package var date: String
        package var sessions: Int
        package var successful: Int
        package var conversionPercent: Double?
        package var technicalErrors: Int

        enum CodingKeys: String, CodingKey {
            case date, sessions, successful
            case conversionPercent = "conversion_percent"
            case technicalErrors = "technical_errors"
        }

        package init(date: String, sessions: Int, successful: Int, conversionPercent: Double?, technicalErrors: Int) {
            self.date = date
            self.sessions = sessions
            self.successful = successful
            self.conversionPercent = conversionPercent
            self.technicalErrors = technicalErrors
        }
    }

    package var sessions = 0
    package var outcomes = Counts()
    /// Successful sessions as a share of all, %.
    package var conversionPercent: Double?
    package var byDirection: [String: Counts] = [:]
    /// Passed/failed/unknown per evaluation criterion.
    package var criteria: [String: Counts] = [:]
    package var durations = Durations()
    package var transfers = 0
    package var transferPercent: Double?
    package var dropOuts = 0
    package var averageBotMessages: Double?
    package var costTotal: Double = 0
    package var costPerSession: Double?
    package var technicalErrors = 0
    package var errorRatePercent: Double?
    package var averageRating: Double?
    package var ratings = 0
    package var daily: [Day] = []

    enum CodingKeys: String, CodingKey {
        case sessions, outcomes
        case conversionPercent = "conversion_percent"
        case byDirection = "by_direction"
        case criteria, durations, transfers
        case transferPercent = "transfer_percent"
        case dropOuts = "drop_outs"
        case averageBotMessages = "average_bot_messages"
        case costTotal = "cost_total"
        case costPerSession = "cost_per_session"
        case technicalErrors = "technical_errors"
        case errorRatePercent = "error_rate_percent"
        case averageRating = "average_rating"
        case ratings, daily
    }

    package init() {}

    /// The KPIs of `sessions` (all of them: the caller picks the period).
    package init(sessions: [VoiceBotSession]) {
        struct Key: Hashable {
            var day: Int
            var direction: String
            var outcome: VoiceBotSession.Outcome
        }
        var days: [Key: VoiceBotGroup] = [:]
        var criteria: [[String: VoiceBotSession.Outcome]: Int] = [:]
        for session in sessions {
            let key = Key(day: session.startedAt.utcDayNumber, direction: session.direction, outcome: session.outcome)
            days[key, default: VoiceBotGroup(day: key.day, direction: key.direction, outcome: key.outcome)].add(
                session)
            criteria[session.criteria, default: 0] += 1
        }
        self.init(
            groups: VoiceBotGroups(
                days: Array(days.values),
                criteria: criteria.map { VoiceBotCriteriaGroup(criteria: $0.key, sessions: $0.value) }))
    }

    /// The KPIs from the sessions summed per day, direction and outcome and counted per set of
    /// criteria results (the stores count both in SQL: a month of 10,000 sessions is a couple of
    /// hundred groups).
    package init(groups: VoiceBotGroups) {
        var total = VoiceBotGroup(day: 0, direction: "", outcome: .unknown)
        var days: [Int: (sessions: Int, successful: Int, technicalErrors: Int)] = [:]
        for group in groups.criteria {
            for (criterion, outcome) in group.criteria {
                criteria[criterion, default: Counts()].add(outcome, sessions: group.sessions)
            }
        }
        for group in groups.days where group.sessions > 0 {
            outcomes.add(group.outcome, sessions: group.sessions)
            byDirection[group.direction, default: Counts()].add(group.outcome, sessions: group.sessions)
            total.sessions += group.sessions
            total.durationSum += group.durationSum
            total.minS = min(total.minS, group.minS)
            total.maxS = max(total.maxS, group.maxS)
            total.short += group.short
            total.long += group.long
            total.transfers += group.transfers
            total.dropOuts += group.dropOuts
            total.technicalErrors += group.technicalErrors
            total.botMessages += group.botMessages
            total.costSum += group.costSum
            total.costs += group.costs
            total.ratingSum += group.ratingSum
            total.ratings += group.ratings
            var day = days[group.day] ?? (0, 0, 0)
            day.sessions += group.sessions
            if group.outcome == .success { day.successful += group.sessions }
            day.technicalErrors += group.technicalErrors
            days[group.day] = day
        }
        sessions = total.sessions
        guard sessions > 0 else { return }
        let count = Double(sessions)
        func percent(_ part: Int) -> Double { (Double(part) / count * 1_000).rounded() / 10 }
        conversionPercent = percent(outcomes.successful)
        durations = Durations(
            averageS: (total.durationSum / count * 10).rounded() / 10, minS: total.minS, maxS: total.maxS,
            short: total.short, long: total.long)
        transfers = total.transfers
        transferPercent = percent(transfers)
        dropOuts = total.dropOuts
        averageBotMessages = (Double(total.botMessages) / count * 10).rounded() / 10
        costTotal = total.costSum
        costPerSession = total.costs == 0 ? nil : (total.costSum / Double(total.costs) * 100).rounded() / 100
        technicalErrors = total.technicalErrors
        errorRatePercent = percent(technicalErrors)
        ratings = total.ratings
        averageRating = ratings == 0 ? nil : (total.ratingSum / Double(ratings) * 100).rounded() / 100
        daily = days.keys.sorted().map { day in
            let counts = days[day]!
            return Day(
                date: Date.utcDayText(day), sessions: counts.sessions, successful: counts.successful,
                conversionPercent: (Double(counts.successful) / Double(counts.sessions) * 1_000).rounded() / 10,
                technicalErrors: counts.technicalErrors)
        }
    }
}

extension VoiceBotKPIs.Counts {
    mutating func add(_ outcome: VoiceBotSession.Outcome, sessions: Int = 1) {
        switch outcome {
        case .success: successful += sessions
        case .failure: failed += sessions
        case .unknown: unknown += sessions
        }
    }
}
