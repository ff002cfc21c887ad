package import NIOPosix

extension AudioFileDecoder {
    /// Runs `body` with a thread pool of its own for decoding, `threads` threads (at least one),
    /// shut down when `body` returns or throws.
    ///
    /// The pool bounds how many recordings decode at once: `callpipe serve` makes one for its
    /// workers (`CALLPIPE_DECODE_THREADS`); the one-shot commands make a small one for their file.
    package static func withThreadPool<Result>(
        threads: Int, isolation: isolated (any Actor)? = #isolation,
        _ body: (NIOThreadPool) async throws -> Result
    ) async throws -> Result {
        let pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
        let result: Result
        do {
            result = try await body(pool)
        } catch {
            // Decodes still running were cancelled with their callers; shutting down waits for them.
            try? await pool.shutdownGracefully()
            throw error
        }
        try await pool.shutdownGracefully()
        return result
    }
}
