import FakeOpenAIServer
import Foundation
import Testing

/// `callpipe transcribe` as a user runs it, against a fake OpenAI-compatible server over HTTPS.
@Suite("callpipe transcribe", .timeLimit(.minutes(3)))
struct TranscribeCommandTests {
    static let call = CallPipeBinary.fixtures.appendingPathComponent("call.mp3").path

    @Test func printsTheCallReportFromAnOpenAICompatibleServer() async throws {
        try await FakeOpenAIServer.run { server in
            let caFile = try server.certificate.writeCertificate(to: FileManager.default.temporaryDirectory)
            defer { try? FileManager.default.removeItem(atPath: caFile) }
            let environment = [
                "OPENAI_API_KEY": server.apiKey, "OPENAI_BASE_URL": server.baseURL, "CALLPIPE_CA_FILE": caFile,
            ]
            let result = try await CallPipeBinary.run(["transcribe", Self.call, "--json"], environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let providers = try #require(json["providers"] as? [String: String])
            #expect(providers == ["transcription": "openai:whisper-1", "analysis": "openai:gpt-4o-mini"])
            let conversation = try #require(json["conversation"] as? [String: Any])
            let parties = try #require(conversation["speakers"] as? [String: [String: Any]])
            #expect(Set(parties.keys) == ["agent", "customer"])
            #expect(parties.values.allSatisfy { ($0["talk_speed_wpm"] as? NSNumber)?.doubleValue ?? 0 > 0 })
            let text = try await CallPipeBinary.run(["transcribe", Self.call], environment: environment)
            #expect(
                text.stdout.contains("talk speed and questions") && text.stdout.contains(" wpm ("), "\(text.stdout)")
            #expect(text.stdout.contains("customer's share of questions"))
            #expect(!result.stderr.contains(server.apiKey))
            #expect(await server.state.violations.isEmpty)
        }
    }

    @Test func failsWithExitCode4WhenTheAIServerIsUnreachable() async throws {
        let key = "sk-cli-test-0123456789abcdefghij"
        let result = try await CallPipeBinary.run(
            ["transcribe", Self.call],
            environment: ["OPENAI_API_KEY": key, "OPENAI_BASE_URL": "https://127.0.0.1:9/v1"])
        #expect(result.status == 4)
        #expect(
            result.stderr.hasPrefix("error: ") && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(!result.stderr.contains("0123456789"))
    }

    @Test func failsWithExitCode4WhenTheOfflineServerIsNotInstalled() async throws {
        let result = try await CallPipeBinary.run(
            ["transcribe", Self.call], environment: ["CALLPIPE_LOCAL_WHISPER_DIR": "/nonexistent"])
        #expect(result.status == 4)
        #expect(result.stderr.contains("scripts/setup"))
    }

    @Test func failsWithExitCode2OnAnUnknownProvider() async throws {
        let result = try await CallPipeBinary.run(
            ["transcribe", Self.call], environment: ["CALLPIPE_AI_PROVIDER": "watson"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("CALLPIPE_AI_PROVIDER"))
    }

    @Test func failsWithExitCode3OnABadFileBeforeCallingAnyServer() async throws {
        let result = try await CallPipeBinary.run(
            ["transcribe", CallPipeBinary.fixtures.appendingPathComponent("video-only.mp4").path],
            environment: ["OPENAI_API_KEY": "sk-x", "OPENAI_BASE_URL": "https://127.0.0.1:9/v1"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("no audio stream"))
    }
}
