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

    /// The KPIs of `sessions` (all of them: the caller picks the period), in one pass: 10,000
    /// sessions (a busy bot's month) take a few milliseconds.
    package init(sessions: [VoiceBotSession]) {
        self.sessions = sessions.count
        guard !sessions.isEmpty else { return }
        let count = Double(sessions.count)
        func percent(_ part: Int) -> Double { (Double(part) / count * 1_000).rounded() / 10 }
        var totalSeconds = 0.0
        var minS = Double.infinity
        var maxS = -Double.infinity
        var short = 0
        var long = 0
        var botMessages = 0
        var costs = 0
        var ratingSum = 0.0
        var days: [Int: (sessions: Int, successful: Int, technicalErrors: Int)] = [:]
        for session in sessions {
            outcomes.add(session.outcome)
            byDirection[session.direction, default: Counts()].add(session.outcome)
            for (criterion, outcome) in session.criteria { criteria[criterion, default: Counts()].add(outcome) }
            totalSeconds += session.durationS
            minS = min(minS, session.durationS)
            maxS = max(maxS, session.durationS)
            if session.durationS < 30 { short += 1 }
            if session.durationS > 300 { long += 1 }
            if session.transferredToHuman { transfers += 1 }
            if session.droppedOut { dropOuts += 1 }
            if session.technicalError { technicalErrors += 1 }
            botMessages += session.botMessages
            if let cost = session.cost {
                costTotal += cost
                costs += 1
            }
            if let rating = session.rating, (1...5).contains(rating) {
                ratingSum += rating
                ratings += 1
            }
            let day = session.startedAt.utcDayNumber
            var counts = days[day] ?? (0, 0, 0)
            counts.sessions += 1
            if session.outcome == .success { counts.successful += 1 }
            if session.technicalError { counts.technicalErrors += 1 }
            days[day] = counts
        }
        conversionPercent = percent(outcomes.successful)
        durations = Durations(
            averageS: (totalSeconds / count * 10).rounded() / 10, minS: minS, maxS: maxS, short: short, long: long)
        transferPercent = percent(transfers)
        averageBotMessages = (Double(botMessages) / count * 10).rounded() / 10
        costPerSession = costs == 0 ? nil : (costTotal / Double(costs) * 100).rounded() / 100
        errorRatePercent = percent(technicalErrors)
        averageRating = ratings == 0 ? nil : (ratingSum / Double(ratings) * 100).rounded() / 100
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
    mutating func add(_ outcome: VoiceBotSession.Outcome) {
        switch outcome {
        case .success: successful += 1
        case .failure: failed += 1
        case .unknown: unknown += 1
        }
    }
}
