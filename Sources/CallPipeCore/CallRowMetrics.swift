/// The metric columns the stages keep on a call (MigrationV3, MigrationV7), as a history row shows
/// them: how long, who talked and how fast, how it felt and how it ended, without loading the
/// call's outputs.
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
    /// Words, words per minute of own talk time and questions per party (docs/ARCHITECTURE.md §8);
    /// `nil` without a transcript, and for mono calls (one `unknown` party).
    package var agentWords: Int?
    package var customerWords: Int?
    package var agentTalkSpeedWPM: Double?
    package var customerTalkSpeedWPM: Double?
    package var agentQuestions: Int?
    package var customerQuestions: Int?
    /// Customer questions over agent and customer questions, 0…1; `nil` when there are none.
    package var customerQuestionShare: Double?

    enum CodingKeys: String, CodingKey {
        case durationS = "duration_s"
        case agentTalkS = "agent_talk_s"
        case customerTalkS = "customer_talk_s"
        case silenceS = "silence_s"
        case interruptions, sentiment
        case sentimentLabel = "sentiment_label"
        case outcome
        case agentWords = "agent_words"
        case customerWords = "customer_words"
        case agentTalkSpeedWPM = "agent_talk_speed_wpm"
        case customerTalkSpeedWPM = "customer_talk_speed_wpm"
        case agentQuestions = "agent_questions"
        case customerQuestions = "customer_questions"
        case customerQuestionShare = "customer_question_share"
    }

    package init(
        durationS: Double? = nil, agentTalkS: Double? = nil, customerTalkS: Double? = nil, silenceS: Double? = nil,
        interruptions: Int? = nil, sentiment: Double? = nil, sentimentLabel: String? = nil, outcome: String? = nil,
        agentWords: Int? = nil, customerWords: Int? = nil, agentTalkSpeedWPM: Double? = nil,
        customerTalkSpeedWPM: Double? = nil, agentQuestions: Int? = nil, customerQuestions: Int? = nil,
        customerQuestionShare: Double? = nil
    ) {
        self.durationS = durationS
        self.agentTalkS = agentTalkS
        self.customerTalkS = customerTalkS
        self.silenceS = silenceS
        self.interruptions = interruptions
        self.sentiment = sentiment
        self.sentimentLabel = sentimentLabel
        self.outcome = outcome
        self.agentWords = agentWords
        self.customerWords = customerWords
        self.agentTalkSpeedWPM = agentTalkSpeedWPM
        self.customerTalkSpeedWPM = customerTalkSpeedWPM
        self.agentQuestions = agentQuestions
        self.customerQuestions = customerQuestions
        self.customerQuestionShare = customerQuestionShare
    }
}
