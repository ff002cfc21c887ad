import Foundation
import Testing

@testable import Audio

@Suite("Voice activity detection", .timeLimit(.minutes(3)))
struct VoiceActivityDetectorTests {
    @Test func findsSpeechBetweenSilencesWithTightBoundaries() {
        var signal = SyntheticSignal()
        var track = signal.noise(seconds: 7, dbfs: -60)
        signal.mix(signal.speech(seconds: 3, dbfs: -20), into: &track, at: 2)
        var detector = VoiceActivityDetector(channels: 1, sampleRate: 16_000)
        let spans = detector.spans(of: [track], step: 320)
        #expect(spans.count == 1)
        let span = try! #require(spans.first)
        #expect(abs(span.start - 2) <= 0.04)
        #expect(abs(span.end - 5) <= 0.06)
        #expect(abs(10 * log10(span.meanSquare) - -20) < 3)
    }

    @Test func ignoresSteadyLineNoiseEvenWhenLoud() {
        var signal = SyntheticSignal()
        for level: Float in [-60, -45, -35, -25] {
            var detector = VoiceActivityDetector(channels: 1, sampleRate: 16_000)
            #expect(
                detector.spans(of: [signal.noise(seconds: 20, dbfs: level)], step: 320).isEmpty,
                "noise at \(level) dBFS")
        }
    }

    @Test func ignoresTheOtherPartysBleedAt30dBDown() {
        var signal = SyntheticSignal()
        let length = 16_000 * 8
        var agent = signal.noise(seconds: 8, dbfs: -62)
        var customer = signal.noise(seconds: 8, dbfs: -62)
        let speech = signal.speech(seconds: 5, dbfs: -12)  // A loud agent.
        signal.mix(speech, into: &agent, at: 1.5)
        signal.mix(speech, into: &customer, at: 1.5, gainDB: -30)
        #expect(agent.count == length)
        var detector = VoiceActivityDetector(channels: 2, sampleRate: 16_000)
        let spans = detector.spans(of: [agent, customer], step: 320)
        #expect(spans.filter { $0.channel == 0 }.count == 1)
        #expect(spans.filter { $0.channel == 1 }.isEmpty)
    }

    @Test func keepsRealOverlapOnBothChannels() {
        var signal = SyntheticSignal()
        var agent = signal.noise(seconds: 8, dbfs: -62)
        var customer = signal.noise(seconds: 8, dbfs: -62)
        signal.mix(signal.speech(seconds: 5, dbfs: -18), into: &agent, at: 1)
        signal.mix(signal.speech(seconds: 2, dbfs: -26), into: &customer, at: 4)
        var detector = VoiceActivityDetector(channels: 2, sampleRate: 16_000)
        let spans = detector.spans(of: [agent, customer], step: 320)
        let customerSpans = spans.filter { $0.channel == 1 }
        #expect(customerSpans.count == 1)
        #expect(abs((customerSpans.first?.duration ?? 0) - 2) < 0.15)
    }

    @Test func dropsClicksShorterThanSpeech() {
        var signal = SyntheticSignal()
        var track = signal.noise(seconds: 10, dbfs: -60)
        for second in 1..<10 { signal.mix(signal.noise(seconds: 0.05, dbfs: -10), into: &track, at: Double(second)) }
        var detector = VoiceActivityDetector(channels: 1, sampleRate: 16_000)
        #expect(detector.spans(of: [track], step: 320).isEmpty)
    }

    @Test(arguments: [(0.3, 1), (0.8, 2)])
    func bridgesPausesShorterThanHalfASecond(pause: Double, expectedSpans: Int) {
        var signal = SyntheticSignal()
        var track = signal.noise(seconds: 6, dbfs: -60)
        signal.mix(signal.speech(seconds: 1.5, dbfs: -20), into: &track, at: 1)
        signal.mix(signal.speech(seconds: 1.5, dbfs: -20), into: &track, at: 2.5 + pause)
        var detector = VoiceActivityDetector(channels: 1, sampleRate: 16_000)
        #expect(detector.spans(of: [track], step: 320).count == expectedSpans)
    }

    @Test func givesTheSameSpansWhateverTheFeedSize() {
        var signal = SyntheticSignal(sampleRate: 8_000)
        var track = signal.noise(seconds: 12, dbfs: -58)
        signal.mix(signal.speech(seconds: 2, dbfs: -22), into: &track, at: 1)
        signal.mix(signal.speech(seconds: 3, dbfs: -22), into: &track, at: 6)
        let results = [160, 137, 4_000, track.count].map { step in
            var detector = VoiceActivityDetector(channels: 1, sampleRate: 8_000)
            return detector.spans(of: [track], step: step)
        }
        #expect(results[0].count == 2)
        #expect(results.allSatisfy { $0 == results[0] })
    }

    @Test func reportsEventsWithBoundedDelay() {
        var signal = SyntheticSignal()
        var track = signal.noise(seconds: 10, dbfs: -60)
        signal.mix(signal.speech(seconds: 3, dbfs: -20), into: &track, at: 2)
        signal.mix(signal.speech(seconds: 1, dbfs: -20), into: &track, at: 7)
        var detector = VoiceActivityDetector(channels: 1, sampleRate: 16_000)
        let configuration = detector.configuration
        var reports: [(event: VoiceActivityEvent, at: Double)] = []
        for frame in 0..<(track.count / 320) {
            let now = Double(frame + 1) * 0.02
            reports += detector.process([Array(track[(frame * 320)..<((frame + 1) * 320)])]).map { ($0, now) }
        }
        #expect(reports.count == 4)
        for report in reports {
            switch report.event {
            case .speechStarted(_, let time):
                #expect(report.at - time <= configuration.maxConfirmDelay + 0.02)
            case .speechEnded(let span):
                #expect(report.at - span.end <= configuration.minSilenceDuration + 0.04)
            case .speechDropped:
                Issue.record("no steady sound in this signal")
            }
        }
    }
}

