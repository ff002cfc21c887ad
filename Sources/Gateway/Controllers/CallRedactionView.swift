import CallPipeCore
import Hummingbird

/// What a call shows of its redaction (docs/redaction.md "What a call shows"): the mode, the
/// count per kind and where each finding was said — never a value. The decisions behind it are
/// the admin audit's (`RedactionAudit`).
struct CallRedactionView: Codable, Equatable {
    var mode: String
    var counts: [String: Int]
    var spans: [Span]
    /// Per recording whose audio was muted.
    var audio: [Audio]

    struct Span: Codable, Equatable {
        var recordingID: String
        var kind: String
        var speaker: String
        var startS: Double
        var endS: Double
        var wordTimed: Bool

        enum CodingKeys: String, CodingKey {
            case recordingID = "recording_id"
            case kind, speaker
            case startS = "start_s"
            case endS = "end_s"
            case wordTimed = "word_timed"
        }
    }

    struct Audio: Codable, Equatable {
        var recordingID: String
        var mutedSpans: Int
        var mutedS: Double
        var fill: String
        var original: String

        enum CodingKeys: String, CodingKey {
            case recordingID = "recording_id"
            case mutedSpans = "muted_spans"
            case mutedS = "muted_s"
            case fill, original
        }
    }

    /// The call's recordings' redactions as one; nil when none of them was redacted (mode off).
    init?(_ redactions: [String: RecordingRedaction]) {
        guard !redactions.isEmpty else { return nil }
        let ordered = redactions.sorted { $0.key < $1.key }
        mode = Set(ordered.map(\.value.mode)).sorted().joined(separator: ",")
        counts = ordered.reduce(into: [:]) { counts, entry in
            for (kind, count) in entry.value.counts { counts[kind, default: 0] += count }
        }
        spans = ordered.flatMap { id, redaction in
            redaction.spans.map {
                Span(
                    recordingID: id, kind: $0.kind, speaker: $0.speaker, startS: $0.startS, endS: $0.endS,
                    wordTimed: $0.wordTimed)
            }
        }.sorted { ($0.startS, $0.recordingID) < ($1.startS, $1.recordingID) }
        audio = ordered.compactMap { id, redaction in
            redaction.audio.map {
                Audio(
                    recordingID: id, mutedSpans: $0.mutedSpans, mutedS: $0.mutedS, fill: $0.fill, original: $0.original)
            }
        }
    }
}

/// `GET /api/calls/{id}/redactions` (admins): every recording's decisions — each number read and
/// what was made of it, each other finding — with a keyed hash of the value, for tuning the
/// redaction without seeing what was said.
struct RedactionAudit: ResponseEncodable, Equatable {
    var callID: String
    var recordings: [Recording]

    struct Recording: Codable, Equatable {
        var recordingID: String
        var mode: String
        var decisions: [RecordingRedaction.Decision]
        /// Whether the original audio is kept sealed (`CALLPIPE_PII_KEEP_ORIGINAL`).
        var originalSealed: Bool

        enum CodingKeys: String, CodingKey {
            case recordingID = "recording_id"
            case mode, decisions
            case originalSealed = "original_sealed"
        }
    }

    enum CodingKeys: String, CodingKey {
        case callID = "call_id"
        case recordings
    }
}
