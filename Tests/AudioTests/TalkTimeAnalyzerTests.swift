import Testing

@testable import Audio

@Suite("Talk-time analytics", .timeLimit(.minutes(3)))
struct TalkTimeAnalyzerTests {
    static let source = AudioSourceInfo(
        containerFormat: "wav", format: "wav", codec: "pcm_s16le", sourceSampleRate: 8_000, sourceChannels: 2,
        layout: "stereo", sampleRate: 16_000, channels: 2, declaredDuration: nil)

    static func detection(
        _ spans: [(Int, Double, Double)], duration: Double, mode: SpeechDetection.ChannelMode = .separate
    )
        -> SpeechDetection
    {
        SpeechDetection(
            source: source, duration: duration, channelMode: mode,
            spans: spans.map { SpeechSpan(channel: $0.0, start: $0.1, end: $0.2, meanSquare: 0.01, speechFrames: 10) })
    }

    @Test func computesTheDesignDocumentsFields() throws {
        // Agent talks, customer answers, agent talks again and the customer interrupts at 8 s.
        let analysis = TalkTimeAnalyzer().analyze(
            Self.detection([(0, 0.5, 4), (1, 4.3, 5.8), (0, 6, 9), (1, 8, 10), (0, 12.5, 14)], duration: 17))
        let agent = try #require(analysis.speakers["agent"])
        let customer = try #require(analysis.speakers["customer"])
        #expect(agent.talkS == 8 && customer.talkS == 3.5)
        #expect(agent.turns == 3 && customer.turns == 2)
        #expect(agent.longestTurnS == 3.5 && customer.longestTurnS == 2)
        #expect(agent.share == 0.7 && customer.share == 0.3)
        #expect(agent.loudnessDBFS == -20)
        #expect(analysis.overlap == TimeStretches(totalS: 1, instances: [TimeRange(startS: 8, endS: 9)]))
        #expect(analysis.interruptions == ["agent": 0, "customer": 1])
        #expect(analysis.nonTalk.totalS == 6.5)
        #expect(analysis.nonTalk.instances == [TimeRange(startS: 10, endS: 12.5), TimeRange(startS: 14, endS: 17)])
        #expect(analysis.segments.map(\.speaker) == [.agent, .customer, .agent, .customer, .agent])
    }

    @Test func joinsAPausedSpeakersSegmentsIntoOneTurn() throws {
        let analysis = TalkTimeAnalyzer().analyze(Self.detection([(0, 0, 2), (0, 2.8, 4), (1, 7, 8)], duration: 9))
        let agent = try #require(analysis.speakers["agent"])
        #expect(agent.turns == 1)
        #expect(agent.longestTurnS == 4)
        #expect(agent.talkS == 3.2)
    }

    @Test func doesNotCountBoundaryJitterAsInterruption() {
        // The customer starts 0.1 s before the agent's segment ends: turn-taking, not interrupting.
        let analysis = TalkTimeAnalyzer().analyze(Self.detection([(0, 0, 3), (1, 2.9, 5)], duration: 6))
        #expect(analysis.interruptions == ["agent": 0, "customer": 0])
        #expect(analysis.overlap.totalS == 0.1)
    }

    @Test func reportsSilentSpeakersWithZeroTalkAndNoLoudness() throws {
        let analysis = TalkTimeAnalyzer().analyze(Self.detection([(0, 1, 2)], duration: 3))
        let customer = try #require(analysis.speakers["customer"])
        #expect(customer.talkS == 0 && customer.turns == 0 && customer.loudnessDBFS == nil && customer.share == 0)
    }

    @Test func followsTheCallsChannelMap() {
        var configuration = TalkTimeConfiguration()
        configuration.channelMap = ChannelMap([.customer, .agent])
        let analysis = TalkTimeAnalyzer(configuration: configuration).analyze(Self.detection([(0, 0, 2)], duration: 3))
        #expect(analysis.speakers["customer"]?.talkS == 2)
        #expect(analysis.speakers["agent"]?.talkS == 0)
    }

    @Test func attributesMonoToUnknown() {
        let analysis = TalkTimeAnalyzer().analyze(Self.detection([(0, 0, 2), (0, 5, 6)], duration: 8, mode: .mono))
        #expect(Array(analysis.speakers.keys) == ["unknown"])
        #expect(analysis.interruptions == ["unknown": 0])
        #expect(analysis.nonTalk.instances == [TimeRange(startS: 2, endS: 5), TimeRange(startS: 6, endS: 8)])
    }
}
