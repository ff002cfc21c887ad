/// How a recording is decoded, and the bounds a decode stays within whatever the file claims.
package struct AudioDecoderConfiguration: Sendable, Equatable {
    /// Source sample rates the decoder accepts, in Hz.
    package static let sourceSampleRates = 4_000...192_000
    /// Source channel counts the decoder accepts.
    package static let sourceChannels = 1...8

    /// The sample rate of the decoded PCM in Hz; `nil` keeps the source's rate.
    package var targetSampleRate: Int?
    /// Frames per delivered chunk (the last chunk may be shorter). Bounds the decoder's memory.
    package var chunkFrames: Int
    /// Decode a file whose data ends before its header says instead of failing with `.truncated`.
    package var allowTruncated: Bool
    /// The longest recording decoded, in seconds, silence inserted at timestamp gaps included;
    /// longer ones fail with `.tooLong` (`CALLPIPE_MAX_AUDIO_SECONDS`, default 4 h).
    package var maxSeconds: Double
    /// Seconds one decode (open, decode and whatever the caller does with the chunks) may take
    /// before it fails with `.timedOut` (`CALLPIPE_DECODE_TIMEOUT_S`, default 10 min).
    package var timeout: Double
    /// Threads of the server's decoder pool: decodes running at once (`CALLPIPE_DECODE_THREADS`).
    package var threads: Int

    package init(
        targetSampleRate: Int? = 16_000, chunkFrames: Int = 16_000, allowTruncated: Bool = false,
        maxSeconds: Double = 14_400, timeout: Double = 600, threads: Int = 2
    ) {
        self.targetSampleRate = targetSampleRate
        self.chunkFrames = chunkFrames
        self.allowTruncated = allowTruncated
        self.maxSeconds = maxSeconds
        self.timeout = timeout
        self.threads = threads
    }

    /// "4 h", "10 min", "2 s": a limit as people read it.
    package static func describe(seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 1, seconds < 1e9 else { return "\(seconds) s" }
        let whole = Int(seconds)
        if Double(whole) != seconds { return "\(seconds) s" }
        if whole % 3_600 == 0 { return "\(whole / 3_600) h" }
        if whole % 60 == 0 { return "\(whole / 60) min" }
        return "\(whole) s"
    }
}
