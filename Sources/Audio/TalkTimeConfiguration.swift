/// The definitions behind talk-time analytics.
package struct TalkTimeConfiguration: Sendable, Equatable {
    /// Silences of at least this many seconds where nobody speaks are listed as non-talk
    /// instances (dead air, hold).
    package var minNonTalkInstance: Double = 2
    /// A speaker's segments separated by a pause shorter than this, with nobody else starting to
    /// talk in between, form one turn.
    package var maxPauseWithinTurn: Double = 2
    /// A speaker who starts while another talks interrupts only if both then talk together for
    /// at least this long; shorter overlaps are turn-taking jitter at segment boundaries.
    package var minInterruptionOverlap: Double = 0.2
    /// Which speaker each channel carries.
    package var channelMap: ChannelMap = .agentLeft

    package init() {}
}
