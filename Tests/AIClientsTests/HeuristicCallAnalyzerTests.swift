import Testing

@testable import AIClients

@Suite("Heuristic call analysis (offline)", .timeLimit(.minutes(3)))
struct HeuristicCallAnalyzerTests {
    static func segment(_ speaker: String, _ start: Double, _ text: String) -> TranscriptSegment {
        TranscriptSegment(speaker: speaker, startS: start, endS: start + 3, text: text)
    }

    static let supportCall = Transcript(segments: [
        segment("agent", 0, "Thank you for calling Acme support, this is Sam. How can I help you today?"),
        segment("customer", 4, "My internet keeps dropping every evening and it is really frustrating."),
        segment("agent", 8, "I am sorry. I will reset your port and send you a new router tomorrow."),
        segment("customer", 12, "Will I be charged for the router?"),
        segment("agent", 16, "No, the replacement is free of charge."),
        segment("customer", 20, "Great, thank you so much."),
    ])

    @Test func labelsItselfAsHeuristic() async throws {
        let result = try await HeuristicCallAnalyzer().analyze(Self.supportCall, context: .init(durationS: 24))
        #expect(result.insights.analyzer == "heuristic")
        #expect(result.usage == AIUsage())
    }

    @Test func findsOutcomeTopicsIssuesAndActions() async throws {
        let insights = try await HeuristicCallAnalyzer().analyze(Self.supportCall, context: .init(durationS: 24))
            .insights
        #expect(insights.outcome == .resolved)
        #expect(insights.topics.contains("connectivity") && insights.topics.contains("hardware"))
        #expect(insights.issues.first?.contains("internet keeps dropping") == true)
        let action = try #require(insights.actionItems.first)
        #expect(action.owner == "agent" && action.due == "tomorrow" && action.text.contains("new router"))
        #expect(!insights.summary.isEmpty && insights.summary.contains("internet"))
    }

    @Test func scoresSentimentWithNegation() {
        #expect(HeuristicCallAnalyzer.sentiment(of: "Great, thank you so much.") > 0.5)
        #expect(HeuristicCallAnalyzer.sentiment(of: "This is terrible, the service is broken.") < -0.5)
        #expect(HeuristicCallAnalyzer.sentiment(of: "I am not happy with this.") < 0)
        #expect(HeuristicCallAnalyzer.sentiment(of: "The router is in the box.") == 0)
    }

    @Test func tracksCustomerSentimentPerQuarter() async throws {
        let sentiment = try await HeuristicCallAnalyzer().analyze(Self.supportCall, context: .init(durationS: 24))
            .insights.sentiment
        #expect(sentiment.quarters.count == 4)
        #expect((sentiment.quarters[0] ?? 0) < 0 && (sentiment.quarters[3] ?? 0) > 0)
    }

    @Test func attributesMonoTurnsStartingWithTheGreeting() async throws {
        let mono = Transcript(segments: [
            Self.segment("unknown", 0, "Hello, my bill is wrong."),
            Self.segment("unknown", 3, "Thank you for calling Acme, this is Sam."),
            Self.segment("unknown", 6, "I was charged twice."),
        ])
        let result = try await HeuristicCallAnalyzer().analyze(mono, context: .init(durationS: 9))
        #expect(result.applied(to: mono).segments.map(\.speaker) == ["customer", "agent", "customer"])
    }

    @Test(arguments: [
        ("Hi, you've reached Sam. Please leave a message after the tone.", CallOutcome.voicemail),
        ("I want to speak to your supervisor right now.", .escalated),
        ("I will call you back tomorrow with the details.", .callback),
        ("So what are you going to do about it?", .dropped),
    ])
    func recognisesHowTheCallEnded(_ text: String, _ outcome: CallOutcome) async throws {
        let transcript = Transcript(segments: [
            Self.segment("customer", 0, "My order is late."), Self.segment("agent", 3, text),
        ])
        #expect(
            try await HeuristicCallAnalyzer().analyze(transcript, context: .init(durationS: 6)).insights.outcome
                == outcome)
    }

    @Test func givesHintsFromTheCallsNumbers() async throws {
        let context = CallContext(durationS: 60, talkShares: ["agent": 0.85, "customer": 0.15], longestSilenceS: 12)
        let hints = try await HeuristicCallAnalyzer().analyze(Self.supportCall, context: context).insights.hints
        #expect(hints.contains { $0.contains("85%") } && hints.contains { $0.contains("Dead air of 12 s") })
    }
}
