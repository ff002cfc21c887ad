package import Configuration
import Foundation

/// Tuning of live calls: endpointing, transcription, insights and alerts.
package struct LiveSessionConfiguration: Sendable, Equatable {
    /// An utterance ends after this much silence…
    package var endpointSilence = 0.6
    /// …or when it has lasted this long (cut, and the next one starts there).
    package var maxUtterance = 15.0
    /// While an utterance goes on, an interim (`is_final: false`) transcript every this many
    /// seconds, when the transcriber is keeping up; 0 turns interim updates off.
    package var interimInterval = 4.0
    /// Utterances of one call being transcribed at once.
    package var transcriptionConcurrency = 2
    /// Untranscribed utterances beyond this are skipped live (the post-call transcript has them).
    package var maxPendingUtterances = 2_000
    /// Seconds between `real_time_insights` events.
    package var insightsInterval = 1.0
    /// Dead air: nobody has spoken for this long.
    package var deadAirAlert = 8.0
    /// Over-talk: both parties have been speaking at once for this long.
    package var overTalkAlert = 3.0
    /// This many customer utterances in a row at or below `negativeThreshold` raise an alert.
    package var negativeStreak = 3
    package var negativeThreshold = -0.3
    /// Words and phrases that raise an alert when said (matched case-insensitively, whole words).
    package var keywords = ["cancel", "lawyer", "supervisor", "complaint", "refund"]
    /// Final utterances analysed together for sentiment (one analyzer request per batch)…
    package var sentimentBatch = 4
    /// …or after this many seconds of call time, whichever comes first.
    package var sentimentMaxDelay = 10.0
    /// A call with no audio (connected or not) for this long ends.
    package var idleTimeout = 60.0
    /// Reordering window for timed tracks (Twilio chunks), seconds.
    package var reorderWindow = 0.1
    /// Live calls at once. Past what the machine sustains every call's lines come late (a 2-core
    /// machine holds about 500), so a new call's stream beyond this is closed with 1013 (try
    /// again later) while the calls already streaming keep going; reconnects always pass.
    package var maxCalls = 500

    package init() {}
}

extension LiveSessionConfiguration {
    /// Reads `CALLPIPE_LIVE_KEYWORDS` (comma-separated), `CALLPIPE_LIVE_DEAD_AIR_S`,
    /// `CALLPIPE_LIVE_OVER_TALK_S`, `CALLPIPE_LIVE_IDLE_TIMEOUT_S`, `CALLPIPE_LIVE_INTERIM_S` and
    /// `CALLPIPE_LIVE_TRANSCRIPTION_CONCURRENCY` and `CALLPIPE_LIVE_MAX_CALLS`.
    package init(reader: ConfigReader) throws(PipelineError) {
        self.init()
        maxCalls = Int(
            try Self.positive(reader, "callpipe.live.max.calls", "CALLPIPE_LIVE_MAX_CALLS", Double(maxCalls)))
        if let keywords = reader.string(forKey: "callpipe.live.keywords") {
            self.keywords = keywords.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
        deadAirAlert = try Self.positive(reader, "callpipe.live.dead.air.s", "CALLPIPE_LIVE_DEAD_AIR_S", deadAirAlert)
        overTalkAlert = try Self.positive(
            reader, "callpipe.live.over.talk.s", "CALLPIPE_LIVE_OVER_TALK_S", overTalkAlert)
        idleTimeout = try Self.positive(
            reader, "callpipe.live.idle.timeout.s", "CALLPIPE_LIVE_IDLE_TIMEOUT_S", idleTimeout)
        interimInterval = reader.double(forKey: "callpipe.live.interim.s", default: interimInterval)
        transcriptionConcurrency = Int(
            try Self.positive(
                reader, "callpipe.live.transcription.concurrency", "CALLPIPE_LIVE_TRANSCRIPTION_CONCURRENCY",
                Double(transcriptionConcurrency)))
    }

    private static func positive(_ reader: ConfigReader, _ key: ConfigKey, _ name: String, _ fallback: Double)
        throws(PipelineError) -> Double
    {
        guard let text = reader.string(forKey: key) else { return fallback }
        guard let value = Double(text), value > 0, value.isFinite else {
            throw PipelineError(.invalid, "\(name) is \"\(text)\"; use a positive number")
        }
        return value
    }
}
