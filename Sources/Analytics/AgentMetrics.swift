package import CallPipeCore
package import Foundation

/// One agent's KPIs over a range (`GET /api/agents`).
package struct AgentMetrics: Sendable, Codable, Equatable {
    package var agentID: String
    package var calls: Int
    package var done: Int
    package var failed: Int
    package var lastCallAt: Date?
    package var inbound: Int
    package var outbound: Int
    package var averageHandleTimeS: Double?
    package var resolutionRate: Double?
    package var escalations: Int
    package var talkRatio: Double?
    package var averageSilencePct: Double?
    package var interruptionsPerCall: Double?
    package var averageSentiment: Double?
    package var negativeCalls: Int
    /// The mean of the agent's talk speed (words per minute of own talk time) over calls with one.
    package var agentTalkSpeedWPM: Double?
    /// Customer questions over agent and customer questions, over all the agent's calls.
    package var customerQuestionShare: Double?

    package init(
        agentID: String, calls: Int, done: Int, failed: Int, lastCallAt: Date? = nil, inbound: Int, outbound: Int,
        averageHandleTimeS: Double? = nil, resolutionRate: Double? = nil, escalations: Int, talkRatio: Double? = nil,
        averageSilencePct: Double? = nil, interruptionsPerCall: Double? = nil, averageSentiment: Double? = nil,
        negativeCalls: Int, agentTalkSpeedWPM: Double? = nil, customerQuestionShare: Double? = nil
    ) {
        self.agentID = agentID
        self.calls = calls
        self.done = done
        self.failed = failed
        self.lastCallAt = lastCallAt
        self.inbound = inbound
        self.outbound = outbound
        self.averageHandleTimeS = averageHandleTimeS
        self.resolutionRate = resolutionRate
        self.escalations = escalations
        self.talkRatio = talkRatio
        self.averageSilencePct = averageSilencePct
        self.interruptionsPerCall = interruptionsPerCall
        self.averageSentiment = averageSentiment
        self.negativeCalls = negativeCalls
        self.agentTalkSpeedWPM = agentTalkSpeedWPM
        self.customerQuestionShare = customerQuestionShare
    }

    enum CodingKeys: String, CodingKey {
        case agentID = "agent_id"
        case calls, done, failed
        case lastCallAt = "last_call_at"
        case inbound, outbound
        case averageHandleTimeS = "average_handle_time_s"
        case resolutionRate = "resolution_rate"
        case escalations
        case talkRatio = "talk_ratio"
        case averageSilencePct = "average_silence_pct"
        case interruptionsPerCall = "interruptions_per_call"
        case averageSentiment = "average_sentiment"
        case negativeCalls = "negative_calls"
        case agentTalkSpeedWPM = "agent_talk_speed_wpm"
        case customerQuestionShare = "customer_question_share"
    }
}

/// One row of `GET /api/calls/export.csv`.
package struct CallExportRow: Sendable, Equatable {
    package var callID: String
    package var createdAt: Date
    package var endedAt: Date?
    package var agentID: String
    package var customerID: String?
    package var direction: String
    package var status: String
    /// Duration, talk, silence, interruptions, sentiment and outcome: the history row's metrics.
    package var metrics: CallRowMetrics
    package var topics: String?
    package var summary: String?
    package var costUSD: Double?
    package var isDemo: Bool
    /// Where the call came from (`StoredCall.source`).
    package var source: String

    package init(
        callID: String, createdAt: Date, endedAt: Date? = nil, agentID: String, customerID: String? = nil,
        direction: String, status: String, metrics: CallRowMetrics, topics: String? = nil, summary: String? = nil,
        costUSD: Double? = nil, isDemo: Bool, source: String = ConnectorKind.ownSource
    ) {
        self.callID = callID
        self.createdAt = createdAt
        self.endedAt = endedAt
        self.agentID = agentID
        self.customerID = customerID
        self.direction = direction
        self.status = status
        self.metrics = metrics
        self.topics = topics
        self.summary = summary
        self.costUSD = costUSD
        self.isDemo = isDemo
        self.source = source
    }
}
