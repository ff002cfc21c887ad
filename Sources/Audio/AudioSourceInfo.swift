/// What a decoder learned about a file before decoding it: container, codec and the source's own
/// sample rate and channels, next to the rate and channel count the decoder delivers.
package struct AudioSourceInfo: Sendable, Equatable {
    /// The container format as FFmpeg names it (`wav`, `mp3`, `mov,mp4,m4a,3gp,3g2,mj2`, ...).
    package var containerFormat: String
    /// A short, user-facing format name (`wav`, `mp3`, `m4a`, `ogg`, `webm`, ...).
    package var format: String
    /// The audio codec (`pcm_s16le`, `mp3`, `aac`, `opus`, ...).
    package var codec: String
    /// The source's sample rate in Hz.
    package var sourceSampleRate: Int
    /// The source's channel count.
    package var sourceChannels: Int
    /// The source's channel layout description (`mono`, `stereo`, `5.1`, ...).
    package var layout: String
    /// The sample rate of the decoded PCM.
    package var sampleRate: Int
    /// The channel count of the decoded PCM (sources with more than two channels are mixed to mono).
    package var channels: Int
    /// The duration the container declares, in seconds, when it declares one.
    package var declaredDuration: Double?

    package init(
        containerFormat: String, format: String, codec: String, sourceSampleRate: Int, sourceChannels: Int,
        layout: String, sampleRate: Int, channels: Int, declaredDuration: Double?
    ) {
        self.containerFormat = containerFormat
        self.format = format
        self.codec = codec
        self.sourceSampleRate = sourceSampleRate
        self.sourceChannels = sourceChannels
        self.layout = layout
        self.sampleRate = sampleRate
        self.channels = channels
        self.declaredDuration = declaredDuration
    }
}
