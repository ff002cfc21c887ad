import AIClients
import ArgumentParser
import AsyncHTTPClient
import Audio
import Foundation
import Logging
import Pipeline

/// `callpipe transcribe FILE [--json]`: the full post-call report with the configured AI provider.
struct TranscribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcribe",
        abstract: "Talk-time analysis, transcript and insights of a recording with the configured AI provider.")

    @Argument(help: "A recording in any format FFmpeg reads.")
    var file: String

    @Flag(help: "Print the CallReport JSON instead of readable text.")
    var json = false

    func run() async throws {
        let reader = try await ConfigurationReader.make()
        let ai: AIProviderConfiguration
        do {
            ai = try AIProviderConfiguration(reader: reader)
        } catch {
            throw CommandFailure(message: error.message, exitCode: 2)
        }
        let decoding = try AnalyzeCommand.decoderConfiguration(reader: reader)
        let logger = Logger(label: "callpipe")
        let file = file
        let report: CallReport = try await AudioFileDecoder.withThreadPool(threads: 1) { pool in
            let decoder = AudioFileDecoder(configuration: decoding, threadPool: pool)
            // Read the audio first: a bad file is exit code 3 before any AI server is started.
            _ = try await decoder.probe(file)
            return try await Self.report(for: file, ai: ai, decoder: decoder, logger: logger)
        }
        try ReportOutput.print(report, json: json) { report.readableText }
    }

    private static func report(
        for file: String, ai: AIProviderConfiguration, decoder: AudioFileDecoder, logger: Logger
    ) async throws -> CallReport {
        let httpClient = try AIHTTPClientFactory.make(caFile: ai.caFile)
        let local = LocalWhisperConfiguration.locate(explicit: ai.localWhisperDirectory)
        let report: CallReport
        do {
            report = try await AIProvider.withServices(ai, httpClient: httpClient, localWhisper: local, logger: logger)
            { services in
                let builder = CallReportBuilder(
                    recordingAnalyzer: RecordingAnalyzer(decoder: decoder),
                    callTranscriber: CallTranscriber(
                        transcriber: services.transcriber, exporter: ChunkExporter(decoder: decoder), logger: logger),
                    callAnalyzer: services.analyzer)
                return try await builder.report(for: file)
            }
            try await httpClient.shutdown()
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
        return report
    }
}
