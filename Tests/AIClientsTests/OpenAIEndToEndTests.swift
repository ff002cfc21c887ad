import AsyncHTTPClient
import FakeOpenAIServer
import Foundation
import Logging
import Testing

@testable import AIClients

/// The AI clients against a fake OpenAI-compatible server over real HTTPS, failing as real
/// servers do.
@Suite("OpenAI clients over HTTPS", .timeLimit(.minutes(3)))
struct OpenAIEndToEndTests {
    static let logger = Logger(label: "test")
    static let audio = Data("RIFF....WAVEfmt ".utf8)

    /// Runs `body` with a transport to a fresh fake server (fast retries for tests).
    static func withTransport(
        timeout: Double = 10, maxResponseBytes: Int = 1_024 * 1_024, concurrency: Int = 4, attempts: Int = 4,
        _ body: (FakeOpenAIServer, OpenAITransport) async throws -> Void
    ) async throws {
        try await FakeOpenAIServer.run { server in
            let client = try server.makeClient()
            var configuration = OpenAITransportConfiguration(baseURL: server.baseURL, apiKey: server.apiKey)
            configuration.requestTimeout = timeout
            configuration.maxResponseBytes = maxResponseBytes
            configuration.maxConcurrentRequests = concurrency
            configuration.retry = RetryPolicy(maxAttempts: attempts, baseDelay: 0.01, maxDelay: 0.05)
            do {
                try await body(server, OpenAITransport(httpClient: client, configuration: configuration))
                try await client.shutdown()
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    static func whisper(_ transport: OpenAITransport) -> OpenAITranscriber {
        OpenAITranscriber(transport: transport, options: .init(model: "whisper-1", language: "en"), logger: logger)
    }

    @Test func transcribesWithAValidRequest() async throws {
        try await Self.withTransport { server, transport in
            await server.state.transcribe("chunk", as: "Thank you for calling.")
            let result = try await Self.whisper(transport).transcribe(
                Self.audio, filename: "chunk-000.wav", duration: 3)
            #expect(result.text == "Thank you for calling.")
            #expect(await server.state.violations.isEmpty)
            let request = try #require(await server.state.requests.first)
            #expect(request.field("model") == "whisper-1" && request.field("response_format") == "verbose_json")
            #expect(request.authorization == "Bearer \(server.apiKey)")
        }
    }

    @Test func retriesARateLimitAfterTheServersDelay() async throws {
        try await Self.withTransport { server, transport in
            await server.state.scriptTranscriptions([
                .status(
                    429, body: #"{"error":{"message":"Rate limit","code":"rate_limit_exceeded"}}"#,
                    headers: ["retry-after-ms": "300"])
            ])
            let started = ContinuousClock.now
            _ = try await Self.whisper(transport).transcribe(Self.audio, filename: "a.wav", duration: 1)
            #expect(ContinuousClock.now - started >= .milliseconds(300))
            #expect(await server.state.requests.count == 2)
        }
    }

    @Test func retriesServerErrorsThenGivesUp() async throws {
        try await Self.withTransport(attempts: 3) { server, transport in
            await server.state.scriptTranscriptions([.status(500, body: "{}"), .status(503, body: "<html>down</html>")])
            _ = try await Self.whisper(transport).transcribe(Self.audio, filename: "a.wav", duration: 1)
            #expect(await server.state.requests.count == 3)
            await server.state.scriptTranscriptions(Array(repeating: .status(502, body: "{}"), count: 3))
            let error = await #expect(throws: AIClientError.self) {
                try await Self.whisper(transport).transcribe(Self.audio, filename: "a.wav", duration: 1)
            }
            #expect(error?.code == .serverError && error?.status == 502)
        }
    }

    @Test(arguments: [
        (
            429,
            #"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}"#,
            AIClientError.Code.quotaExceeded
        ),
        (400, #"{"error":{"message":"Invalid file format."}}"#, .badRequest),
        (401, #"{"error":{"message":"Incorrect API key provided: sk-test-0123456789abc***"}}"#, .unauthorized),
    ])
    func doesNotRetryWhatCannotSucceed(status: Int, body: String, code: AIClientError.Code) async throws {
        try await Self.withTransport { server, transport in
            await server.state.scriptTranscriptions([.status(status, body: body)])
            let error = await #expect(throws: AIClientError.self) {
                try await Self.whisper(transport).transcribe(Self.audio, filename: "a.wav", duration: 1)
            }
            #expect(error?.code == code)
            #expect(error?.message.contains("0123456789abc") == false)
            #expect(await server.state.requests.count == 1)
        }
    }

    @Test func timesOutOnAStalledBody() async throws {
        try await Self.withTransport(timeout: 0.5, attempts: 1) { server, transport in
            await server.state.scriptTranscriptions([.stalledBody(3)])
            let error = await #expect(throws: AIClientError.self) {
                try await Self.whisper(transport).transcribe(Self.audio, filename: "a.wav", duration: 1)
            }
            #expect(error?.code == .timeout)
        }
    }

    @Test func refusesOversizedAndTruncatedAnswers() async throws {
        try await Self.withTransport(maxResponseBytes: 64 * 1_024, attempts: 1) { server, transport in
            await server.state.scriptTranscriptions([.hugeBody, .truncatedJSON])
            let huge = await #expect(throws: AIClientError.self) {
                try await Self.whisper(transport).transcribe(Self.audio, filename: "a.wav", duration: 1)
            }
            #expect(huge?.code == .responseTooLarge)
            let truncated = await #expect(throws: AIClientError.self) {
                try await Self.whisper(transport).transcribe(Self.audio, filename: "a.wav", duration: 1)
            }
            #expect(truncated?.code == .invalidResponse)
        }
    }

