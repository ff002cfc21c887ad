/// Talk-time analytics of one recording: the `AudioAnalysis` JSON of docs/ARCHITECTURE.md §3, printed by
/// `callpipe analyze --json` and stored per recording. Field names are a contract.
package struct AudioAnalysis: Sendable, Codable, Equatable {
    package var durationS: Double
    package var format: String
    package var codec: String
    package var sampleRate: Int
    package var sourceSampleRate: Int
    package var channels: Int
    package var layout: String
    /// How channels were attributed to parties (`separate`, `mono`, `duplicated`).
    package var channelMode: SpeechDetection.ChannelMode
    /// Per speaker (`agent`, `customer`, or `unknown` for mono).
    package var speakers: [String: SpeakerTalkTime]
    /// All time nobody speaks; `instances` lists the stretches of at least 2 s (dead air, hold).
    package var nonTalk: TimeStretches
    /// All time two or more speakers talk at once.
    package var overlap: TimeStretches
    /// Per speaker: how often they started talking while another speaker was talking.
    package var interruptions: [String: Int]
    /// Speech segments in time order.
    package var segments: [SpeakerSegment]

    package init(
        durationS: Double, format: String, codec: String, sampleRate: Int, sourceSampleRate: Int, channels: Int,
        layout: String, channelMode: SpeechDetection.ChannelMode, speakers: [String: SpeakerTalkTime],
        nonTalk: TimeStretches, overlap: TimeStretches, interruptions: [String: Int], segments: [SpeakerSegment]
    ) {
        self.durationS = durationS
        self.format = format
        self.codec = codec
        self.sampleRate = sampleRate
        self.sourceSampleRate = sourceSampleRate
        self.channels = channels
        self.layout = layout
        self.channelMode = channelMode
        self.speakers = speakers
        self.nonTalk = nonTalk
        self.overlap = overlap
        self.interruptions = interruptions
        self.segments = segments
    }

    enum CodingKeys: String, CodingKey {
        case durationS = "duration_s"
        case format, codec
        case sampleRate = "sample_rate"
        case sourceSampleRate = "source_sample_rate"
        case channels, layout
        case channelMode = "channel_mode"
        case speakers
        case nonTalk = "non_talk"
        case overlap, interruptions, segments
    }
}

/// One speaker's share of a call.
package struct SpeakerTalkTime: Sendable, Codable, Equatable {
    package var talkS: Double
    package var turns: Int
    package var longestTurnS: Double
    /// Mean level of the speaker's speech in dBFS; `null` when they never spoke.
    package var loudnessDBFS: Double?
    /// Fraction of all talk time (0…1).
    package var share: Double

    package init(talkS: Double, turns: Int, longestTurnS: Double, loudnessDBFS: Double?, share: Double) {
        self.talkS = talkS
        self.turns = turns
        self.longestTurnS = longestTurnS
        self.loudnessDBFS = loudnessDBFS
        self.share = share
    }

    enum CodingKeys: String, CodingKey {
        case talkS = "talk_s"
        case turns
        case longestTurnS = "longest_turn_s"
        case loudnessDBFS = "loudness_dbfs"
        case share
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(talkS, forKey: .talkS)
        try container.encode(turns, forKey: .turns)
        try container.encode(longestTurnS, forKey: .longestTurnS)
        try container.encode(loudnessDBFS, forKey: .loudnessDBFS)
        try container.encode(share, forKey: .share)
    }
}

/// A total and the individual stretches of time that make it up.
package struct TimeStretches: Sendable, Codable, Equatable {
    package var totalS: Double
    package var instances: [TimeRange]

    package init(totalS: Double, instances: [TimeRange]) {
        self.totalS = totalS
        self.instances = instances
    }

    enum CodingKeys: String, CodingKey {
        case totalS = "total_s"
        case instances
    }
}

/// A stretch of time in seconds from the start of the recording.
package struct TimeRange: Sendable, Codable, Equatable {
    package var startS: Double
    package var endS: Double

    package init(startS: Double, endS: Double) {
        self.startS = startS
        self.endS = endS
    }

    enum CodingKeys: String, CodingKey {
        case startS = "start_s"
        case endS = "end_s"
    }
}

/// A speech segment attributed to a speaker.
package struct SpeakerSegment: Sendable, Codable, Equatable {
    package var speaker: Speaker
    package var startS: Double
    package var endS: Double

    package init(speaker: Speaker, startS: Double, endS: Double) {
        self.speaker = speaker
        self.startS = startS
        self.endS = endS
    }

    enum CodingKeys: String, CodingKey {
        case speaker
        case startS = "start_s"
        case endS = "end_s"
    }
}
