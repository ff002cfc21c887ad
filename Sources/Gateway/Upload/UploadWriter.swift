import CallPipeCore
import Foundation
import Hummingbird
import NIOCore
import NIOFileSystem
import Synchronization

/// Streams a request body to a new file — never collecting it in memory — within a size limit and
/// the free-space reserve, and fsyncs it before anyone answers 2xx. A full disk (ENOSPC, EDQUOT,
/// or less free space than `CALLPIPE_MIN_FREE_MB`) is `CallPipeError.storageFull`: a 507.
enum UploadWriter {
    /// Free space is checked again each time this many more bytes have been written.
    static let spaceCheckInterval: Int64 = 8 << 20

    /// Writes `body` to `path` (which must not exist); returns the byte count. On failure the file
    /// is deleted.
    static func write<Body: AsyncSequence>(
        _ body: Body, to path: String, limit: Int64, freeSpace: FreeSpaceGuard
    ) async throws -> Int64 where Body.Element == ByteBuffer {
        let created = Mutex(false)
        do {
            // Created under its own (`.partial`) name, not NIO's unnamed or `.tmp-` file: if the
            // process dies mid-upload, what is left is a file the next start knows to sweep.
            let options = OpenOptions.Write(existingFile: .none, newFile: .init(transactionalCreation: false))
            return try await FileSystem.shared.withFileHandle(forWritingAt: FilePath(path), options: options) {
                handle in
                created.withLock { $0 = true }
                return try await copy(body, to: handle, limit: limit, freeSpace: freeSpace, checkingAt: path)
            }
        } catch {
            if created.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) }
            throw mapped(error)
        }
    }

    /// Writes `body` into an open file from its start, checks the reserve on `checkingAt` every
    /// `spaceCheckInterval` bytes, and fsyncs.
    static func copy<Body: AsyncSequence>(
        _ body: Body, to handle: some WritableFileHandleProtocol, limit: Int64, freeSpace: FreeSpaceGuard,
        checkingAt path: String
    ) async throws -> Int64 where Body.Element == ByteBuffer {
        var written: Int64 = 0
        var nextCheck = spaceCheckInterval
        for try await buffer in body {
            let count = Int64(buffer.readableBytes)
            guard written + count <= limit else {
                throw APIError(.contentTooLarge, "too_large", "the upload is larger than the limit of \(limit) bytes")
            }
            try await handle.write(contentsOf: buffer.readableBytesView, toAbsoluteOffset: written)
            written += count
            if written >= nextCheck {
                try freeSpace.check(path)
                nextCheck = written + spaceCheckInterval
            }
        }
        try await handle.synchronize()
        return written
    }

    /// ENOSPC and EDQUOT, however deep in the file system error, become `storageFull`.
    static func mapped(_ error: any Error) -> any Error {
        var cause: (any Error)? = error
        while let current = cause {
            if let call = current as? FileSystemError.SystemCallError,
                DurableFiles.isOutOfSpace(errno: call.errno.rawValue)
            {
                return FreeSpaceGuard.outOfSpace
            }
            if let errno = current as? Errno, DurableFiles.isOutOfSpace(errno: errno.rawValue) {
                return FreeSpaceGuard.outOfSpace
            }
            cause = (current as? FileSystemError)?.cause
        }
        return DurableFiles.isOutOfSpace(error) ? FreeSpaceGuard.outOfSpace : error
    }
}
