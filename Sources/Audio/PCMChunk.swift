/// A run of decoded audio: planar 32-bit float samples in −1…1, one array per channel.
///
/// Chunks are what leaves the decoder: plain Sendable values, so they can cross from the thread
/// that runs the C decoder to any consumer.
package struct PCMChunk: Sendable, Equatable {
    /// One array of samples per channel, all the same length.
    package var channels: [[Float]]
    /// The index of this chunk's first frame since the start of the recording.
    package var startFrame: Int
    /// Samples per second.
    package var sampleRate: Int

    package init(channels: [[Float]], startFrame: Int, sampleRate: Int) {
        self.channels = channels
        self.startFrame = startFrame
        self.sampleRate = sampleRate
    }

    /// Frames (samples per channel) in this chunk.
    package var frameCount: Int { channels.first?.count ?? 0 }

    /// The chunk's start time in seconds.
    package var startTime: Double { Double(startFrame) / Double(sampleRate) }
}
