/// What the redaction took out of one recording's transcript and audio (docs/redaction.md): the
/// kinds and counts, where (times and speaker, never the values), whether the audio was muted, and
/// the decisions behind it for the admin audit. Stored with the transcript, in the same
/// transaction; field names are a contract.
package struct RecordingRedaction: Sendable, Codable, Equatable {
    /// `text` or `text+audio`: what was redacted.
    package var mode: String
    /// Findings per kind (`card_number`, `email`, …).
    package var counts: [String: Int]
    package var spans: [Span]
    /// The audio's redaction; nil when the audio was left alone (mode `text`, or nothing found).
    package var audio: Audio?
    /// Every number read and what was decided about it, and every other finding (admin only).
    package var decisions: [Decision]
    /// The redacted recording that replaces the original, applied to the recording's row with the
    /// transcript; where the original was (deleted once the row points to the redacted file).
    package var replacement: Replacement?

    package init(
        mode: String, counts: [String: Int] = [:], spans: [Span] = [], audio: Audio? = nil,
        decisions: [Decision] = [], replacement: Replacement? = nil
    ) {
        self.mode = mode
        self.counts = counts
        self.spans = spans
        self.audio = audio
        self.decisions = decisions
        self.replacement = replacement
    }

    /// Where a finding was said: one speaker's stretch of the recording.
    package struct Span: Sendable, Codable, Equatable {
        package var kind: String
        package var speaker: String
        package var startS: Double
        package var endS: Double
        /// From the words' own times; false when the line had none and its whole span stands in.
        package var wordTimed: Bool

        package init(kind: String, speaker: String, startS: Double, endS: Double, wordTimed: Bool) {
            self.kind = kind
            self.speaker = speaker
            self.startS = startS
            self.endS = endS
            self.wordTimed = wordTimed
        }

        enum CodingKeys: String, CodingKey {
            case kind, speaker
            case startS = "start_s"
            case endS = "end_s"
            case wordTimed = "word_timed"
        }
    }

    /// How the audio was redacted.
    package struct Audio: Sendable, Codable, Equatable {
        /// Stretches muted (the spans with the safety margin, overlapping ones merged).
        package var mutedSpans: Int
        package var mutedS: Double
        /// `silence`.
        package var fill: String
        /// `deleted`, or `sealed` when `CALLPIPE_PII_KEEP_ORIGINAL` keeps it encrypted.
        package var original: String

        package init(mutedSpans: Int, mutedS: Double, fill: String, original: String) {
            self.mutedSpans = mutedSpans
            self.mutedS = mutedS
            self.fill = fill
            self.original = original
        }

        enum CodingKeys: String, CodingKey {
            case mutedSpans = "muted_spans"
            case mutedS = "muted_s"
            case fill, original
        }
    }

    /// One decision for the audit: what was redacted or kept, why, and a keyed hash of the value
    /// (the same value gives the same hash on this server, so repeats show; the value never does).
    package struct Decision: Sendable, Codable, Equatable {
        /// The kind redacted as, or `kept`.
        package var outcome: String
        /// For numbers: the mention before it (`card`, `decoy`, …) or `none`; else the rule (`pattern`).
        package var reason: String
        package var speaker: String
        package var startS: Double
        /// Digits in a number; characters in anything else.
        package var length: Int
        package var valueHash: String

        package init(outcome: String, reason: String, speaker: String, startS: Double, length: Int, valueHash: String) {
            self.outcome = outcome
            self.reason = reason
            self.speaker = speaker
            self.startS = startS
            self.length = length
            self.valueHash = valueHash
        }

        enum CodingKeys: String, CodingKey {
            case outcome, reason, speaker
            case startS = "start_s"
            case length
            case valueHash = "value_hash"
        }
    }

    /// The redacted file that takes the original's place.
    package struct Replacement: Sendable, Codable, Equatable {
        package var location: String
        package var bytes: Int64
        package var contentType: String
        package var format: String
        package var codec: String
        /// The original's location, deleted after the row points to `location`.
        package var originalLocation: String
        /// Where the sealed original is kept (`CALLPIPE_PII_KEEP_ORIGINAL`), else nil.
        package var sealedOriginal: String?

        package init(
            location: String, bytes: Int64, contentType: String, format: String, codec: String,
            originalLocation: String, sealedOriginal: String?
        ) {
            self.location = location
            self.bytes = bytes
            self.contentType = contentType
            self.format = format
            self.codec = codec
            self.originalLocation = originalLocation
            self.sealedOriginal = sealedOriginal
        }

        enum CodingKeys: String, CodingKey {
            case location, bytes
            case contentType = "content_type"
            case format, codec
            case originalLocation = "original_location"
            case sealedOriginal = "sealed_original"
        }
    }

    enum CodingKeys: String, CodingKey {
        case mode, counts, spans, audio, decisions, replacement
    }
}
