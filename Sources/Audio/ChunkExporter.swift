import Foundation

/// Writes planned chunks of a recording as WAV or FLAC files (the form Whisper uploads take),
/// decoding the recording once and streaming each chunk to its own file.
package struct ChunkExporter: Sendable {
    /// A chunk written to disk.
    package struct ExportedChunk: Sendable, Equatable {
        package var chunk: AudioChunk
        package var path: String
        package var bytes: Int
    }

    package var decoder: AudioFileDecoder

    package init(decoder: AudioFileDecoder = .init()) {
        self.decoder = decoder
    }

    /// Writes `chunks` of the recording at `path` into `directory` as `<prefix>-000.flac`, ...
    /// With `channel`, only that channel is written (mono files, one party each).
    package func export(
        _ path: String, chunks: [AudioChunk], channel: Int? = nil, format: SoundFileFormat = .flac,
        directory: String, prefix: String = "chunk"
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
            let paths = chunks.map { chunk in
                let name =
                    "\(prefix)-\(String(repeating: "0", count: max(0, 3 - String(chunk.index).count)))\(chunk.index)"
                return (directory as NSString).appendingPathComponent("\(name).\(format.fileExtension)")
            }
            var current = 0
            var writer: SoundFileWriter?
            try session.forEachChunk { pcm in
                let planar = channel.map { [pcm.channels[$0]] } ?? pcm.channels
                let pcmEnd = pcm.startFrame + pcm.frameCount
                while current < chunks.count {
                    let chunk = chunks[current]
                    let from = max(chunk.startFrame, pcm.startFrame)
                    let to = min(chunk.endFrame, pcmEnd)
                    if to > from {
                        if writer == nil {
                            writer = try SoundFileWriter(
                                path: paths[current], format: format, sampleRate: info.sampleRate,
                                channels: planar.count)
                        }
                        try writer?.write(planar, range: (from - pcm.startFrame)..<(to - pcm.startFrame))
                    }
                    guard chunk.endFrame <= pcmEnd else { break }
                    try writer?.close()
                    writer = nil
                    current += 1
                }
            }
            try writer?.close()
            return try zip(chunks, paths).map { chunk, path in
                let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
                return ExportedChunk(chunk: chunk, path: path, bytes: size)
            }
        }
    }
}
