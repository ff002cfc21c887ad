/// The speech/silence state machine of one channel, fed one frame at a time.
///
/// Hysteresis: a frame above the on-threshold opens a tentative segment; while a segment is open
/// a frame only has to stay above the lower off-threshold to count as speech. A segment becomes
/// speech once it holds `minSpeechDuration` of loud frames (short clicks and bleed blips never
/// do) and ends `minSilenceDuration` after its last speech frame (the hangover), so pauses
/// between words stay inside it. The end time is the end of the last speech frame, not the end
/// of the hangover, so talk time is not inflated.
struct ChannelSpeechTracker {
    private let channel: Int
    private let confirmFrames: Int
    private let maxConfirmFrames: Int
    private let hangoverFrames: Int
    private var open = false
    private var confirmed = false
    private var startFrame = 0
    private var lastSpeechFrame = 0
    private var loudFrames = 0
    private var energySum = 0.0
    private var energyFrames = 0

    init(channel: Int, configuration: VoiceActivityConfiguration) {
        self.channel = channel
        let frame = configuration.frameDuration
        confirmFrames = max(1, Int((configuration.minSpeechDuration / frame).rounded()))
        maxConfirmFrames = max(confirmFrames, Int((configuration.maxConfirmDelay / frame).rounded()))
        hangoverFrames = max(1, Int((configuration.minSilenceDuration / frame).rounded()))
    }

    /// Whether a segment is open, i.e. whether the lower (off) threshold applies.
    var isOpen: Bool { open }

    /// Feeds frame `index`; `speech` says whether it passed the threshold that applies,
    /// `loud` whether it passed the on-threshold. Returns an event when one is due.
    mutating func process(
        frame index: Int, speech: Bool, loud: Bool, meanSquare: Double, time: (Int) -> Double
    ) -> VoiceActivityEvent? {
        if speech {
            if !open {
                open = true
                confirmed = false
                startFrame = index
                loudFrames = 0
                energySum = 0
                energyFrames = 0
            }
            lastSpeechFrame = index
            energySum += meanSquare
            energyFrames += 1
            if loud { loudFrames += 1 }
            if !confirmed, loudFrames >= confirmFrames {
                confirmed = true
                return .speechStarted(channel: channel, time: time(startFrame))
            }
        }
        guard open else { return nil }
        if !confirmed, index - startFrame >= maxConfirmFrames {
            open = false  // Too little loud audio to be speech: noise or bleed.
            return nil
        }
        if !speech, index - lastSpeechFrame >= hangoverFrames {
            return close(time: time)
        }
        return nil
    }

    /// Ends an open segment at the end of input.
    mutating func finish(time: (Int) -> Double) -> VoiceActivityEvent? {
        guard open else { return nil }
        return close(time: time)
    }

    private mutating func close(time: (Int) -> Double) -> VoiceActivityEvent? {
        open = false
        guard confirmed else { return nil }
        return .speechEnded(
            SpeechSpan(
                channel: channel, start: time(startFrame), end: time(lastSpeechFrame + 1),
                meanSquare: energyFrames > 0 ? energySum / Double(energyFrames) : 0,
                speechFrames: energyFrames))
    }
}
