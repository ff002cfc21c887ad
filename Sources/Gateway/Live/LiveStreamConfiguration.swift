/// Limits of `WS /api/calls/{id}/stream`, set deliberately.
struct LiveStreamConfiguration: Sendable, Equatable {
    /// Largest message: 64 KiB holds 340 ms of 48 kHz stereo PCM16 (clients send 20 ms) and any
    /// Twilio message (about 400 bytes); larger ones close the stream with 1009.
    var maxMessageBytes = 64 * 1_024
    /// Messages per second a stream may send, sustained (bursts of three seconds' worth pass).
    /// Real time is 50 (PCM, 20 ms frames) or 100 (Twilio, two tracks); 2,000 leaves room for
    /// replays at 20× and stops a flood of tiny frames.
    var maxMessagesPerSecond = 2_000
    /// How fast the silence filled for audio a Twilio stream's timestamps skip may grow, in
    /// multiples of real time (lost packets leave a little; a client leaping ahead is closed)…
    var maxGapSpeed = 2.0
    /// …beyond a head start of this many seconds.
    var timestampSlack = 30.0
    /// Seconds between reads of a stream's socket (`LiveReadPacer`; 0 reads as messages come).
    var readInterval = 0.1
}
