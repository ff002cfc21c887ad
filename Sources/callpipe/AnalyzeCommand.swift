import ArgumentParser
import Audio

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
        let analysis = try await RecordingAnalyzer().analyze(file)
        try ReportOutput.print(analysis, json: json) { analysis.table }
    }
}
