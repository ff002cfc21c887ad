import Foundation

/// Writes planned chunks of a recording as WAV or FLAC files (the form Whisper uploads take),
/// decoding the recording once and streaming each chunk to its own file.
package struct ChunkExporter: Sendable {
    /// A chunk written to disk.
    package struct ExportedChunk: Sendable, Equatable {
        package var chunk: AudioChunk
        package var path: String
        package var bytes: Int
        /// For compacted chunks, how the file's times map to the recording's.
        package var timeline: CompactTimeline?
    }

    /// Which audio of each chunk goes into its file.
    package enum Selection: Sendable, Equatable {
        /// All of it.
        case everything
        /// All of it, with audio outside speech silenced.
        case gated(SpeechGate)
        /// Only the speech, pieces joined by `gap` seconds of silence.
        case compacted(SpeechGate, gap: Double)
    }

    package var decoder: AudioFileDecoder

    package init(decoder: AudioFileDecoder = .init()) {
        self.decoder = decoder
    }

    /// Writes `chunks` of the recording at `path` into `directory` as `<prefix>-000.flac`, ...
    /// With `channel`, only that channel is written (mono files, one party each). Chunks whose
    /// selection is empty are not written.
    package func export(
        _ path: String, chunks: [AudioChunk], channel: Int? = nil, selection: Selection = .everything,
        format: SoundFileFormat = .flac, directory: String, prefix: String = "chunk"
    ) async throws -> [ExportedChunk] {
        try await decoder.withSession(path) { session in
            let info = session.info
            if let channel, !(0..<info.channels).contains(channel) {
                throw AudioError(.invalidArgument, "\(path): has no channel \(channel)", path: path)
            }
            if let first = chunks.first, first.sampleRate != info.sampleRate {
                throw AudioError(
                    .invalidArgument,
                    "chunks were planned at \(first.sampleRate) Hz, the decoder gives \(info.sampleRate) Hz")
            }
            let files = chunks.map { chunk in
                ChunkFile(
                    chunk: chunk, path: Self.filePath(directory, prefix, chunk.index, format), format: format,
                    channels: channel == nil ? info.channels : 1, selection: selection)
            }
            var current = 0
            try session.forEachChunk { pcm in
                var planar = channel.map { [pcm.channels[$0]] } ?? pcm.channels
                if case .gated(let gate) = selection { gate.apply(to: &planar, startFrame: pcm.startFrame) }
                let pcmEnd = pcm.startFrame + pcm.frameCount
                while current < files.count {
                    let file = files[current]
                    let from = max(file.chunk.startFrame, pcm.startFrame)
                    let to = min(file.chunk.endFrame, pcmEnd)
                    if to > from { try file.write(planar, frames: from..<to, offset: pcm.startFrame) }
                    guard file.chunk.endFrame <= pcmEnd else { break }
                    try file.close()
                    current += 1
                }
            }
            for file in files { try file.close() }
            return try files.compactMap { try $0.exported() }
        }
    }

    private static func filePath(_ directory: String, _ prefix: String, _ index: Int, _ format: SoundFileFormat)
        -> String
    {
        let number = String(index)
        let name =
            "\(prefix)-\(String(repeating: "0", count: max(0, 3 - number.count)))\(number).\(format.fileExtension)"
        return (directory as NSString).appendingPathComponent(name)
    }
}
