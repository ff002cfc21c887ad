import AsyncHTTPClient
import FakeOpenAIServer
import Foundation
import Logging
import Testing

@testable import AIClients

@Suite("Call analysis with a chat model", .timeLimit(.minutes(3)))
struct OpenAICallAnalyzerTests {
    static let transcript = Transcript(
        language: "en",
        segments: [
            TranscriptSegment(speaker: "unknown", startS: 0.6, endS: 5.4, text: "Thank you for calling Acme support."),
            TranscriptSegment(speaker: "unknown", startS: 6, endS: 9, text: "My internet has a problem every evening."),
            TranscriptSegment(speaker: "agent", startS: 9.5, endS: 13, text: "I will send you a new router."),
        ])

    static func analyzer(_ transport: OpenAITransport) -> OpenAICallAnalyzer {
        OpenAICallAnalyzer(transport: transport, model: "gpt-4o-mini", logger: Logger(label: "test"))
    }

    @Test func sendsAStrictSchemaAndReadsTheAnswer() async throws {
        try await OpenAIEndToEndTests.withTransport { server, transport in
            let result = try await Self.analyzer(transport).analyze(Self.transcript, context: .init(durationS: 14))
            #expect(await server.state.violations.isEmpty)
            #expect(result.insights.analyzer == "openai:gpt-4o-mini")
            #expect(result.insights.outcome == .resolved)
            #expect(result.insights.sentiment.quarters == [0.1, nil, 0.2, 0.5])
            #expect(result.insights.actionItems == [ActionItem(text: "Send a new router", owner: "agent", due: nil)])
            #expect(result.turns.count == 3)
            let tagged = result.applied(to: Self.transcript)
            #expect(tagged.segments.map(\.speaker) == ["customer", "customer", "agent"])
            #expect(tagged.segments[0].sentiment == 0.6)
            #expect(result.usage.outputTokens == 120)
            let request = try #require(await server.state.requests.first?.json)
            #expect(
                (request["messages"] as? [[String: Any]])?.last?["content"] as? String == """
                    [0] unknown (0.6–5.4 s): Thank you for calling Acme support.
                    [1] unknown (6.0–9.0 s): My internet has a problem every evening.
                    [2] agent (9.5–13.0 s): I will send you a new router.
                    """)
        }
    }

    @Test(arguments: [
        (FakeOpenAIState.Behaviour.refusal, AIClientError.Code.refusal),
        (.lengthLimit, .truncatedOutput),
        (.nullContent, .invalidResponse),
        (.invalidContent, .invalidResponse),
        (.truncatedJSON, .invalidResponse),
    ])
    func turnsEveryBadAnswerIntoItsOwnError(_ behaviour: FakeOpenAIState.Behaviour, _ code: AIClientError.Code)
        async throws
    {
        try await OpenAIEndToEndTests.withTransport(attempts: 1) { server, transport in
            await server.state.scriptChat([behaviour])
            let error = await #expect(throws: AIClientError.self) {
                try await Self.analyzer(transport).analyze(Self.transcript, context: .init(durationS: 14))
            }
            #expect(error?.code == code)
        }
    }

    @Test func splitsLongTranscriptsAndMergesTheParts() async throws {
        let long = Transcript(
            segments: (0..<40).map {
                TranscriptSegment(
                    speaker: $0 % 2 == 0 ? "agent" : "customer", startS: Double($0) * 5, endS: Double($0) * 5 + 4,
                    text: String(repeating: "word ", count: 40) + "thank you")
            })
        try await OpenAIEndToEndTests.withTransport { server, transport in
            var analyzer = Self.analyzer(transport)
            analyzer.maxCharactersPerRequest = 2_000
            let result = try await analyzer.analyze(long, context: .init(durationS: 200))
            let requests = await server.state.requests.count
            #expect(requests == OpenAICallAnalyzer.split(long, maxCharacters: 2_000).count && requests > 3)
            #expect(result.turns.count == 40 && result.turns.allSatisfy { $0.sentiment == 0.6 })
            #expect(result.insights.sentiment.quarters.allSatisfy { $0 == 0.6 })
            #expect(result.usage.requests == requests)
        }
    }
}
