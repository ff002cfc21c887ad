/// The `data` of a `real_time_insights` event (docs/ARCHITECTURE.md §6): the call so far.
package struct LiveInsights: Encodable, Sendable, Equatable {
    package struct Sentiment: Encodable, Sendable, Equatable {
        package var latest: Double?
        package var customerAverage: Double?
        package var trend: [LiveSentimentPoint]

        enum CodingKeys: String, CodingKey {
            case latest
            case customerAverage = "customer_average"
            case trend
        }
    }

    /// How far live transcription is behind the call.
    package struct Transcription: Encodable, Sendable, Equatable {
        package var pendingUtterances: Int
        /// Call time since the oldest untranscribed utterance ended (0 when keeping up).
        package var lagS: Double
        package var failed: Int

        enum CodingKeys: String, CodingKey {
            case pendingUtterances = "pending_utterances"
            case lagS = "lag_s"
            case failed
        }
    }

    package var callS: Double
    package var speaking: [String]
    package var talkS: [String: Double]
    package var talkRatio: [String: Double]
    package var silenceS: Double
    package var currentSilenceS: Double
    package var overTalkS: Double
    package var currentOverTalkS: Double
    package var interruptions: [String: Int]
    package var sentiment: Sentiment
    package var transcription: Transcription
    package var connected: Bool

    enum CodingKeys: String, CodingKey {
        case callS = "call_s"
        case speaking
        case talkS = "talk_s"
        case talkRatio = "talk_ratio"
        case silenceS = "silence_s"
        case currentSilenceS = "current_silence_s"
        case overTalkS = "over_talk_s"
        case currentOverTalkS = "current_over_talk_s"
        case interruptions, sentiment, transcription, connected
    }
}

/// One utterance's sentiment, for the trend line.
package struct LiveSentimentPoint: Encodable, Sendable, Equatable {
    package var atS: Double
    package var speaker: String
    package var score: Double

    enum CodingKeys: String, CodingKey {
        case atS = "at_s"
        case speaker, score
    }
}

/// The `data` of an `alert` event.
package struct LiveAlert: Encodable, Sendable, Equatable {
    /// `dead_air`, `over_talk`, `negative_sentiment` or `keyword`.
    package var kind: String
    package var message: String
    package var atS: Double
    package var durationS: Double?
    package var speaker: String?
    package var keyword: String?
    package var text: String?

    init(
        kind: String, message: String, atS: Double, durationS: Double? = nil, speaker: String? = nil,
        keyword: String? = nil, text: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.atS = (atS * 100).rounded() / 100
        self.durationS = durationS.map { ($0 * 100).rounded() / 100 }
        self.speaker = speaker
        self.keyword = keyword
        self.text = text
    }

    enum CodingKeys: String, CodingKey {
        case kind, message
        case atS = "at_s"
        case durationS = "duration_s"
        case speaker, keyword, text
    }
}
