import AIClients
import AsyncHTTPClient
import Audio
import FakeOpenAIServer
import Foundation
import Logging
import Testing

@testable import CallPipeCore
@testable import Pipeline

@Suite("Post-call report", .timeLimit(.minutes(3)))
struct CallReportBuilderTests {
    static let logger = Logger(label: "test")

    @Test func usesWhisperAndGPTThroughAnOpenAICompatibleServer() async throws {
        try await FakeOpenAIServer.run { server in
            let client = try server.makeClient()
            let configuration = AIProviderConfiguration(
                provider: .openai, apiKey: server.apiKey, baseURL: server.baseURL, transcriptionModel: "whisper-1",
                analysisModel: "gpt-4o-mini")
            await server.state.transcribe("track0", as: "Thank you for calling Acme support.")
            await server.state.transcribe("track1", as: "My internet has a problem every evening.")
            let report: CallReport
            do {
                report = try await AIProvider.withServices(
                    configuration, httpClient: client, localWhisper: .init(directory: "/nonexistent"),
                    logger: Self.logger
                ) { services in
                    try await CallReportBuilder(
                        callTranscriber: CallTranscriber(transcriber: services.transcriber, logger: Self.logger),
                        callAnalyzer: services.analyzer
                    ).report(for: PipelineFixtures.path("call.mp3"))
                }
                try await client.shutdown()
            } catch {
                try? await client.shutdown()
                throw error
            }
            #expect(await server.state.violations.isEmpty)
            #expect(report.providers == .init(transcription: "openai:whisper-1", analysis: "openai:gpt-4o-mini"))
            #expect(report.insights.outcome == .resolved && report.insights.analyzer == "openai:gpt-4o-mini")
            let speakers = Set(report.transcript.segments.map(\.speaker))
            #expect(speakers == ["agent", "customer"])
            #expect(report.transcript.segments.allSatisfy { $0.sentiment != nil })
            #expect(report.usage.transcription.requests == 2 && report.usage.analysis.requests == 1)
            let requests = await server.state.requests
            #expect(
                requests.filter { $0.path.hasSuffix("transcriptions") }.allSatisfy {
                    $0.parts.first?.filename?.hasSuffix(".flac") == true
                })
        }
    }

    @Test func writesTheCallReportContract() async throws {
        let report = try await CallReportBuilder(
            callTranscriber: CallTranscriber(transcriber: ScriptedTranscriber(), logger: Self.logger),
            callAnalyzer: HeuristicCallAnalyzer()
        ).report(for: PipelineFixtures.path("call.ogg"))
        let encoder = JSONEncoder()
        let json = try #require(try JSONSerialization.jsonObject(with: encoder.encode(report)) as? [String: Any])
        #expect(Set(json.keys) == ["analysis", "transcript", "insights", "providers", "usage", "conversation"])
        let conversation = try #require(json["conversation"] as? [String: Any])
        #expect(Set(conversation.keys) == ["speakers", "questions", "customer_question_share"])
        let parties = try #require(conversation["speakers"] as? [String: [String: Any]])
        #expect(Set(parties.keys) == Set(report.analysis.speakers.keys))
        #expect(parties.values.allSatisfy { Set($0.keys) == ["words", "talk_s", "talk_speed_wpm", "questions"] })
        #expect(report.conversation.speakers.values.contains { ($0.talkSpeedWPM ?? 0) > 0 })
        let transcript = try #require(json["transcript"] as? [String: Any])
        #expect(Set(transcript.keys) == ["language", "segments"])
        let segment = try #require((transcript["segments"] as? [[String: Any]])?.first)
        #expect(Set(segment.keys) == ["speaker", "start_s", "end_s", "text", "confidence", "sentiment"])
        let insights = try #require(json["insights"] as? [String: Any])
        #expect(
            Set(insights.keys).isSuperset(of: [
                "sentiment", "summary", "key_points", "action_items", "issues", "outcome", "topics", "analyzer",
            ]))
        #expect(insights["analyzer"] as? String == "heuristic")
        #expect(Set((json["providers"] as? [String: Any])?.keys.map { $0 } ?? []) == ["transcription", "analysis"])
    }
}
