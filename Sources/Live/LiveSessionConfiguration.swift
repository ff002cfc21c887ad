import AIClients
package import CallPipeCore
package import Configuration
import Foundation
package import Redaction

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
    /// What live lines have redacted before they are published (docs/redaction.md "Live"): the
    /// mode for the source `callpipe` (anything but `off`), and the kinds.
    package var redaction = RedactionConfiguration()
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
    /// Live calls at once. Past what the machine sustains every call's lines come late, so a new
    /// call's stream beyond this is closed with 1013 (try again later) while the calls already
    /// streaming keep going; reconnects always pass. `CALLPIPE_LIVE_MAX_CALLS=auto` (the default)
    /// sizes it from the cores (`callsPerCore` each).
    package var maxCalls = LiveSessionConfiguration.automaticMaxCalls()
    /// New live calls are refused (1013) while this node's event loops run more than this many
    /// seconds late in at least half of the last 5 s (`CALLPIPE_LIVE_MAX_LAG_MS`; 0: never): the
    /// machine is past its capacity, whatever the count says (a slower machine, other work on it).
    package var maxEventLoopLag = 0.5
    /// Live calls one agent may stream at once (beside the global `maxCalls`).
    package var maxCallsPerAgent = 4
    /// Longest a live call may last (seconds of call time); at this length its stream is closed
    /// and the call ends and is processed like any other.
    package var maxCallSeconds = 14_400.0
    /// Live calls at once across every node of a cluster (`nil`: only the per-node `maxCalls`).
    package var clusterMaxCalls: Int?
    /// In a cluster, a node that has not confirmed its live calls for this long is taken for dead:
    /// another node ends its calls (docs/ARCHITECTURE.md §15, "Live calls").
    package var nodeTimeout = 15.0
    /// In a cluster with shared recording storage (S3), how often (seconds of call time) a live
    /// recording's new audio is kept there as a part, so that a node that dies mid-call loses at
    /// most this much of it (0: never; docs/ARCHITECTURE.md §15, "Live calls").
    package var checkpointInterval = 30.0
    /// Seconds between reads of a live stream's socket: messages that came meanwhile are read and
    /// parsed together (docs/ARCHITECTURE.md §12, "Live capacity"); 0 reads each as it comes.
    package var readInterval = 0.1

    package init() {}

    /// Live streams one core carries with room to spare: `scripts/bench live-cost` measured
    /// 0.3–0.4 % of a core per stream (docs/testing.md), so 200 leave a fifth of each core for
    /// bursts, rooms and the post-call work.
    package static let callsPerCore = 200

    /// `callsPerCore` for each core this process may use.
    package static func automaticMaxCalls(cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        max(1, cores) * callsPerCore
    }
}

extension LiveSessionConfiguration {
    /// Reads `CALLPIPE_LIVE_KEYWORDS` (comma-separated), `CALLPIPE_LIVE_DEAD_AIR_S`,
    /// `CALLPIPE_LIVE_OVER_TALK_S`, `CALLPIPE_LIVE_IDLE_TIMEOUT_S`, `CALLPIPE_LIVE_INTERIM_S` and
    /// `CALLPIPE_LIVE_TRANSCRIPTION_CONCURRENCY`, `CALLPIPE_LIVE_MAX_CALLS`,
    /// `CALLPIPE_LIVE_MAX_CALLS_PER_AGENT`, `CALLPIPE_LIVE_MAX_CALL_S`,
    /// `CALLPIPE_LIVE_CLUSTER_MAX_CALLS` (0: none), `CALLPIPE_LIVE_NODE_TIMEOUT_S` and
    /// `CALLPIPE_LIVE_CHECKPOINT_S` (0: none), `CALLPIPE_LIVE_READ_INTERVAL_MS`,
    /// `CALLPIPE_LIVE_MAX_LAG_MS` (0: none), each range-checked; `CALLPIPE_LIVE_MAX_CALLS` also
    /// takes `auto`.
    package init(reader: ConfigReader) throws(CallPipeError) {
        self.init()
        do {
            if reader.string(forKey: "callpipe.live.max.calls")?.trimmingCharacters(in: .whitespaces).lowercased()
                != "auto"
            {
                maxCalls = try reader.integer(
                    "callpipe.live.max.calls", "CALLPIPE_LIVE_MAX_CALLS", in: 1...100_000, default: maxCalls)
            }
            maxEventLoopLag =
                Double(
                    try reader.integer(
                        "callpipe.live.max.lag.ms", "CALLPIPE_LIVE_MAX_LAG_MS", in: 0...60_000,
                        default: Int(maxEventLoopLag * 1_000))) / 1_000
            maxCallsPerAgent = try reader.integer(
                "callpipe.live.max.calls.per.agent", "CALLPIPE_LIVE_MAX_CALLS_PER_AGENT", in: 1...10_000,
                default: maxCallsPerAgent)
            maxCallSeconds = try reader.number(
                "callpipe.live.max.call.s", "CALLPIPE_LIVE_MAX_CALL_S", in: 10...86_400, default: maxCallSeconds)
            deadAirAlert = try reader.number(
                "callpipe.live.dead.air.s", "CALLPIPE_LIVE_DEAD_AIR_S", in: 0.5...3_600, default: deadAirAlert)
            overTalkAlert = try reader.number(
                "callpipe.live.over.talk.s", "CALLPIPE_LIVE_OVER_TALK_S", in: 0.5...3_600, default: overTalkAlert)
            idleTimeout = try reader.number(
                "callpipe.live.idle.timeout.s", "CALLPIPE_LIVE_IDLE_TIMEOUT_S", in: 1...86_400, default: idleTimeout)
            interimInterval = try reader.number(
                "callpipe.live.interim.s", "CALLPIPE_LIVE_INTERIM_S", in: 0...600, default: interimInterval)
            let cluster = try reader.integer(
                "callpipe.live.cluster.max.calls", "CALLPIPE_LIVE_CLUSTER_MAX_CALLS", in: 0...1_000_000, default: 0)
            clusterMaxCalls = cluster > 0 ? cluster : nil
            nodeTimeout = try reader.number(
                "callpipe.live.node.timeout.s", "CALLPIPE_LIVE_NODE_TIMEOUT_S", in: 3...3_600, default: nodeTimeout)
            checkpointInterval = try reader.number(
                "callpipe.live.checkpoint.s", "CALLPIPE_LIVE_CHECKPOINT_S", in: 0...3_600, default: checkpointInterval)
            readInterval =
                Double(
                    try reader.integer(
                        "callpipe.live.read.interval.ms", "CALLPIPE_LIVE_READ_INTERVAL_MS", in: 0...500,
                        default: Int(readInterval * 1_000))) / 1_000
            transcriptionConcurrency = try reader.integer(
                "callpipe.live.transcription.concurrency", "CALLPIPE_LIVE_TRANSCRIPTION_CONCURRENCY", in: 1...64,
                default: transcriptionConcurrency)
        } catch {
            throw CallPipeError(.invalid, String(describing: error))
        }
        if let keywords = reader.string(forKey: "callpipe.live.keywords") {
            self.keywords = keywords.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
    }
}