extension VoiceActivityDetectorTests {
    /// Hold music on the agent's channel is not the agent talking: it holds its level where
    /// speech dips between syllables.
    @Test(arguments: [1.0, 0.25])
    func holdMusicIsNotSpeech(pauseBeforeTheMusic: Double) {
        var signal = SyntheticSignal()
        var track = signal.noise(seconds: 16, dbfs: -55)
        signal.mix(signal.speech(seconds: 3, dbfs: -20), into: &track, at: 1)
        signal.mix(Self.holdMusic(seconds: 10), into: &track, at: 4 + pauseBeforeTheMusic)
        var detector = VoiceActivityDetector(channels: 1, sampleRate: 16_000)
        let spans = detector.spans(of: [track], step: 320)
        let talk = spans.reduce(0) { $0 + $1.duration }
        // The speech keeps its edges, even when the music follows within the pause rule and
        // the segment runs on into it; the music's first second, which the steady-sound test
        // needs to hear before it can tell, is taken back: at most a frame or two of it remains.
        #expect(spans.count == 1, "\(spans)")
        #expect(abs(spans.first!.start - 1) < 0.05 && abs(spans.first!.end - 4) < 0.1, "\(spans)")
        #expect(talk < 3 + 0.1, "\(spans)")
    }

    /// Music a second after the last word, only 8–10 dB above a loud line bed (as on the
    /// real-speech set's holds call), whose first note sags for 0.1 s 0.45 s in: its attack opens
    /// a segment of its own in two runs, and the window the steady-sound test judges began before
    /// that segment did, so all of it is the music (before, the first run — 0.46 s, over the
    /// three-confirmations minimum — was kept as talk; docs/quality.md).
    @Test func holdMusicWhoseFirstNoteSagsIsNotSpeech() {
        var signal = SyntheticSignal()
        var track = signal.noise(seconds: 16, dbfs: -38)
        signal.mix(signal.speech(seconds: 3, dbfs: -20), into: &track, at: 1)
        var music = Self.holdMusic(seconds: 10)
        for index in Int(0.45 * 16_000)..<Int(0.55 * 16_000) { music[index] *= 0.5 }
        signal.mix(music, into: &track, at: 5)
        var detector = VoiceActivityDetector(channels: 1, sampleRate: 16_000)
        let spans = detector.spans(of: [track], step: 320)
        #expect(spans.count == 1, "\(spans)")
        #expect(spans.allSatisfy { $0.end < 4.2 }, "\(spans)")
        #expect(spans.reduce(0) { $0 + $1.duration } < 3 + 0.1, "\(spans)")
    }

