package import AIClients
package import Audio
import Foundation
package import Logging

/// Channel-aware transcription of a whole recording.
///
/// Stereo calls are transcribed per channel (agent and customer), each channel cut at its own
/// silences into chunks under the upload limit. Only each channel's speech goes into a chunk,
/// pieces joined by short gaps: no bleed of the other party, no noise to hallucinate on, no long
/// silence that makes Whisper skip a sentence, no silence paid for. Chunks are encoded as FLAC
/// with libsndfile and sent with bounded concurrency; segment times are mapped back through each
/// chunk's exact timeline, tightened to our own speech spans, filtered for hallucinations and
/// merged in time order. Mono calls are transcribed
/// once, with `unknown` speakers for the analyzer (or a diarizing model) to attribute.
package struct CallTranscriber: Sendable {
    package var transcriber: any Transcriber
    package var configuration: CallTranscriptionConfiguration
    package var exporter: ChunkExporter
    package var logger: Logger

    package init(
        transcriber: any Transcriber, configuration: CallTranscriptionConfiguration = .init(),
        exporter: ChunkExporter = .init(), logger: Logger
    ) {
        self.transcriber = transcriber
        self.configuration = configuration
        self.exporter = exporter
        self.logger = logger
    }

    /// One party's audio to transcribe.
    struct Track {
        var channel: Int?
        var speaker: String
        var spans: [SpeechSpan]
    }

    package func transcribe(_ path: String, detection: SpeechDetection) async throws -> (Transcript, AIUsage) {
        let tracks = Self.tracks(detection, channelMap: configuration.channelMap)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "callpipe-chunks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Export every track first (each a streaming decode), then transcribe all their chunks in
        // one bounded group, so both parties' chunks share the concurrency.
        var jobs: [(track: Track, file: ChunkExporter.ExportedChunk)] = []
        for (index, track) in tracks.enumerated() where !track.spans.isEmpty {
            let files = try await export(
                path, track: track, detection: detection, directory: directory.path, prefix: "track\(index)")
            jobs += files.map { (track, $0) }
        }
        let results = try await transcribeAll(jobs.map(\.file))
        var segments: [TranscriptSegment] = []
        var usage = AIUsage()
        var language: String?
        for ((track, file), result) in zip(jobs, results) {
            logger.trace(
                "Chunk transcribed",
                metadata: [
                    "call.chunk": "\(file.path)", "call.chunk_start_s": "\(file.chunk.start)",
                    "ai.segments":
                        "\(result.segments.map { "\($0.start)-\($0.end) p=\($0.noSpeechProbability ?? -1) \($0.text)" })",
                ])
            usage = usage + result.usage
            language = language ?? result.language
            segments += Self.segments(of: result, file: file, track: track, configuration: configuration)
        }
        segments.sort { ($0.startS, $0.speaker) < ($1.startS, $1.speaker) }
        return (Transcript(language: language, segments: segments), usage)
    }

    static func tracks(_ detection: SpeechDetection, channelMap: ChannelMap) -> [Track] {
        switch detection.channelMode {
        case .separate:
            return (0..<detection.source.channels).map { channel in
                Track(
                    channel: channel, speaker: channelMap.speaker(ofChannel: channel).rawValue,
                    spans: detection.spans.filter { $0.channel == channel })
            }
        case .duplicated:
            return [Track(channel: 0, speaker: Speaker.unknown.rawValue, spans: detection.spans)]
        case .mono:
            return [Track(channel: nil, speaker: Speaker.unknown.rawValue, spans: detection.spans)]
        }
    }

    private func export(
        _ path: String, track: Track, detection: SpeechDetection, directory: String, prefix: String
    ) async throws -> [ChunkExporter.ExportedChunk] {
        let rate = detection.source.sampleRate
        let totalFrames = Int((detection.duration * Double(rate)).rounded())
        let chunks = SilenceChunker(configuration: configuration.chunking)
            .plan(spans: track.spans, totalFrames: totalFrames, sampleRate: rate, channels: 1)
            .filter { chunk in track.spans.contains { $0.end > chunk.start && $0.start < chunk.end } }
        let gate = SpeechGate(spans: track.spans, padding: configuration.gatePadding, sampleRate: rate)
        let channel = track.channel ?? (detection.source.channels == 1 ? nil : 0)
        return try await exporter.export(
            path, chunks: chunks, channel: channel, selection: .compacted(gate, gap: configuration.compactionGap),
            format: configuration.chunking.format, directory: directory, prefix: prefix)
    }

    /// Transcribes every file, at most `concurrency` at once, results in input order.
    private func transcribeAll(_ files: [ChunkExporter.ExportedChunk]) async throws -> [TranscriptionResult] {
        let transcriber = transcriber
        let limit = max(1, configuration.concurrency)
        return try await withThrowingTaskGroup(of: (Int, TranscriptionResult).self) { group in
            var results = [TranscriptionResult?](repeating: nil, count: files.count)
            var next = 0
            func startNext() {
                guard next < files.count else { return }
                let index = next
                let file = files[index]
                next += 1
                group.addTask {
                    let data = try Data(contentsOf: URL(fileURLWithPath: file.path))
                    let name = (file.path as NSString).lastPathComponent
                    return (
                        index,
                        try await transcriber.transcribe(
                            data, filename: name, duration: file.chunk.end - file.chunk.start)
                    )
                }
            }
            for _ in 0..<limit { startNext() }
            while let (index, result) = try await group.next() {
                results[index] = result
                startNext()
            }
            return results.map { $0! }
        }
    }
}
