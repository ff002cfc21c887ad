/// How a recording is decoded.
package struct AudioDecoderConfiguration: Sendable, Equatable {
    /// The sample rate of the decoded PCM in Hz; `nil` keeps the source's rate.
    package var targetSampleRate: Int?
    /// Frames per delivered chunk (the last chunk may be shorter). Bounds the decoder's memory.
    package var chunkFrames: Int
    /// Decode a file whose data ends before its header says instead of failing with `.truncated`.
    package var allowTruncated: Bool

    package init(targetSampleRate: Int? = 16_000, chunkFrames: Int = 16_000, allowTruncated: Bool = false) {
        self.targetSampleRate = targetSampleRate
        self.chunkFrames = chunkFrames
        self.allowTruncated = allowTruncated
    }
}
