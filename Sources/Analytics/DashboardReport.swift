/// `GET /api/analytics/dashboard`: the KPIs and series call-centre dashboards show.
///
/// Definitions: a call is *missed* when it went to voicemail or the agent never spoke, *dropped*
/// when its outcome is `dropped`; handle time is the call's audio duration; *short* is under 30 s,
/// *long* over 5 minutes; the resolution rate is resolved calls over calls with an outcome; the
/// talk ratio is the agent's share of all talk; silence is the time nobody spoke (silences of 2 s
/// or more) as a share of the call; the agent talk speed is the mean over calls of the agent's words
/// per minute of own talk time; the customer's question share is all customer questions over all
/// agent and customer questions. Hours and days are UTC.
package struct DashboardReport: Sendable, Codable, Equatable {
    package struct Totals: Sendable, Codable, Equatable {
        package var calls = 0
        package var inbound = 0
        package var outbound = 0
        package var missed = 0
        package var dropped = 0
        package var failed = 0
        package var shortCalls = 0
        package var longCalls = 0
        package var resolved = 0
        package var escalations = 0

        package init(
            calls: Int = 0, inbound: Int = 0, outbound: Int = 0, missed: Int = 0, dropped: Int = 0, failed: Int = 0,
            shortCalls: Int = 0, longCalls: Int = 0, resolved: Int = 0, escalations: Int = 0
        ) {
            self.calls = calls
            self.inbound = inbound
            self.outbound = outbound
            self.missed = missed
            self.dropped = dropped
            self.failed = failed
            self.shortCalls = shortCalls
            self.longCalls = longCalls
            self.resolved = resolved
            self.escalations = escalations
        }

        enum CodingKeys: String, CodingKey {
            case calls, inbound, outbound, missed, dropped, failed
            case shortCalls = "short_calls"
            case longCalls = "long_calls"
            case resolved, escalations
        }
    }

    package struct HandleTime: Sendable, Codable, Equatable {
        package var averageS: Double?
        package var medianS: Double?

        package init(averageS: Double? = nil, medianS: Double? = nil) {
            self.averageS = averageS
            self.medianS = medianS
        }

        enum CodingKeys: String, CodingKey {
            case averageS = "average_s"
            case medianS = "median_s"
        }
    }

    package struct Sentiment: Sendable, Codable, Equatable {
        package var positive = 0
        package var neutral = 0
        package var negative = 0
        /// Mean overall sentiment, −1 … 1.
        package var average: Double?

        package init(positive: Int = 0, neutral: Int = 0, negative: Int = 0, average: Double? = nil) {
            self.positive = positive
            self.neutral = neutral
            self.negative = negative
            self.average = average
        }
    }

    package struct HourCount: Sendable, Codable, Equatable {
        package var hour: Int
        package var calls: Int

        package init(hour: Int, calls: Int) {
            self.hour = hour
            self.calls = calls
        }
    }

    package struct Day: Sendable, Codable, Equatable {
        package var date: String
        package var calls: Int
        package var inbound: Int
        package var outbound: Int
        package var averageSentiment: Double?
        package var resolved: Int

        package init(
            date: String, calls: Int, inbound: Int, outbound: Int, averageSentiment: Double? = nil, resolved: Int
        ) {
            self.date = date
            self.calls = calls
            self.inbound = inbound
            self.outbound = outbound
            self.averageSentiment = averageSentiment
            self.resolved = resolved
        }

        enum CodingKeys: String, CodingKey {
            case date, calls, inbound, outbound
            case averageSentiment = "average_sentiment"
            case resolved
        }
    }

    package struct TopicCount: Sendable, Codable, Equatable {
        package var topic: String
        package var calls: Int

        package init(topic: String, calls: Int) {
            self.topic = topic
            self.calls = calls
        }
    }

    package struct Cost: Sendable, Codable, Equatable {
        package var totalUSD: Double
        package var perCallUSD: Double?

        package init(totalUSD: Double, perCallUSD: Double? = nil) {
            self.totalUSD = totalUSD
            self.perCallUSD = perCallUSD
        }

        enum CodingKeys: String, CodingKey {
            case totalUSD = "total_usd"
            case perCallUSD = "per_call_usd"
        }
    }

    package var totals = Totals()
    package var handleTime = HandleTime()
    package var resolutionRate: Double?
    /// The agent's share of talk time, 0 … 1.
    package var talkRatio: Double?
    package var averageSilencePct: Double?
    package var interruptionsPerCall: Double?
    /// Mean agent words per minute of the agent's talk time, over calls with a transcript.
    package var agentTalkSpeedWPM: Double?
    /// Customer questions over agent and customer questions, 0 … 1.
    package var customerQuestionShare: Double?
    package var sentiment = Sentiment()
    /// Calls by hour of day (0–23, UTC), all 24 hours.
    package var callsPerHour: [HourCount] = []
    package var peakHour: Int?
    /// Per day with calls, oldest first: volume, direction, resolution and sentiment trend.
    package var callsPerDay: [Day] = []
    package var topTopics: [TopicCount] = []
    package var aiCost = Cost(totalUSD: 0)

    package init() {}

    enum CodingKeys: String, CodingKey {
        case totals
        case handleTime = "handle_time"
        case resolutionRate = "resolution_rate"
        case talkRatio = "talk_ratio"
        case averageSilencePct = "average_silence_pct"
        case interruptionsPerCall = "interruptions_per_call"
        case agentTalkSpeedWPM = "agent_talk_speed_wpm"
        case customerQuestionShare = "customer_question_share"
        case sentiment
        case callsPerHour = "calls_per_hour"
        case peakHour = "peak_hour"
        case callsPerDay = "calls_per_day"
        case topTopics = "top_topics"
        case aiCost = "ai_cost"
    }
}
