/// A stretch of speech on one channel, in seconds from the start of the recording.
package struct SpeechSpan: Sendable, Equatable, Codable {
    package var channel: Int
    package var start: Double
    package var end: Double
    /// Mean square level (linear, full scale = 1) of the span's speech frames.
    package var meanSquare: Double
    /// Speech frames the level was measured over.
    package var speechFrames: Int

    package init(channel: Int, start: Double, end: Double, meanSquare: Double = 0, speechFrames: Int = 0) {
        self.channel = channel
        self.start = start
        self.end = end
        self.meanSquare = meanSquare
        self.speechFrames = speechFrames
    }

    package var duration: Double { end - start }
}
