import AIClients
import Audio
import Foundation

@testable import CRM
@testable import CallPipeCore
@testable import DemoData

/// Calls with known figures, for the CRM and analytics tests.
enum CRMTestSupport {
    static let day = Date(timeIntervalSince1970: 1_793_577_600)  // 2026-11-02 00:00:00 UTC

    static func insights(
        outcome: CallOutcome = .resolved, sentiment: Double = 0.4, topics: [String] = ["billing"],
        summary: String = "Customer asked about a double charge; the agent refunded it."
    ) -> CallInsights {
        CallInsights(
            sentiment: CallSentiment(
                overall: sentiment, label: SentimentLabel(score: sentiment), quarters: [sentiment]),
            summary: summary, keyPoints: ["Double charge", "Refund issued"],
            actionItems: [ActionItem(text: "Confirm the refund", owner: "agent", due: nil)], issues: [],
            outcome: outcome, topics: topics, hints: [], analyzer: "heuristic")
    }

    /// A finished call with every figure given.
    static func call(
        _ id: String, agent: String = "ann", direction: String = "inbound", at offset: TimeInterval,
        duration: Double, agentTalk: Double, customerTalk: Double, silence: Double, interruptions: Int,
        outcome: CallOutcome, sentiment: Double, topics: [String], cost: Double = 0.01,
        metadata: [String: String] = [:],
        summary: String = "Customer asked about a double charge; the agent refunded it."
    ) -> DemoCall {
        let start = day.addingTimeInterval(offset)
        let talk = max(agentTalk + customerTalk, 0.001)
        let analysis = AudioAnalysis(
            durationS: duration, format: "wav", codec: "pcm_s16le", sampleRate: 16_000, sourceSampleRate: 8_000,
            channels: 2, layout: "stereo", channelMode: .separate,
            speakers: [
                "agent": SpeakerTalkTime(
                    talkS: agentTalk, turns: 3, longestTurnS: agentTalk / 2, loudnessDBFS: -20, share: agentTalk / talk),
                "customer": SpeakerTalkTime(
                    talkS: customerTalk, turns: 3, longestTurnS: customerTalk / 2, loudnessDBFS: -22,
                    share: customerTalk / talk),
            ],
            nonTalk: TimeStretches(totalS: silence, instances: []), overlap: TimeStretches(totalS: 0, instances: []),
            interruptions: ["agent": interruptions, "customer": 0], segments: [])
        return DemoCall(
            call: StoredCall(
                id: id, agentID: agent, customerID: "cust-\(id)", direction: direction, metadata: metadata,
                status: .done, createdAt: start, endedAt: start.addingTimeInterval(duration)),
            analysis: analysis,
            transcript: Transcript(segments: [
                TranscriptSegment(speaker: "agent", startS: 0.5, endS: 3, text: "Thanks for calling."),
                TranscriptSegment(speaker: "customer", startS: 3.5, endS: 6, text: "I was charged twice."),
            ]),
            insights: insights(outcome: outcome, sentiment: sentiment, topics: topics, summary: summary), costUSD: cost)
    }

    static func record(_ demo: DemoCall) -> CRMCallRecord {
        CRMCallRecord(
            call: demo.call, insights: demo.insights, summaryVersion: 1, analysis: demo.analysis,
            transcript: demo.transcript)
    }
}