    @Test func keepsToTheConcurrencyLimit() async throws {
        try await Self.withTransport(concurrency: 2) { server, transport in
            await server.state.setLatency(0.2)
            let transcriber = Self.whisper(transport)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        _ = try await transcriber.transcribe(Self.audio, filename: "c\(index).wav", duration: 1)
                    }
                }
                try await group.waitForAll()
            }
            #expect(await server.state.maxInFlight == 2)
            #expect(await server.state.requests.count == 6)
        }
    }

    @Test func failsOverConnectionErrorsWithAClearMessage() async throws {
        var configuration = OpenAITransportConfiguration(
            baseURL: "https://127.0.0.1:9/v1", apiKey: "sk-secret-secret-secret")
        configuration.retry = RetryPolicy(maxAttempts: 2, baseDelay: 0.01, maxDelay: 0.02)
        let client = try AIHTTPClientFactory.make(caFile: nil)
        let transport = OpenAITransport(httpClient: client, configuration: configuration)
        let error = await #expect(throws: AIClientError.self) {
            try await Self.whisper(transport).transcribe(Self.audio, filename: "a.wav", duration: 1)
        }
        try await client.shutdown()
        #expect(error?.code == .connection)
        #expect(error?.message.contains("secret") == false)
    }

    @Test func trustsAServerThroughTheConfiguredCAFile() async throws {
        try await FakeOpenAIServer.run { server in
            let caFile = try server.certificate.writeCertificate(to: FileManager.default.temporaryDirectory)
            defer { try? FileManager.default.removeItem(atPath: caFile) }
            let client = try AIHTTPClientFactory.make(caFile: caFile)
            let transport = OpenAITransport(
                httpClient: client, configuration: .init(baseURL: server.baseURL, apiKey: server.apiKey))
            let result = try await Self.whisper(transport).transcribe(Self.audio, filename: "a.wav", duration: 1)
            try await client.shutdown()
            #expect(result.text == "transcribed a.wav")
        }
        let error = #expect(throws: AIClientError.self) { try AIHTTPClientFactory.make(caFile: "/nonexistent.pem") }
        #expect(error?.code == .configuration)
    }

    @Test func refusesAServerItDoesNotTrust() async throws {
        try await FakeOpenAIServer.run { server in
            var configuration = OpenAITransportConfiguration(baseURL: server.baseURL, apiKey: server.apiKey)
            configuration.retry = RetryPolicy(maxAttempts: 1)
            let client = try AIHTTPClientFactory.make(caFile: nil)
            let transport = OpenAITransport(httpClient: client, configuration: configuration)
            let error = await #expect(throws: AIClientError.self) {
                try await Self.whisper(transport).transcribe(Self.audio, filename: "a.wav", duration: 1)
            }
            try await client.shutdown()
            #expect(error?.code == .connection)
            #expect(await server.state.requests.isEmpty)
        }
    }
}
