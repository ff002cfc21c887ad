package import Audio

/// How a recording is cut, encoded and sent for transcription.
package struct CallTranscriptionConfiguration: Sendable, Equatable {
    /// Chunk limits: Whisper takes 25 MiB per upload; 10 minutes keeps each request short.
    package var chunking: SilenceChunker.Configuration = .init(
        maxDuration: 600, maxBytes: 24 * 1_024 * 1_024, format: .flac)
    /// Chunks transcribed at once.
    package var concurrency: Int = 4
    /// Seconds of audio kept around each speech span: the fewest word errors on the real-speech
    /// set of 0.3–0.7 s once the server's temperature fallback stopped the loops that more
    /// context around short phrases used to set off (docs/quality.md).
    package var gatePadding: Double = 0.5
    /// Seconds of silence between speech pieces in a compacted chunk: enough for the model to
    /// hear a sentence end.
    package var compactionGap: Double = 0.6
    /// A segment whose no-speech probability is at least this, over audio our VAD calls silent,
    /// is a hallucination and dropped.
    package var hallucinationNoSpeechProbability: Double = 0.5
    /// A line ends where its speaker pauses longer than this (seconds), so no line spans the
    /// speaker's silence: click-to-seek and subtitles land on the words.
    package var maxLinePause: Double = 1.0
    /// Which speaker each channel carries.
    package var channelMap: ChannelMap = .agentLeft

    package init() {}
}
