import Foundation

@testable import Audio

/// Test signals with known speech: syllable-like bursts (noise shaped by a 4 Hz envelope, the
/// rhythm of speech) over steady line noise.
struct SyntheticSignal {
    var sampleRate: Int
    var generator = SplitMix64(seed: 42)

    init(sampleRate: Int = 16_000) {
        self.sampleRate = sampleRate
    }

    /// Steady noise with the given RMS level.
    mutating func noise(seconds: Double, dbfs: Float) -> [Float] {
        let amplitude = pow(10, dbfs / 20)
        return (0..<Int(seconds * Double(sampleRate))).map { _ in Float.gaussian(using: &generator) * amplitude }
    }

    /// Speech-like audio whose loud parts have roughly the given RMS level.
    mutating func speech(seconds: Double, dbfs: Float) -> [Float] {
        let amplitude = pow(10, dbfs / 20) * 1.4
        let count = Int(seconds * Double(sampleRate))
        return (0..<count).map { index in
            let time = Double(index) / Double(sampleRate)
            // Syllables: the level dips 20 dB four times a second, as speech does (unlike music,
            // which holds its level), but is never quite silent inside a word.
            let envelope = Float(0.1 + 0.9 * abs(sin(.pi * 4 * time)))
            return Float.gaussian(using: &generator) * amplitude * envelope
        }
    }

    /// What a phone line leaves of `track`: the high band gone (a 4-sample moving average, whose
    /// first null is at a quarter of the rate), white noise's level kept.
    func phoneBand(_ track: [Float]) -> [Float] {
        track.indices.map { index in
            (max(0, index - 3)...index).reduce(Float(0)) { $0 + track[$1] } / 2
        }
    }

    /// Adds `signal` into `track` starting at `seconds`.
    func mix(_ signal: [Float], into track: inout [Float], at seconds: Double, gainDB: Float = 0) {
        let offset = Int(seconds * Double(sampleRate))
        let gain = pow(10, gainDB / 20)
        for (index, sample) in signal.enumerated() where offset + index < track.count {
            track[offset + index] += sample * gain
        }
    }
}

extension VoiceActivityDetector {
    /// Runs the detector over whole channels in pieces of `step` samples; returns all spans.
    mutating func spans(of channels: [[Float]], step: Int) -> [SpeechSpan] {
        var spans: [SpeechSpan] = []
        var offset = 0
        let count = channels[0].count
        while offset < count {
            let end = min(count, offset + step)
            spans += process(channels.map { Array($0[offset..<end]) }).completedSpans
            offset = end
        }
        return spans + finish().completedSpans
    }
}
