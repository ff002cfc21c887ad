import ArgumentParser
import Audio
import CallPipeCore
import Configuration

/// `callpipe analyze FILE [--json]`: audio analytics only, no AI.
struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Talk time, silence, overlap and interruptions of a recording (no AI).")

    @Argument(help: "A recording in any format FFmpeg reads (WAV, MP3, M4A, Ogg, Opus, FLAC, ...).")
    var file: String

    @Flag(help: "Print the AudioAnalysis JSON instead of a table.")
    var json = false

    func run() async throws {
        let decoding = try Self.decoderConfiguration(reader: try await ConfigurationReader.make())
        let analysis = try await AudioFileDecoder.withThreadPool(threads: 1) { pool in
            try await RecordingAnalyzer(decoder: AudioFileDecoder(configuration: decoding, threadPool: pool))
                .analyze(file)
        }
        try ReportOutput.print(analysis, json: json) { analysis.table }
    }

    /// The decoder's limits from the environment (`CALLPIPE_MAX_AUDIO_SECONDS`,
    /// `CALLPIPE_DECODE_TIMEOUT_S`); a bad value is exit code 2.
    static func decoderConfiguration(reader: ConfigReader) throws -> AudioDecoderConfiguration {
        do {
            return try AudioDecoderConfiguration(reader: reader)
        } catch {
            throw CommandFailure(message: error.message, exitCode: 2)
        }
    }
}
