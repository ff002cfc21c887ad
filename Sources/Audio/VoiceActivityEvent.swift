/// What the streaming detector reports as it goes.
package enum VoiceActivityEvent: Sendable, Equatable {
    /// Speech began on `channel` at `time` seconds (reported once it is confirmed, a little later).
    case speechStarted(channel: Int, time: Double)
    /// Speech on a channel ended; the span has its exact start, end and level.
    case speechEnded(SpeechSpan)
    /// The speech reported as started on `channel` was the onset of steady sound (hold music, a
    /// tone) heard for too short a time to tell at first: it has no span.
    case speechDropped(channel: Int)
}
