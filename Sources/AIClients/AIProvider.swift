package import AsyncHTTPClient
package import Logging

/// The transcriber and analyzer a configuration asks for, ready to use for the length of a scope.
package struct AIServices: Sendable {
    package var transcriber: any Transcriber
    package var analyzer: any CallAnalyzer
    /// Live calls' transcriber: the same model with its own concurrency limit.
    package var liveTranscriber: any Transcriber
    /// Live calls' sentiment batches: the same model on the live calls' concurrency limit, so
    /// hundreds of live calls do not queue behind the post-call pipeline's few requests.
    package var liveAnalyzer: any CallAnalyzer

    package init(
        transcriber: any Transcriber, analyzer: any CallAnalyzer, liveTranscriber: (any Transcriber)? = nil,
        liveAnalyzer: (any CallAnalyzer)? = nil
    ) {
        self.transcriber = transcriber
        self.analyzer = analyzer
        self.liveTranscriber = liveTranscriber ?? transcriber
        self.liveAnalyzer = liveAnalyzer ?? analyzer
    }
}

/// Builds `AIServices` from configuration: the OpenAI API (or a compatible server) with Whisper and
/// GPT, or the local provider — the bundled Whisper server started as a child process and the
/// heuristic analyzer.
package enum AIProvider {
    package static func withServices<Result: Sendable>(
        _ configuration: AIProviderConfiguration, httpClient: HTTPClient, localWhisper: LocalWhisperConfiguration,
        logger: Logger, _ body: (AIServices) async throws -> Result
    ) async throws -> Result {
        switch configuration.provider {
        case .openai:
            var transport = OpenAITransportConfiguration(baseURL: configuration.baseURL, apiKey: configuration.apiKey)
            transport.maxConcurrentRequests = 4
            let client = OpenAITransport(httpClient: httpClient, configuration: transport)
            transport.maxConcurrentRequests = configuration.liveConcurrency
            let live = OpenAITransport(httpClient: httpClient, configuration: transport)
            // Word timestamps put lines and click-to-seek on the words (docs/ARCHITECTURE.md §3).
            let options = TranscriptionOptions(
                model: configuration.transcriptionModel, language: nil, wordTimestamps: true)
            // Live lines are one utterance each: their times come from the endpointer, so words would
            // only add latency.
            var liveOptions = options
            liveOptions.wordTimestamps = false
            let services = AIServices(
                transcriber: OpenAITranscriber(transport: client, options: options, logger: logger),
                analyzer: OpenAICallAnalyzer(transport: client, model: configuration.analysisModel, logger: logger),
                liveTranscriber: OpenAITranscriber(transport: live, options: liveOptions, logger: logger),
                liveAnalyzer: OpenAICallAnalyzer(transport: live, model: configuration.analysisModel, logger: logger))
            return try await body(services)
        case .local:
            return try await LocalWhisperServer.withServer(localWhisper, logger: logger) { baseURL in
                var transport = OpenAITransportConfiguration(baseURL: baseURL, apiKey: nil)
                transport.maxConcurrentRequests = 1  // One model on the CPU: queue here, not in Python.
                transport.requestTimeout = 600
                let client = OpenAITransport(httpClient: httpClient, configuration: transport)
                let options = TranscriptionOptions(model: localWhisper.model, language: "en", wordTimestamps: true)
                var liveOptions = options
                liveOptions.wordTimestamps = false
                let transcriber = OpenAITranscriber(
                    transport: client, options: options, providerName: "local", logger: logger)
                let live = OpenAITranscriber(
                    transport: client, options: liveOptions, providerName: "local", logger: logger)
                return try await body(
                    AIServices(transcriber: transcriber, analyzer: HeuristicCallAnalyzer(), liveTranscriber: live))
            }
        }
    }
}
