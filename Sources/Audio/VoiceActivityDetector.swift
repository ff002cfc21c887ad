import Foundation

/// Energy-based speech/silence detection for every channel of a recording or a live call.
///
/// Streaming: feed audio of any length (`process`), get `VoiceActivityEvent`s with a bounded
/// delay — a start at most `maxConfirmDelay` after speech begins, an end `minSilenceDuration`
/// (plus part of the masked-edge widening on a noisy line) after it stops — and call `finish()`
/// at the end. Each channel has its own adaptive noise
/// floor and hysteresis; across channels a crosstalk gate ignores frames that are far quieter
/// than what another channel just carried, which is what the other party's bleed looks like, and
/// a steady-sound test keeps hold music and tones out, and a channel that carries the high band
/// (not a phone line) keeps most of its visible edges (docs/ARCHITECTURE.md §9).
/// Memory is constant: one partial frame and a few counters per channel.
package struct VoiceActivityDetector: Sendable {
    package let configuration: VoiceActivityConfiguration
    package let sampleRate: Int
    package let channelCount: Int
    /// Samples per analysis frame.
    package let frameLength: Int
    private var trackers: [ChannelSpeechTracker]
    private var floors: [NoiseFloorTracker]
    private var partial: [[Float]]
    private var frameIndex = 0
    /// The last few frame levels of each channel, newest last, for the crosstalk gate.
    private var recentLevels: [[Float]]
    /// The last three frames' mean squares per channel, newest last: a 60 ms level that noise
    /// fluctuates less in than a single frame's.
    private var recentPowers: [[Double]]
    private var levels: [Float]
    private var meanSquares: [Double]
    /// Mean square of the frame's first difference per channel: how much of its energy is high band.
    private var differenceSquares: [Double]
    /// The last sample of each channel's previous frame, for the first difference across frames.
    private var lastSamples: [Float]
    /// Loud frames per channel whose energy was mostly above `fullBandHz` (up to `fullBandFrames`).
    private var highBandFrames: [Int]
    /// The first-difference-to-energy ratio above which a frame's energy is mostly high band;
    /// infinite when the rate cannot carry `fullBandHz` (an 8 kHz call is a phone line).
    private let highBandRatio: Double
    /// The last `steadyWindow` of frame levels per channel (a ring), for the steady-sound test.
    private var windows: [[Float]]
    private var windowNext = 0
    private let steadyFrames: Int
    /// Whether each channel's previous frame was judged steady sound.
    private var wasSteady: [Bool]

    package init(channels: Int, sampleRate: Int, configuration: VoiceActivityConfiguration = .init()) {
        self.configuration = configuration
        self.sampleRate = sampleRate
        channelCount = channels
        frameLength = max(1, Int((Double(sampleRate) * configuration.frameDuration).rounded()))
        trackers = (0..<channels).map { ChannelSpeechTracker(channel: $0, configuration: configuration) }
        let windowFrames = Int(configuration.noiseFloorWindow / configuration.frameDuration)
        floors = Array(repeating: NoiseFloorTracker(windowFrames: windowFrames), count: channels)
        partial = Array(repeating: [], count: channels)
        recentLevels = Array(repeating: [], count: channels)
        recentPowers = Array(repeating: [], count: channels)
        levels = Array(repeating: -120, count: channels)
        meanSquares = Array(repeating: 0, count: channels)
        differenceSquares = Array(repeating: 0, count: channels)
        lastSamples = Array(repeating: 0, count: channels)
        highBandFrames = Array(repeating: 0, count: channels)
        let band = configuration.fullBandHz / Double(sampleRate)
        highBandRatio = band < 0.5 ? 2 - 2 * cos(2 * Double.pi * band) : .infinity
        steadyFrames = max(2, Int((configuration.steadyWindow / configuration.frameDuration).rounded()))
        windows = Array(repeating: [], count: channels)
        wasSteady = Array(repeating: false, count: channels)
    }

    /// Seconds from the start of input to the start of frame `index`.
    package func time(ofFrame index: Int) -> Double {
        Double(index * frameLength) / Double(sampleRate)
    }

    /// Feeds planar samples (one array per channel, equal lengths) and returns the events due.
    package mutating func process(_ channels: [[Float]]) -> [VoiceActivityEvent] {
        precondition(channels.count == channelCount, "one sample array per channel")
        var events: [VoiceActivityEvent] = []
        let count = channels.first?.count ?? 0
        var offset = 0
        // Complete a frame left over from the previous call first.
        if !partial[0].isEmpty {
            let needed = min(frameLength - partial[0].count, count)
            for channel in 0..<channelCount { partial[channel].append(contentsOf: channels[channel][0..<needed]) }
            offset = needed
            guard partial[0].count == frameLength else { return events }
            for channel in 0..<channelCount {
                partial[channel].withUnsafeBufferPointer { measure(channel: channel, $0) }
                partial[channel].removeAll(keepingCapacity: true)
            }
            analyseFrame(into: &events)
        }
        while offset + frameLength <= count {
            for channel in 0..<channelCount {
                channels[channel].withUnsafeBufferPointer {
                    measure(channel: channel, UnsafeBufferPointer(rebasing: $0[offset..<(offset + frameLength)]))
                }
            }
            analyseFrame(into: &events)
            offset += frameLength
        }
        if offset < count {
            for channel in 0..<channelCount { partial[channel].append(contentsOf: channels[channel][offset...]) }
        }
        return events
    }

    /// Ends input: closes open speech (a trailing partial frame is too short to judge).
    package mutating func finish() -> [VoiceActivityEvent] {
        let frameLength = frameLength
        let sampleRate = sampleRate
        let time = { (index: Int) in Double(index * frameLength) / Double(sampleRate) }
        let frame = frameIndex
        return (0..<channelCount).compactMap { trackers[$0].finish(frame: frame, time: time) }
    }

    private mutating func analyseFrame(into events: inout [VoiceActivityEvent]) {
        for channel in 0..<channelCount {
            levels[channel] = Self.decibels(meanSquares[channel])
            recentLevels[channel].append(levels[channel])
            if recentLevels[channel].count > configuration.crosstalkLookbackFrames {
                recentLevels[channel].removeFirst()
            }
            if windows[channel].count < steadyFrames {
                windows[channel].append(levels[channel])
            } else {
                windows[channel][windowNext] = levels[channel]
            }
        }
        if windows[0].count == steadyFrames { windowNext = (windowNext + 1) % steadyFrames }
        let frameLength = frameLength
        let sampleRate = sampleRate
        let time = { (index: Int) in Double(index * frameLength) / Double(sampleRate) }
        for channel in 0..<channelCount {
            let level = levels[channel]
            recentPowers[channel].append(meanSquares[channel])
            if recentPowers[channel].count > 3 { recentPowers[channel].removeFirst() }
            let smoothed = Self.decibels(recentPowers[channel].reduce(0, +) / Double(recentPowers[channel].count))
            var floor = floors[channel].floor
            if !floor.isFinite { floor = -120 }
            let onLevel = max(floor + configuration.onMarginDB, configuration.absoluteOnDBFS)
            let offLevel = max(floor + configuration.offMarginDB, configuration.absoluteOffDBFS)
            let steady = isSteady(channel: channel)
            if steady, !wasSteady[channel] {
                trackers[channel].steadySoundBegan(atFrame: frameIndex + 1 - steadyFrames)
            }
            if !steady, wasSteady[channel] { trackers[channel].steadySoundEnded() }
            wasSteady[channel] = steady
            let rejected = steady || isCrosstalk(channel: channel, level: level)
            let loud = !rejected && level >= onLevel
            let speech = trackers[channel].isOpen ? (!rejected && smoothed >= offLevel) : loud
            if loud, highBandFrames[channel] < configuration.fullBandFrames,
                differenceSquares[channel] > highBandRatio * meanSquares[channel]
            {
                highBandFrames[channel] += 1
            }
            if let event = trackers[channel].process(
                frame: frameIndex, speech: speech, loud: loud, meanSquare: meanSquares[channel], floorDB: floor,
                fullBand: highBandFrames[channel] >= configuration.fullBandFrames, time: time)
            {
                events.append(event)
            }
            floors[channel].add(smoothed)
        }
        frameIndex += 1
    }

    private func isCrosstalk(channel: Int, level: Float) -> Bool {
        guard channelCount > 1 else { return false }
        for other in 0..<channelCount where other != channel {
            if let loudest = recentLevels[other].max(), level < loudest - configuration.crosstalkMarginDB {
                return true
            }
        }
        return false
    }

    /// Whether the channel's last `steadyWindow` held its level like music or a tone rather
    /// than dipping between syllables like speech.
    private func isSteady(channel: Int) -> Bool {
        let window = windows[channel]
        guard window.count == steadyFrames, let loudest = window.max() else { return false }
        let dipLevel = loudest - configuration.dipDepthDB
        var dips = 0
        for level in window where level < dipLevel { dips += 1 }
        return Float(dips) < configuration.minDipShare * Float(window.count)
    }

    /// The frame's mean square and the mean square of its first difference (which continues from
    /// the channel's previous frame).
    private mutating func measure(channel: Int, _ samples: UnsafeBufferPointer<Float>) {
        guard !samples.isEmpty else {
            meanSquares[channel] = 0
            differenceSquares[channel] = 0
            return
        }
        var sum: Float = 0
        var differenceSum: Float = 0
        var previous = lastSamples[channel]
        for sample in samples {
            sum += sample * sample
            let difference = sample - previous
            differenceSum += difference * difference
            previous = sample
        }
        lastSamples[channel] = previous
        meanSquares[channel] = Double(sum) / Double(samples.count)
        differenceSquares[channel] = Double(differenceSum) / Double(samples.count)
    }

    /// dBFS of a mean square, with digital silence at −120.
    static func decibels(_ meanSquare: Double) -> Float {
        meanSquare > 1e-12 ? Float(10 * log10(meanSquare)) : -120
    }
}
