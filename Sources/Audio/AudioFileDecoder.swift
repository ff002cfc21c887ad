package import NIOPosix

/// Decodes recordings off the cooperative pool, within the configuration's bounds.
///
/// FFmpeg's calls block, so every decode runs inside one closure on a `NIOThreadPool` (docs/ARCHITECTURE.md, Conventions
/// 6): the server gives its decoder its own bounded pool (``withThreadPool(threads:_:)``), so long
/// decodes wait for each other instead of for uploads and other blocking work on the shared one.
/// The closure gets a ``DecodingSession`` that must not escape it; what it returns must be
/// `Sendable`, so only plain values (analyses, spans, chunks) come back. Cancelling the awaiting
/// task stops the decode at its next check, and every decode has a deadline.
package struct AudioFileDecoder: Sendable {
    package var configuration: AudioDecoderConfiguration
    package var threadPool: NIOThreadPool

    package init(configuration: AudioDecoderConfiguration = .init(), threadPool: NIOThreadPool = .singleton) {
        self.configuration = configuration
        self.threadPool = threadPool
    }

    /// Opens `path` and reports what it holds without decoding it (used to sniff uploads). FFmpeg
    /// reads at most a few megabytes for this, so the deadline is at most `probeTimeout`.
    package func probe(_ path: String) async throws -> AudioSourceInfo {
        try await run(path, timeout: min(configuration.timeout, Self.probeTimeout)) { $0.info }
    }

    /// Seconds a probe may take at most.
    package static let probeTimeout = 30.0

    /// Runs `process` on a pool thread with a session over the opened file.
    package func withSession<Result: Sendable>(
        _ path: String, _ process: @escaping @Sendable (DecodingSession) throws -> Result
    ) async throws -> Result {
        try await run(path, timeout: configuration.timeout) { try process(DecodingSession(decoder: $0)) }
    }

    private func run<Result: Sendable>(
        _ path: String, timeout: Double, _ work: @escaping @Sendable (FFmpegDecoder) throws -> Result
    ) async throws -> Result {
        let configuration = configuration
        let interrupt = DecodeInterrupt(timeout: timeout)
        return try await withTaskCancellationHandler {
            try await threadPool.runIfActive {
                try work(try FFmpegDecoder(path: path, configuration: configuration, interrupt: interrupt))
            }
        } onCancel: {
            interrupt.cancel()
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
