package import GRDB

/// The metric columns the stages keep on a call (MigrationV3), as a history row shows them: how
/// long, who talked, how it felt and how it ended, without loading the call's outputs.
package struct CallRowMetrics: Sendable, Codable, Equatable {
    package var durationS: Double?
    package var agentTalkS: Double?
    package var customerTalkS: Double?
    package var silenceS: Double?
    package var interruptions: Int?
    package var sentiment: Double?
    /// `negative`, `neutral` or `positive`.
    package var sentimentLabel: String?
    package var outcome: String?

    enum CodingKeys: String, CodingKey {
        case durationS = "duration_s"
        case agentTalkS = "agent_talk_s"
        case customerTalkS = "customer_talk_s"
        case silenceS = "silence_s"
        case interruptions, sentiment
        case sentimentLabel = "sentiment_label"
        case outcome
    }

    package init(
        durationS: Double? = nil, agentTalkS: Double? = nil, customerTalkS: Double? = nil, silenceS: Double? = nil,
        interruptions: Int? = nil, sentiment: Double? = nil, sentimentLabel: String? = nil, outcome: String? = nil
    ) {
        self.durationS = durationS
        self.agentTalkS = agentTalkS
        self.customerTalkS = customerTalkS
        self.silenceS = silenceS
        self.interruptions = interruptions
        self.sentiment = sentiment
        self.sentimentLabel = sentimentLabel
        self.outcome = outcome
    }

    /// Reads the columns of a `calls` row.
    init(row: Row) {
        self.init(
            durationS: row["duration_s"], agentTalkS: row["agent_talk_s"], customerTalkS: row["customer_talk_s"],
            silenceS: row["silence_s"], interruptions: row["interruptions"], sentiment: row["sentiment"],
            sentimentLabel: row["sentiment_label"], outcome: row["outcome"])
    }
}
