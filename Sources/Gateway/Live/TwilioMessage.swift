/// A Twilio Media Streams message, as Twilio sends it (JSON text frames): `connected`, `start`,
/// `media`, `mark`, `dtmf`, `stop`. Unknown fields are ignored; `event` says which one it is.
struct TwilioMessage: Decodable, Sendable {
    struct Start: Decodable, Sendable {
        var streamSid: String?
        var callSid: String?
        var accountSid: String?
        /// `inbound` (the caller: customer), `outbound` (the agent), or both.
        var tracks: [String]?
        var customParameters: [String: String]?
        var mediaFormat: MediaFormat?
    }

    struct MediaFormat: Decodable, Sendable {
        var encoding: String
        var sampleRate: Int
        var channels: Int
    }

    struct Media: Decodable, Sendable {
        var track: String?
        /// 1, 2, … per track, as a string.
        var chunk: String?
        /// Milliseconds since the stream started, as a string.
        var timestamp: String?
        /// Base64 μ-law bytes.
        var payload: String
    }

    var event: String
    var sequenceNumber: String?
    var streamSid: String?
    var start: Start?
    var media: Media?
}

/// The control messages of `protocol=pcm` (docs/ARCHITECTURE.md §5): `start` with the format, then `stop`.
struct PCMStreamMessage: Decodable, Sendable {
    var event: String
    var sampleRate: Int?
    var channels: Int?
    var encoding: String?

    enum CodingKeys: String, CodingKey {
        case event
        case sampleRate = "sample_rate"
        case channels, encoding
    }
}
