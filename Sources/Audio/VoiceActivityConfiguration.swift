/// Tuning of the energy-based voice activity detector. The defaults suit telephone and
/// headset speech at normal levels, 8–48 kHz.
package struct VoiceActivityConfiguration: Sendable, Equatable {
    /// Analysis frame length in seconds (20 ms, the size live calls feed).
    package var frameDuration: Double = 0.02
    /// A frame starts speech when it is this far above the channel's noise floor…
    package var onMarginDB: Float = 10
    /// …and keeps speech going while it stays this far above it (hysteresis).
    package var offMarginDB: Float = 5
    /// No frame quieter than this starts speech, whatever the noise floor (rejects near-silence).
    package var absoluteOnDBFS: Float = -45
    /// No frame quieter than this keeps speech going.
    package var absoluteOffDBFS: Float = -52
    /// A frame this far below another channel's recent level is crosstalk (the other party
    /// bleeding into this channel), not speech.
    package var crosstalkMarginDB: Float = 20
    /// How far back, in frames, the crosstalk gate looks at the other channels (echo delay).
    package var crosstalkLookbackFrames: Int = 5
    /// Speech is confirmed once a segment has this much loud (above on-threshold) audio.
    package var minSpeechDuration: Double = 0.1
    /// An unconfirmed segment older than this is dropped: this bounds the start event's delay.
    package var maxConfirmDelay: Double = 0.6
    /// Pauses shorter than this stay inside one speech segment (hangover); it is also the delay
    /// of the end event after the last speech frame.
    package var minSilenceDuration: Double = 0.5
    /// The noise floor is the quietest frame level over this window (minimum statistics).
    package var noiseFloorWindow: Double = 5
    /// Steady sound is not speech: speech dips between syllables several times a second, while
    /// hold music and tones hold their level. A frame is steady when, over the last
    /// `steadyWindow` seconds of its channel, fewer than `minDipShare` of the frames lie
    /// `dipDepthDB` or more below the window's loudest frame.
    package var steadyWindow: Double = 1.0
    package var minDipShare: Float = 0.1
    package var dipDepthDB: Float = 10
    /// Masked edges: a word's soft onset and decaying tail (fricatives, breath, a phone line's
    /// missing high band) sink under the noise floor when speech is only a little louder than the
    /// line. A span whose speech stands `visibleEdgeDepthDB` or more above the floor keeps the
    /// edges the energy shows; one only `maskedEdgeDepthDB` above it gets the full extension
    /// below, and depths between are interpolated. Tuned on real speech (docs/quality.md).
    package var visibleEdgeDepthDB: Float = 25
    package var maskedEdgeDepthDB: Float = 21
    /// The most a span's start is moved earlier for a masked onset (seconds).
    package var maskedOnset: Double = 0.15
    /// The most a span's end is moved later for a masked tail (seconds).
    package var maskedTail: Double = 0.3
    /// The share of the widening added to the hangover, so that a pause is judged partly between
    /// the widened edges (1 would judge it wholly there).
    package var maskedPauseShare: Double = 0.75
    /// Full-band channels show more of their edges: a phone line (300–3400 Hz, and any 8 kHz
    /// call) cuts off the high band that sibilant onsets and tails live in, a headset or studio
    /// channel keeps it. A channel counts as full band once `fullBandFrames` of its loud frames had
    /// most of their energy above `fullBandHz` (the frame's first difference carries more than
    /// 2 − 2·cos(2π·fullBandHz/rate) of its energy); from then on its spans are judged as if their
    /// speech stood `fullBandDepthDB` further above the floor.
    package var fullBandHz: Double = 4000
    package var fullBandFrames: Int = 1
    package var fullBandDepthDB: Float = 8

    package init() {}
}
