import AIClients
import Audio
import CallPipeCore
import DemoData
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Gateway
@testable import SQLiteStore

@Suite("Conversation metrics over HTTP: call detail, history, analytics", .timeLimit(.minutes(3)))
struct ConversationRouteTests {
    /// A finished stereo call: the agent says 6 words in 4 s, the customer asks 2 questions in 3 s.
    static func call(_ id: String, agent: String, transcript: Bool) -> DemoCall {
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        let analysis = AudioAnalysis(
            durationS: 10, format: "wav", codec: "pcm_s16le", sampleRate: 16_000, sourceSampleRate: 8_000, channels: 2,
            layout: "stereo", channelMode: .separate,
            speakers: [
                "agent": SpeakerTalkTime(talkS: 4, turns: 1, longestTurnS: 4, loudnessDBFS: -20, share: 4.0 / 7),
                "customer": SpeakerTalkTime(talkS: 3, turns: 1, longestTurnS: 3, loudnessDBFS: -22, share: 3.0 / 7),
            ],
            nonTalk: TimeStretches(totalS: 3, instances: []), overlap: TimeStretches(totalS: 0, instances: []),
            interruptions: ["agent": 0, "customer": 0], segments: [])
        let insights = CallInsights(
            sentiment: CallSentiment(overall: 0, label: .neutral, quarters: [0]), summary: "A question about a bill.",
            keyPoints: [], actionItems: [], issues: [], outcome: .resolved, topics: [], hints: [], analyzer: "heuristic"
        )
        return DemoCall(
            call: StoredCall(id: id, agentID: agent, status: .done, createdAt: start, endedAt: start + 10),
            analysis: analysis,
            transcript: Transcript(
                segments: transcript
                    ? [
                        TranscriptSegment(speaker: "agent", startS: 0, endS: 4, text: "Good morning, what can I do?"),
                        TranscriptSegment(speaker: "customer", startS: 5, endS: 8, text: "Why this bill? Is it right?"),
                    ] : []),
            insights: insights, costUSD: 0)
    }

    /// A JSON number as a Double, however JSONSerialization typed it.
    static func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

    @Test func theCallDetailHistoryAndAnalyticsCarryTalkSpeedAndQuestions() async throws {
        let app = try await GatewayTestApp()
        try await app.store.insertDemoCalls([
            Self.call("call_talk", agent: "ann", transcript: true),
            Self.call("call_silent", agent: "ann", transcript: false),
        ])
        try await app.test { client in
            try await client.execute(uri: "/api/calls/call_talk", method: .get, headers: app.headers("ann")) {
                response throws in
                #expect(response.status == .ok)
                let conversation = try #require(try GatewayTestApp.json(response)["conversation"] as? [String: Any])
                #expect(Self.number(conversation["customer_question_share"]) == 0.67)
                let speakers = try #require(conversation["speakers"] as? [String: [String: Any]])
                #expect(
                    speakers["agent"]?["words"] as? Int == 6 && Self.number(speakers["agent"]?["talk_speed_wpm"]) == 90)
                #expect(speakers["customer"]?["questions"] as? Int == 2)
                #expect(Self.number(speakers["customer"]?["talk_speed_wpm"]) == 120)
                #expect(conversation["questions"] as? Int == 3)
            }
            // No transcript: the figures are null, not 0; the talk time is there.
            try await client.execute(uri: "/api/calls/call_silent", method: .get, headers: app.headers("ann")) {
                response throws in
                let conversation = try #require(try GatewayTestApp.json(response)["conversation"] as? [String: Any])
                #expect(conversation["customer_question_share"] is NSNull && conversation["questions"] is NSNull)
                let agent = try #require((conversation["speakers"] as? [String: [String: Any]])?["agent"])
                #expect(
                    agent["talk_speed_wpm"] is NSNull && agent["words"] is NSNull && Self.number(agent["talk_s"]) == 4)
            }
            try await client.execute(uri: "/api/calls/history", method: .get, headers: app.headers("supervisor")) {
                response throws in
                let calls = try #require(try GatewayTestApp.json(response)["calls"] as? [[String: Any]])
                let metrics = try #require(
                    calls.first { $0["id"] as? String == "call_talk" }?["metrics"] as? [String: Any])
                #expect(
                    Self.number(metrics["agent_talk_speed_wpm"]) == 90 && metrics["customer_questions"] as? Int == 2)
                #expect(metrics["agent_words"] as? Int == 6 && Self.number(metrics["customer_question_share"]) == 0.67)
            }
            for path in ["/api/analytics/dashboard", "/api/agents"] {
                try await client.execute(uri: path, method: .get, headers: app.headers("supervisor")) {
                    response throws in
                    var json = try GatewayTestApp.json(response)
                    if let agents = json["agents"] as? [[String: Any]] { json = agents.first ?? [:] }
                    #expect(Self.number(json["agent_talk_speed_wpm"]) == 90, "\(path)")
                    #expect(Self.number(json["customer_question_share"]) == 2.0 / 3.0, "\(path)")
                }
            }
        }
    }
}
