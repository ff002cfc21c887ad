import Hummingbird
import NIOCore
import NIOFileSystem

/// Streams a request body to a new file — never collecting it in memory — within a size limit,
/// and fsyncs it before anyone answers 2xx.
enum UploadWriter {
    /// Writes `body` to `path` (which must not exist); returns the byte count.
    static func write(_ body: RequestBody, to path: String, limit: Int64) async throws -> Int64 {
        try await FileSystem.shared.withFileHandle(
            forWritingAt: FilePath(path), options: .newFile(replaceExisting: false)
        ) { handle in
            var written: Int64 = 0
            for try await buffer in body {
                let count = Int64(buffer.readableBytes)
                guard written + count <= limit else {
                    throw APIError(
                        .contentTooLarge, "too_large", "the upload is larger than the limit of \(limit) bytes")
                }
                try await handle.write(contentsOf: buffer.readableBytesView, toAbsoluteOffset: written)
                written += count
            }
            try await handle.synchronize()
            return written
        }
    }
}
