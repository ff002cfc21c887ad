import CallPipeCore
import GRDB

extension CallRowMetrics {
    /// Reads the columns of a `calls` row.
    init(row: Row) {
        self.init(
            durationS: row["duration_s"], agentTalkS: row["agent_talk_s"], customerTalkS: row["customer_talk_s"],
            silenceS: row["silence_s"], interruptions: row["interruptions"], sentiment: row["sentiment"],
            sentimentLabel: row["sentiment_label"], outcome: row["outcome"], agentWords: row["agent_words"],
            customerWords: row["customer_words"], agentTalkSpeedWPM: row["agent_talk_speed_wpm"],
            customerTalkSpeedWPM: row["customer_talk_speed_wpm"], agentQuestions: row["agent_questions"],
            customerQuestions: row["customer_questions"], customerQuestionShare: row["customer_question_share"])
    }
}
