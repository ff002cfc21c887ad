import Audio

/// Streaming endpointing for live calls: the detector's speech segments per channel, ended after
/// `endpointSilence` of silence (the detector's hangover) or cut at `maxUtterance`.
struct LiveEndpointer {
    struct Output {
        /// Utterances that ended, as (channel, start, end).
        var ended: [(channel: Int, start: Double, end: Double)] = []
        /// The detector's own events, for talk-time and alerts.
        var events: [VoiceActivityEvent] = []
    }

    private var detector: VoiceActivityDetector
    private let maxUtterance: Double
    /// Start of each channel's open utterance (moved forward when it is cut).
    private(set) var openStarts: [Double?]

    init(channels: Int, sampleRate: Int, configuration: LiveSessionConfiguration) {
        var detection = VoiceActivityConfiguration()
        detection.minSilenceDuration = configuration.endpointSilence
        detector = VoiceActivityDetector(channels: channels, sampleRate: sampleRate, configuration: detection)
        maxUtterance = configuration.maxUtterance
        openStarts = Array(repeating: nil, count: channels)
    }

    /// Feeds planar samples ending at call time `now`.
    mutating func process(_ planar: [[Float]], now: Double) -> Output {
        var output = Output()
        output.events = detector.process(planar)
        apply(&output)
        for channel in openStarts.indices {
            if let start = openStarts[channel], now - start >= maxUtterance {
                output.ended.append((channel, start, now))
                openStarts[channel] = now
            }
        }
        return output
    }

    /// Ends the stream: open speech ends where the audio does.
    mutating func finish() -> Output {
        var output = Output()
        output.events = detector.finish()
        apply(&output)
        return output
    }

    private mutating func apply(_ output: inout Output) {
        for event in output.events {
            switch event {
            case .speechStarted(let channel, let time):
                openStarts[channel] = time
            case .speechEnded(let span):
                let start = max(openStarts[span.channel] ?? span.start, span.start)
                openStarts[span.channel] = nil
                if span.end - start >= 0.1 { output.ended.append((span.channel, start, span.end)) }
            case .speechDropped(let channel):
                openStarts[channel] = nil
            }
        }
    }
}
