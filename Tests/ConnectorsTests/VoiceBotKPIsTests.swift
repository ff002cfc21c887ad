import Analytics
import CallPipeCore
import Connectors
import Foundation
import Testing

/// The voice-bot KPIs on sessions whose answers are worked out by hand, and one ElevenLabs
/// conversation read into a session (docs/connectors.md).
@Suite("Voice-bot KPIs")
struct VoiceBotKPIsTests {
    static let day1 = Date(timeIntervalSince1970: 1_764_590_400)  // 2025-12-01 12:00 UTC
    static let day2 = day1.addingTimeInterval(86_400)

    @Test func everyFigureOfFourSessions() {
        let sessions = [
            VoiceBotSession(
                id: "a", startedAt: Self.day1, durationS: 20, direction: "inbound", outcome: .success, botMessages: 3,
                cost: 100, rating: 5, criteria: ["resolved": .success, "polite": .success]),
            VoiceBotSession(
                id: "b", startedAt: Self.day1, durationS: 400, direction: "inbound", outcome: .failure,
                transferredToHuman: true, botMessages: 9, cost: 300, rating: 2,
                criteria: ["resolved": .failure, "polite": .success]),
            VoiceBotSession(
                id: "c", startedAt: Self.day2, durationS: 60, direction: "outbound", outcome: .failure,
                droppedOut: true, botMessages: 2, cost: 200, criteria: ["resolved": .unknown]),
            VoiceBotSession(
                id: "d", startedAt: Self.day2, durationS: 10, direction: "outbound", outcome: .unknown,
                technicalError: true, botMessages: 0, rating: 9),
        ]
        let kpis = VoiceBotKPIs(sessions: sessions)
        #expect(kpis.sessions == 4)
        #expect(kpis.outcomes == .init(successful: 1, failed: 2, unknown: 1))
        #expect(kpis.conversionPercent == 25)
        #expect(kpis.byDirection["inbound"] == .init(successful: 1, failed: 1, unknown: 0))
        #expect(kpis.byDirection["outbound"] == .init(successful: 0, failed: 1, unknown: 1))
        #expect(kpis.criteria["resolved"] == .init(successful: 1, failed: 1, unknown: 1))
        #expect(kpis.criteria["polite"] == .init(successful: 2, failed: 0, unknown: 0))
        #expect(kpis.durations == .init(averageS: 122.5, minS: 10, maxS: 400, short: 2, long: 1))
        #expect(kpis.transfers == 1 && kpis.transferPercent == 25)
        #expect(kpis.dropOuts == 1)
        #expect(kpis.averageBotMessages == 3.5)
        #expect(kpis.costTotal == 600 && kpis.costPerSession == 200)  // Over the three with a cost.
        #expect(kpis.technicalErrors == 1 && kpis.errorRatePercent == 25)
        #expect(kpis.averageRating == 3.5 && kpis.ratings == 2)  // A 9 is no 1–5 rating.
        #expect(
            kpis.daily == [
                .init(date: "2025-12-01", sessions: 2, successful: 1, conversionPercent: 50, technicalErrors: 0),
                .init(date: "2025-12-02", sessions: 2, successful: 0, conversionPercent: 0, technicalErrors: 1),
            ])
        #expect(VoiceBotKPIs(sessions: []) == VoiceBotKPIs())
    }

    @Test func anElevenLabsConversationAsASession() throws {
        let json = """
            {"agent_id": "agent_1", "conversation_id": "conv_1", "status": "done",
             "transcript": [
               {"role": "agent", "message": "Hi, how can I help?", "time_in_call_secs": 0},
               {"role": "user", "message": "A person please.", "time_in_call_secs": 3},
               {"role": "agent", "message": null, "time_in_call_secs": 5},
               {"role": "agent", "message": "Transferring you now.", "time_in_call_secs": 6}],
             "metadata": {"start_time_unix_secs": 1764590400, "call_duration_secs": 42, "cost": 512,
               "termination_reason": "transfer_to_number tool was called.", "error": null,
               "feedback": {"overall_score": null, "rating": 4},
               "phone_call": {"type": "sip_trunking", "direction": "outbound", "agent_number": "+14155550100",
                              "external_number": "+14155550123", "call_sid": "x"}},
             "analysis": {"call_successful": "failure", "transcript_summary": "Asked for a person.",
               "evaluation_criteria_results": {"resolved": {"criteria_id": "resolved", "result": "failure", "rationale": "-"}}},
             "has_audio": true, "has_user_audio": true, "has_response_audio": true}
            """
        let conversation = try JSONDecoder().decode(ElevenLabsConversation.self, from: Data(json.utf8))
        let session = conversation.session()
        #expect(session.outcome == .failure && session.direction == "outbound")
        #expect(session.transferredToHuman && !session.droppedOut && !session.technicalError)
        #expect(session.botMessages == 2 && session.cost == 512 && session.rating == 4)
        #expect(session.criteria == ["resolved": .failure])
        #expect(conversation.imported().customerPhone == "+14155550123")
    }
}
