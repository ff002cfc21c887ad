package import NIOPosix

/// Decodes recordings off the cooperative pool.
///
/// FFmpeg's calls block, so every decode runs inside one closure on `NIOThreadPool` (STYLE.md 6).
/// The closure gets a ``DecodingSession`` that must not escape it; what it returns must be
/// `Sendable`, so only plain values (analyses, spans, chunks) come back.
package struct AudioFileDecoder: Sendable {
    package var configuration: AudioDecoderConfiguration
    package var threadPool: NIOThreadPool

    package init(configuration: AudioDecoderConfiguration = .init(), threadPool: NIOThreadPool = .singleton) {
        self.configuration = configuration
        self.threadPool = threadPool
    }

    /// Opens `path` and reports what it holds without decoding it (used to sniff uploads).
    package func probe(_ path: String) async throws -> AudioSourceInfo {
        let configuration = configuration
        return try await threadPool.runIfActive {
            try FFmpegDecoder(path: path, configuration: configuration).info
        }
    }

    /// Runs `process` on a pool thread with a session over the opened file.
    package func withSession<Result: Sendable>(
        _ path: String, _ process: @escaping @Sendable (DecodingSession) throws -> Result
    ) async throws -> Result {
        let configuration = configuration
        return try await threadPool.runIfActive {
            try process(DecodingSession(decoder: try FFmpegDecoder(path: path, configuration: configuration)))
        }
    }
}

/// One opened recording, valid only inside ``AudioFileDecoder/withSession(_:_:)``.
package struct DecodingSession {
    let decoder: FFmpegDecoder

    /// What the file holds and what the decoded PCM will look like.
    package var info: AudioSourceInfo { decoder.info }

    /// Decodes the file from start to end, handing each chunk to `body` in order.
    package func forEachChunk(_ body: (PCMChunk) throws -> Void) throws {
        try decoder.decode(body)
    }
}
