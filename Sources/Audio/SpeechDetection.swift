/// Where a recording has speech, per channel: the output of voice activity detection over a
/// whole file, which talk-time analytics and silence-aligned chunking both start from.
package struct SpeechDetection: Sendable, Equatable {
    /// How the channels of a recording relate to the parties on the call.
    package enum ChannelMode: String, Sendable, Codable, Equatable {
        /// One channel: everyone is mixed together.
        case mono
        /// One party per channel.
        case separate
        /// Two channels carrying the same mix (a mono call saved as stereo): analysed as mono.
        case duplicated
    }

    package var source: AudioSourceInfo
    /// Seconds of decoded audio.
    package var duration: Double
    package var channelMode: ChannelMode
    /// Speech spans of every analysed channel, ordered by start time. In `duplicated` mode only
    /// channel 0's spans are kept.
    package var spans: [SpeechSpan]

    package init(source: AudioSourceInfo, duration: Double, channelMode: ChannelMode, spans: [SpeechSpan]) {
        self.source = source
        self.duration = duration
        self.channelMode = channelMode
        self.spans = spans
    }
}
