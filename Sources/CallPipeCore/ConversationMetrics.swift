package import AIClients
package import Audio

/// Talk speed and questions per party, and the customer's share of the questions
/// (docs/ARCHITECTURE.md §8): words from the transcript, talk time from the
/// talk-time analysis. Field names are a contract.
///
/// The parties are the analysis's speakers (`agent` and `customer`, or `unknown` for mono); a
/// line whose speaker is no party counts for `unknown` when that is one (a mono call whose lines
/// the analyzer attributed). Without a transcript (not yet transcribed, failed, or no speech) every
/// count is `null`, not 0. The customer's share is over the questions attributed to the agent or
/// the customer.
package struct ConversationMetrics: Sendable, Codable, Equatable {
    package var speakers: [String: Party]
    /// All questions in the call; `null` without a transcript.
    package var questions: Int?
    /// Customer questions over agent and customer questions, 0…1; `null` when there are none.
    package var customerQuestionShare: Double?

    /// One party's words, talk time and questions.
    package struct Party: Sendable, Codable, Equatable {
        package var words: Int?
        /// Talk seconds from the talk-time analysis; `null` when the analysis has no such speaker.
        package var talkS: Double?
        /// Words per minute of the party's own talk time; `null` without a transcript or talk time.
        package var talkSpeedWPM: Double?
        /// Sentences ending in `?`.
        package var questions: Int?

        package init(words: Int?, talkS: Double?, talkSpeedWPM: Double?, questions: Int?) {
            self.words = words
            self.talkS = talkS
            self.talkSpeedWPM = talkSpeedWPM
            self.questions = questions
        }

        enum CodingKeys: String, CodingKey {
            case words
            case talkS = "talk_s"
            case talkSpeedWPM = "talk_speed_wpm"
            case questions
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(words, forKey: .words)
            try container.encode(talkS, forKey: .talkS)
            try container.encode(talkSpeedWPM, forKey: .talkSpeedWPM)
            try container.encode(questions, forKey: .questions)
        }
    }

    package init(speakers: [String: Party], questions: Int?, customerQuestionShare: Double?) {
        self.speakers = speakers
        self.questions = questions
        self.customerQuestionShare = customerQuestionShare
    }

    /// From a call's transcript segments and its talk seconds per speaker (to a hundredth).
    package init(segments: [TranscriptSegment], talkSeconds: [String: Double]) {
        let unknown = Speaker.unknown.rawValue
        let talkSeconds = talkSeconds.mapValues { ($0 * 100).rounded() / 100 }
        guard !segments.isEmpty else {
            self.init(
                speakers: talkSeconds.mapValues { Party(words: nil, talkS: $0, talkSpeedWPM: nil, questions: nil) },
                questions: nil, customerQuestionShare: nil)
            return
        }
        var words = talkSeconds.mapValues { _ in 0 }
        var questions = words
        var questionsByLabel: [String: Int] = [:]
        for segment in segments {
            let party =
                talkSeconds[segment.speaker] == nil && talkSeconds[unknown] != nil ? unknown : segment.speaker
            let asked = TranscriptText.questions(in: segment.text)
            words[party, default: 0] += TranscriptText.words(in: segment.text)
            questions[party, default: 0] += asked
            questionsByLabel[segment.speaker, default: 0] += asked
        }
        var speakers: [String: Party] = [:]
        for (party, count) in words {
            let talk = talkSeconds[party]
            speakers[party] = Party(
                words: count, talkS: talk, talkSpeedWPM: Self.wordsPerMinute(count, talkS: talk),
                questions: questions[party] ?? 0)
        }
        let customer = questionsByLabel[Speaker.customer.rawValue] ?? 0
        let attributed = customer + (questionsByLabel[Speaker.agent.rawValue] ?? 0)
        self.init(
            speakers: speakers, questions: questions.values.reduce(0, +),
            customerQuestionShare: attributed > 0 ? (Double(customer) / Double(attributed) * 100).rounded() / 100 : nil)
    }

    /// From a call's transcript and its recordings' analyses (talk time summed per speaker).
    package init(transcript: Transcript, analyses: some Sequence<AudioAnalysis>) {
        var talk: [String: Double] = [:]
        for analysis in analyses {
            for (speaker, stats) in analysis.speakers { talk[speaker, default: 0] += stats.talkS }
        }
        self.init(segments: transcript.segments, talkSeconds: talk)
    }

    /// Words per minute, to a tenth; `nil` when there is no talk time to divide by.
    static func wordsPerMinute(_ words: Int, talkS: Double?) -> Double? {
        guard let talkS, talkS > 0, talkS.isFinite else { return nil }
        return (Double(words) / talkS * 600).rounded() / 10
    }

    enum CodingKeys: String, CodingKey {
        case speakers, questions
        case customerQuestionShare = "customer_question_share"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(speakers, forKey: .speakers)
        try container.encode(questions, forKey: .questions)
        try container.encode(customerQuestionShare, forKey: .customerQuestionShare)
    }
}
