/// A call's transcript (docs/ARCHITECTURE.md §3 `CallReport.transcript`): segments in time order, each with
/// its speaker. Field names are a contract.
package struct Transcript: Sendable, Codable, Equatable {
    /// ISO-639-1 code or the model's language name, when known.
    package var language: String?
    package var segments: [TranscriptSegment]

    package init(language: String? = nil, segments: [TranscriptSegment] = []) {
        self.language = language
        self.segments = segments
    }

    /// All text, one segment per line, prefixed with its speaker.
    package var speakerLines: String {
        segments.map { "\($0.speaker): \($0.text)" }.joined(separator: "\n")
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(language, forKey: .language)
        try container.encode(segments, forKey: .segments)
    }

    enum CodingKeys: String, CodingKey { case language, segments }
}

/// One stretch of speech with its words.
package struct TranscriptSegment: Sendable, Codable, Equatable {
    /// `agent`, `customer`, `unknown`, or a diarization label until attributed.
    package var speaker: String
    package var startS: Double
    package var endS: Double
    package var text: String
    /// 0…1, from the model's average log probability and no-speech probability; `nil` if the
    /// model reports neither.
    package var confidence: Double?
    /// −1…1, filled in by the call analyzer.
    package var sentiment: Double?
    /// The line's words with their times, when the model gave word timestamps; absent otherwise.
    package var words: [TranscriptWord]?

    package init(
        speaker: String, startS: Double, endS: Double, text: String, confidence: Double? = nil,
        sentiment: Double? = nil, words: [TranscriptWord]? = nil
    ) {
        self.speaker = speaker
        self.startS = startS
        self.endS = endS
        self.text = text
        self.confidence = confidence
        self.sentiment = sentiment
        self.words = words
    }

    enum CodingKeys: String, CodingKey {
        case speaker
        case startS = "start_s"
        case endS = "end_s"
        case text, confidence, sentiment, words
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(speaker, forKey: .speaker)
        try container.encode(startS, forKey: .startS)
        try container.encode(endS, forKey: .endS)
        try container.encode(text, forKey: .text)
        try container.encode(confidence, forKey: .confidence)
        try container.encode(sentiment, forKey: .sentiment)
        try container.encodeIfPresent(words, forKey: .words)
    }
}
