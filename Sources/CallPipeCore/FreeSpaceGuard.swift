import Foundation

/// Keeps a reserve of free disk space (`CALLPIPE_MIN_FREE_MB`): uploads are refused (507) and
/// live recordings stopped (close 1011) before the disk is actually full, so the database — which
/// needs room to commit — and the recordings already accepted are never the ones to hit ENOSPC.
package struct FreeSpaceGuard: Sendable {
    /// Below this many free bytes nothing more is written; 0 turns the check off (a real ENOSPC
    /// is still reported as `storageFull`).
    package var minimumFreeBytes: Int64
    /// Free bytes, for unprivileged writers, on the file system holding a path; `nil` when unknown.
    package var availableBytes: @Sendable (String) -> Int64?

    package init(
        minimumFreeBytes: Int64,
        availableBytes: @escaping @Sendable (String) -> Int64? = FreeSpaceGuard.availableBytes(at:)
    ) {
        self.minimumFreeBytes = minimumFreeBytes
        self.availableBytes = availableBytes
    }

    /// Whether the file system holding `path` (or its nearest existing parent) has the reserve.
    package func hasRoom(at path: String) -> Bool {
        guard minimumFreeBytes > 0, let available = availableBytes(path) else { return true }
        return available >= minimumFreeBytes
    }

    /// Throws `storageFull` when the file system holding `path` is below the reserve.
    package func check(_ path: String) throws(CallPipeError) {
        guard hasRoom(at: path) else {
            throw CallPipeError(
                .storageFull,
                "the server has less than \(minimumFreeBytes / 1_048_576) MB of free disk space (CALLPIPE_MIN_FREE_MB); nothing more can be stored until space is freed"
            )
        }
    }

    /// The error for a write that failed with ENOSPC or EDQUOT. Names no path: it may reach a client.
    package static let outOfSpace = CallPipeError(
        .storageFull, "the server's disk is full; nothing more can be stored until space is freed")

    /// `statvfs` free blocks for unprivileged users, at `path` or its nearest existing parent.
    package static func availableBytes(at path: String) -> Int64? {
        var current = path
        while true {
            var stats = statvfs()
            if statvfs(current, &stats) == 0 {
                let (bytes, overflow) = Int64(clamping: stats.f_bavail).multipliedReportingOverflow(
                    by: Int64(clamping: stats.f_frsize))
                return overflow ? Int64.max : bytes
            }
            let parent = DurableFiles.parentDirectory(of: current)
            guard errno == ENOENT, parent != current else { return nil }
            current = parent
        }
    }
}
