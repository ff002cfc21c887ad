import AIClients
import ArgumentParser
import AsyncHTTPClient
import Audio
import FakeOpenAIServer
import Foundation
import Logging
import Pipeline

/// `callpipe-bench ai`: the post-call pipeline against a fake OpenAI server with a fixed latency
/// per request, at concurrency 1 and 4, and against the local tiny.en server (scripts/bench ai).
@main
struct CallPipeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "callpipe-bench", abstract: "CallPipe benchmarks (run through scripts/bench).",
        subcommands: [
            AIBenchmark.self, GatewayBenchmark.self, LiveBenchmark.self, LiveCostBenchmark.self,
            AnalyticsBenchmark.self,
            ConnectorBenchmark.self, PIIBenchmark.self, FakeOpenAICommand.self,
        ])
}

struct AIBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ai")

    @Option(help: "The call to transcribe.")
    var call: String

    @Option(help: "Seconds the fake server waits before each answer.")
    var latency = 0.3

    @Option(help: "Longest chunk in seconds.")
    var chunk = 60.0

    @Option(help: "tools/local-whisper, to measure the local provider too.")
    var localWhisper: String?

    func run() async throws {
        let logger = Logger(label: "bench")
        let detection = try await RecordingAnalyzer().detectSpeech(call)
        print("call: \(call), \(String(format: "%.1f", detection.duration / 60)) min, chunks up to \(Int(chunk)) s")
        var walls: [Int: Double] = [:]
        var requests = (transcriptions: 0, chats: 0)
        for concurrency in [1, 4] {
            let (wall, counts) = try await fakeServerRun(concurrency: concurrency, logger: logger)
            walls[concurrency] = wall
            requests = counts
        }
        let serverTime = Double(requests.transcriptions + requests.chats) * latency
        let overhead = walls[1]! - serverTime
        let idealFour = overhead + (Double((requests.transcriptions + 3) / 4) + Double(requests.chats)) * latency
        print(
            "fake OpenAI server, \(Int(latency * 1_000)) ms per request, \(requests.transcriptions) transcription + \(requests.chats) analysis requests"
        )
        print(
            String(
                format: "  concurrency 1: %.2f s   concurrency 4: %.2f s   speed-up %.2fx (ideal %.2fx)", walls[1]!,
                walls[4]!, walls[1]! / walls[4]!, walls[1]! / idealFour))
        print(
            String(
                format:
                    "  pipeline's own time (wall at concurrency 1 minus the server's %.2f s): %.2f s = %.1f%% of the call's length",
                serverTime, overhead, 100 * overhead / detection.duration))
        if let localWhisper {
            try await localRun(directory: localWhisper, duration: detection.duration, logger: logger)
        }
    }

    private func fakeServerRun(concurrency: Int, logger: Logger) async throws -> (Double, (Int, Int)) {
        try await FakeOpenAIServer.run { server in
            await server.state.setLatency(latency)
            let client = try server.makeClient()
            var transport = OpenAITransportConfiguration(baseURL: server.baseURL, apiKey: server.apiKey)
            transport.maxConcurrentRequests = concurrency
            let openAI = OpenAITransport(httpClient: client, configuration: transport)
            var configuration = CallTranscriptionConfiguration()
            configuration.chunking.maxDuration = chunk
            configuration.concurrency = concurrency
            let builder = CallReportBuilder(
                callTranscriber: CallTranscriber(
                    transcriber: OpenAITranscriber(
                        transport: openAI, options: .init(model: "whisper-1"), logger: logger),
                    configuration: configuration, logger: logger),
                callAnalyzer: OpenAICallAnalyzer(transport: openAI, model: "gpt-4o-mini", logger: logger))
            let started = ContinuousClock.now
            do {
                _ = try await builder.report(for: call)
                try await client.shutdown()
            } catch {
                try? await client.shutdown()
                throw error
            }
            let wall = Self.seconds(ContinuousClock.now - started)
            let recorded = await server.state.requests
            let violations = await server.state.violations
            if !violations.isEmpty { throw FakeServerError(message: "invalid requests: \(violations)") }
            let transcriptions = recorded.filter { $0.path.hasSuffix("transcriptions") }.count
            return (wall, (transcriptions, recorded.count - transcriptions))
        }
    }

    private func localRun(directory: String, duration: Double, logger: Logger) async throws {
        let local = LocalWhisperConfiguration(directory: directory)
        guard local.isInstalled else {
            print("local provider: not installed at \(directory) (run scripts/setup)")
            return
        }
        let started = ContinuousClock.now
        var ready = started
        try await AIProvider.withServices(
            .init(provider: .local), httpClient: .shared, localWhisper: local, logger: logger
        ) { services in
            ready = ContinuousClock.now
            _ = try await CallReportBuilder(
                callTranscriber: CallTranscriber(transcriber: services.transcriber, logger: logger),
                callAnalyzer: services.analyzer
            ).report(for: call)
        }
        let total = Self.seconds(ContinuousClock.now - ready)
        print(
            String(
                format:
                    "local provider (tiny.en, int8, 2 cores): server start %.1f s, call %.1f s → real-time factor %.3f (%.1fx faster than real time)",
                Self.seconds(ready - started), total, total / duration, duration / total))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
