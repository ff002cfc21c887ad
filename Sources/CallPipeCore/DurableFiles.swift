import Foundation

/// The file operations behind "a 202 means the recording survives a power cut" (docs/production.md,
/// "Durability"): a file is written under a `.partial` name, fsynced, renamed to its final name,
/// and the directory holding it is fsynced — as is the parent of every directory created on the
/// way — so that after a crash a file is either complete under its final name or a leftover
/// `.partial` that the next start sweeps away.
package enum DurableFiles {
    /// The suffix of files still being written.
    package static let partialSuffix = ".partial"

    /// Creates `path` and its missing parents, fsyncing the parent of each directory created.
    package static func createDirectory(_ path: String) throws(CallPipeError) {
        var missing: [String] = []
        var current = path
        while !FileManager.default.fileExists(atPath: current) {
            missing.append(current)
            let parent = parentDirectory(of: current)
            guard parent != current else { break }
            current = parent
        }
        for directory in missing.reversed() {
            if mkdir(directory, 0o755) != 0, errno != EEXIST {
                throw failure("creating a directory", errno: errno)
            }
            try synchronizeDirectory(parentDirectory(of: directory))
        }
    }

    /// fsyncs a directory, making the entries created, renamed or removed in it durable.
    package static func synchronizeDirectory(_ path: String) throws(CallPipeError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { throw failure("opening a directory to sync it", errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("syncing a directory", errno: errno) }
    }

    /// fsyncs a file's data and size.
    package static func synchronizeFile(_ path: String) throws(CallPipeError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw failure("opening a file to sync it", errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("syncing a file", errno: errno) }
    }

    /// Renames a written (and fsynced) file to its final name and fsyncs its directory: from then
    /// on the file survives a power cut under that name.
    package static func commit(_ source: String, to destination: String) throws(CallPipeError) {
        guard rename(source, destination) == 0 else { throw failure("renaming a file", errno: errno) }
        try synchronizeDirectory(parentDirectory(of: destination))
    }

    /// Whether an `errno` means the disk or the quota is full.
    package static func isOutOfSpace(errno code: Int32) -> Bool {
        code == ENOSPC || code == EDQUOT
    }

    /// Whether an error thrown by Foundation's file APIs means the disk or the quota is full.
    package static func isOutOfSpace(_ error: any Error) -> Bool {
        if let error = error as? CallPipeError { return error.code == .storageFull }
        if let error = error as? CocoaError, error.code == .fileWriteOutOfSpace { return true }
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain, isOutOfSpace(errno: Int32(truncatingIfNeeded: error.code)) {
            return true
        }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? any Error { return isOutOfSpace(underlying) }
        return false
    }

    /// The error for a failed system call: `storageFull` for ENOSPC and EDQUOT, else `storage`.
    /// Messages name no path: they may reach a client.
    package static func failure(_ operation: String, errno code: Int32) -> CallPipeError {
        if isOutOfSpace(errno: code) { return FreeSpaceGuard.outOfSpace }
        return CallPipeError(.storage, "\(operation) failed: \(String(cString: strerror(code)))")
    }

    static func parentDirectory(of path: String) -> String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }
}
