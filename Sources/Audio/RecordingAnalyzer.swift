/// Analyses a recording file end to end: FFmpeg decoding, voice activity per channel, talk-time
/// analytics. The whole pass streams on a `NIOThreadPool` thread, so memory does not grow with
/// the call's length: only speech spans (a few per minute) are kept.
package struct RecordingAnalyzer: Sendable {
    package var decoder: AudioFileDecoder
    package var voiceActivity: VoiceActivityConfiguration
    package var talkTime: TalkTimeConfiguration

    package init(
        decoder: AudioFileDecoder = .init(), voiceActivity: VoiceActivityConfiguration = .init(),
        talkTime: TalkTimeConfiguration = .init()
    ) {
        self.decoder = decoder
        self.voiceActivity = voiceActivity
        self.talkTime = talkTime
    }

    /// Talk-time analytics of the file at `path`.
    package func analyze(_ path: String) async throws -> AudioAnalysis {
        TalkTimeAnalyzer(configuration: talkTime).analyze(try await detectSpeech(path))
    }

    /// Speech spans per channel of the file at `path`.
    package func detectSpeech(_ path: String) async throws -> SpeechDetection {
        let configuration = voiceActivity
        return try await decoder.withSession(path) { session in
            try Self.detectSpeech(in: session, configuration: configuration)
        }
    }

    /// The synchronous pass, for callers already on a pool thread.
    package static func detectSpeech(
        in session: DecodingSession, configuration: VoiceActivityConfiguration
    ) throws -> SpeechDetection {
        let info = session.info
        var detector = VoiceActivityDetector(
            channels: info.channels, sampleRate: info.sampleRate, configuration: configuration)
        var spans: [SpeechSpan] = []
        var similarity = ChannelSimilarity()
        var frames = 0
        try session.forEachChunk { chunk in
            frames += chunk.frameCount
            if chunk.channels.count == 2 { similarity.add(chunk.channels[0], chunk.channels[1]) }
            spans.append(contentsOf: detector.process(chunk.channels).completedSpans)
        }
        spans.append(contentsOf: detector.finish().completedSpans)
        let mode: SpeechDetection.ChannelMode =
            info.channels == 1 ? .mono : similarity.isDuplicated ? .duplicated : .separate
        if mode == .duplicated { spans.removeAll { $0.channel != 0 } }
        spans.sort { ($0.start, $0.channel) < ($1.start, $1.channel) }
        return SpeechDetection(
            source: info, duration: Double(frames) / Double(info.sampleRate), channelMode: mode, spans: spans)
    }
}

extension [VoiceActivityEvent] {
    /// The finished spans among these events.
    package var completedSpans: [SpeechSpan] {
        compactMap { event in
            if case .speechEnded(let span) = event { span } else { nil }
        }
    }
}
