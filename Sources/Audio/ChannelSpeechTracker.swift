import Foundation

/// The speech/silence state machine of one channel, fed one frame at a time.
///
/// Hysteresis: a frame above the on-threshold opens a tentative segment; while a segment is open
/// a frame only has to stay above the lower off-threshold to count as speech. A segment becomes
/// speech once it holds `minSpeechDuration` of loud frames (short clicks and bleed blips never
/// do) and ends `minSilenceDuration` after its last speech frame (the hangover), so pauses
/// between words stay inside it. The end time is the end of the last speech frame, not the end
/// of the hangover, so talk time is not inflated — except for the edges the noise hides: a span
/// whose speech is only a little louder than the floor is widened by its masked onset and tail
/// (`VoiceActivityConfiguration.maskedOnset`/`maskedTail`; less on a full-band channel), and its
/// hangover grows by part of that (docs/ARCHITECTURE.md §9).
struct ChannelSpeechTracker {
    private let channel: Int
    private let configuration: VoiceActivityConfiguration
    private let confirmFrames: Int
    private let maxConfirmFrames: Int
    private let hangoverFrames: Int
    private var open = false
    private var confirmed = false
    private var startFrame = 0
    /// The confirmed span's start, widened by its masked onset.
    private var startTime = 0.0
    private var lastSpeechFrame = 0
    /// The first frame of the open segment's latest run of speech frames, and the last speech
    /// frame before that run (`nil` when the run began the segment).
    private var runStartFrame = 0
    private var previousRunEnd: Int?
    /// Where the steady sound the open segment ran into began, while it stays steady.
    private var steadyStart: Int?
    private var loudFrames = 0
    private var energySum = 0.0
    private var energyFrames = 0
    /// The channel's noise floor (dBFS) at the latest frame.
    private var floorDB: Float = -120
    /// The end of the last span, which a widened start never crosses.
    private var lastEnd = 0.0

    init(channel: Int, configuration: VoiceActivityConfiguration) {
        self.channel = channel
        self.configuration = configuration
        let frame = configuration.frameDuration
        confirmFrames = max(1, Int((configuration.minSpeechDuration / frame).rounded()))
        maxConfirmFrames = max(confirmFrames, Int((configuration.maxConfirmDelay / frame).rounded()))
        hangoverFrames = max(1, Int((configuration.minSilenceDuration / frame).rounded()))
    }

    /// Whether the channel carries the high band (see `VoiceActivityConfiguration.fullBandHz`).
    private var fullBand = false

    /// 0…1: how much of a span's edges the noise hides, from how far its speech stands above the
    /// floor, and less on a full-band channel, whose sibilants show where words begin and end.
    private var masking: Double {
        guard energyFrames > 0, energySum > 0 else { return 0 }
        let level = Float(10 * log10(energySum / Double(energyFrames)))
        let depth = level - floorDB + (fullBand ? configuration.fullBandDepthDB : 0)
        let visible = configuration.visibleEdgeDepthDB
        let masked = configuration.maskedEdgeDepthDB
        guard visible > masked else { return 0 }
        return Double(min(1, max(0, (visible - depth) / (visible - masked))))
    }

    /// Whether a segment is open, i.e. whether the lower (off) threshold applies.
    var isOpen: Bool { open }

    /// Feeds frame `index`; `speech` says whether it passed the threshold that applies,
    /// `loud` whether it passed the on-threshold. Returns an event when one is due.
    mutating func process(
        frame index: Int, speech: Bool, loud: Bool, meanSquare: Double, floorDB: Float, fullBand: Bool,
        time: (Int) -> Double
    ) -> VoiceActivityEvent? {
        self.floorDB = floorDB
        self.fullBand = fullBand
        if speech {
            if !open {
                open = true
                confirmed = false
                startFrame = index
                loudFrames = 0
                energySum = 0
                energyFrames = 0
                runStartFrame = index
                previousRunEnd = nil
                steadyStart = nil
            } else if lastSpeechFrame < index - 1 {
                previousRunEnd = lastSpeechFrame
                runStartFrame = index
            }
            lastSpeechFrame = index
            energySum += meanSquare
            energyFrames += 1
            if loud { loudFrames += 1 }
            if !confirmed, loudFrames >= confirmFrames {
                confirmed = true
                startTime = max(0, lastEnd, time(startFrame) - masking * configuration.maskedOnset)
                return .speechStarted(channel: channel, time: startTime)
            }
        }
        guard open else { return nil }
        if !confirmed, index - startFrame >= maxConfirmFrames {
            open = false  // Too little loud audio to be speech: noise or bleed.
            return nil
        }
        if !speech, index - lastSpeechFrame >= hangoverFrames + maskedFrames(time: time) {
            return close(endFrame: index + 1, time: time)
        }
        return nil
    }

    /// The steady-sound test only tells music from speech once it has heard `steadyWindow` of it,
    /// so the first second of hold music passed as speech (docs/ARCHITECTURE.md §9). When the
    /// test first rejects a channel, the window it judged began at frame `start`; if the sound
    /// stays steady until the open segment closes, that window was the sound, not speech (see
    /// `takeBackSteadyOnset`). Speech that merely held its level for a second dips again and
    /// keeps its frames (`steadySoundEnded`).
    mutating func steadySoundBegan(atFrame start: Int) {
        if open { steadyStart = start }
    }

    mutating func steadySoundEnded() {
        steadyStart = nil
    }

    /// At the close of a segment that ran into steady sound: its speech ends before the steady
    /// window — before the latest run of speech frames when that run began inside the window
    /// (music after a pause) — and a segment with less than three times `minSpeechDuration` of
    /// audio left was the sound's onset: `false`, drop it. So is a segment that began inside the
    /// window: all of it was judged steady (hold music starting a second after the last word,
    /// whose attack opened a segment of its own; docs/quality.md).
    private mutating func takeBackSteadyOnset() -> Bool {
        guard let start = steadyStart else { return true }
        steadyStart = nil
        guard startFrame < start else { return false }
        let end = runStartFrame >= start ? previousRunEnd : min(lastSpeechFrame, start - 1)
        guard let end, end + 1 - startFrame >= 3 * confirmFrames else { return false }
        lastSpeechFrame = end
        return true
    }

    /// Ends an open segment at the end of input, frame `index` being the first one not fed.
    mutating func finish(frame index: Int, time: (Int) -> Double) -> VoiceActivityEvent? {
        guard open else { return nil }
        return close(endFrame: index, time: time)
    }

    /// Frames the masked edges add to the hangover (`maskedPauseShare` of the widening), so a pause
    /// between two masked words is not judged on the energy alone.
    private func maskedFrames(time: (Int) -> Double) -> Int {
        guard confirmed else { return 0 }
        let frame = time(1) - time(0)
        let widening = masking * (configuration.maskedOnset + configuration.maskedTail)
        return Int((configuration.maskedPauseShare * widening / frame).rounded())
    }

    private mutating func close(endFrame: Int, time: (Int) -> Double) -> VoiceActivityEvent? {
        open = false
        guard confirmed else { return nil }
        guard takeBackSteadyOnset() else { return .speechDropped(channel: channel) }
        let end = min(time(endFrame), time(lastSpeechFrame + 1) + masking * configuration.maskedTail)
        lastEnd = end
        return .speechEnded(
            SpeechSpan(
                channel: channel, start: startTime, end: end,
                meanSquare: energyFrames > 0 ? energySum / Double(energyFrames) : 0, speechFrames: energyFrames))
    }
}