    /// A streaming detector reports speech at the music's onset before it can tell; once it can,
    /// it takes the report back (`speechDropped`), and no span follows for it.
    @Test func musicAfterSilenceIsReportedAsDroppedSpeech() {
        var signal = SyntheticSignal()
        var track = signal.noise(seconds: 12, dbfs: -55)
        signal.mix(Self.holdMusic(seconds: 8), into: &track, at: 2)
        var detector = VoiceActivityDetector(channels: 1, sampleRate: 16_000)
        var events: [VoiceActivityEvent] = []
        for frame in 0..<(track.count / 320) {
            events += detector.process([Array(track[(frame * 320)..<((frame + 1) * 320)])])
        }
        events += detector.finish()
        #expect(events.count == 2, "\(events)")
        guard case .speechStarted(0, let time) = events.first else {
            Issue.record("the onset is reported as speech first: \(events)")
            return
        }
        #expect(abs(time - 2) < 0.2)
        #expect(events.last == .speechDropped(channel: 0))
    }

    /// Notes of 0.5 s with soft attacks: chords at −26 dBFS that never dip by 10 dB.
    static func holdMusic(seconds: Double) -> [Float] {
        let rate = 16_000.0
        return (0..<Int(seconds * rate)).map { index -> Float in
            let time = Double(index) / rate
            let note = [220.0, 262.0, 330.0, 294.0][Int(time / 0.5) % 4]
            let envelope = 0.8 + 0.2 * cos(2 * .pi * time)
            return Float(0.05 * envelope * (sin(2 * .pi * note * time) + 0.5 * sin(4 * .pi * note * time)))
        }
    }

    /// Quiet speech on a noisy line loses its soft onsets and tails under the noise: the span is
    /// widened by up to the masked onset and tail, and a pause is judged between the widened edges.
    @Test func widensSpansWhoseEdgesTheNoiseHides() {
        var detector = VoiceActivityDetector(channels: 1, sampleRate: 16_000)
        let spans = detector.spans(of: [quietSpeechOnANoisyLine(fullBand: false)], step: 320)
        let configuration = VoiceActivityConfiguration()
        // 0.6 s apart in energy: one span once part of the widening joins the pause rule.
        #expect(spans.count == 1, "\(spans)")
        let span = try! #require(spans.first)
        #expect(span.start < 2 - 0.5 * configuration.maskedOnset && span.start >= 2 - configuration.maskedOnset - 0.03)
        // The 60 ms level the end is judged on lags a frame or two.
        #expect(span.end > 5.6 + 0.5 * configuration.maskedTail && span.end <= 5.6 + configuration.maskedTail + 0.07)
    }

    /// A full-band channel shows where its words begin and end (sibilants in the high band), so
    /// the same speech at the same depth is widened less than on a phone line.
    @Test func widensFullBandSpansLess() throws {
        var phone = VoiceActivityDetector(channels: 1, sampleRate: 16_000)
        let phoneSpan = try #require(phone.spans(of: [quietSpeechOnANoisyLine(fullBand: false)], step: 320).first)
        var studio = VoiceActivityDetector(channels: 1, sampleRate: 16_000)
        let studioSpan = try #require(studio.spans(of: [quietSpeechOnANoisyLine(fullBand: true)], step: 320).first)
        #expect(studioSpan.start > phoneSpan.start + 0.05, "\(studioSpan) vs \(phoneSpan)")
        #expect(studioSpan.start < 2 + 0.05)
    }

    /// An 8 kHz call cannot carry the high band: even white noise there never makes it full band,
    /// so its spans are widened as a phone line's are.
    @Test func eightKilohertzIsNeverFullBand() throws {
        var signal = SyntheticSignal(sampleRate: 8_000)
        var track = signal.noise(seconds: 8, dbfs: -44)
        signal.mix(signal.speech(seconds: 2, dbfs: -26), into: &track, at: 2)
        var detector = VoiceActivityDetector(channels: 1, sampleRate: 8_000)
        let span = try #require(detector.spans(of: [track], step: 160).first)
        let configuration = VoiceActivityConfiguration()
        #expect(span.start < 2 - 0.5 * configuration.maskedOnset, "\(span)")
    }

    /// Speech at −26 dBFS in −44 dBFS noise: 2 s from 2 s, and 1 s from 4.6 s.
    private func quietSpeechOnANoisyLine(fullBand: Bool) -> [Float] {
        var signal = SyntheticSignal()
        var track = signal.noise(seconds: 8, dbfs: -44)
        signal.mix(signal.speech(seconds: 2, dbfs: -26), into: &track, at: 2)
        signal.mix(signal.speech(seconds: 1, dbfs: -26), into: &track, at: 4.6)
        return fullBand ? track : signal.phoneBand(track)
    }
}
