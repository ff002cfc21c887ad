package import CallPipeCore
import Foundation

/// Deletes the partial files a crash left among the recordings (an upload cut off before it was
/// complete, fsynced and renamed) — never a file a recording row refers to. Run at start, before
/// the server takes uploads, so no upload in progress can be mistaken for a leftover.
package struct LeftoverFileSweep: Sendable {
    /// The recordings directory (`<data dir>/recordings`, one directory per call).
    package var directory: String
    /// Name endings of files still being written: `.partial`, and the names earlier versions used.
    package static let suffixes = [DurableFiles.partialSuffix, ".upload", ".part"]

    package init(directory: String) {
        self.directory = directory
    }

    /// Deletes the leftovers; returns how many were deleted.
    package func run(store: any CallRepository) async throws -> Int {
        var deleted = 0
        let calls = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for callID in calls {
            let callDirectory = (directory as NSString).appendingPathComponent(callID)
            let files = (try? FileManager.default.contentsOfDirectory(atPath: callDirectory)) ?? []
            let leftovers = files.filter { name in Self.suffixes.contains { name.hasSuffix($0) } }
            guard !leftovers.isEmpty else { continue }
            // Compared by file name within the call's directory, so a data directory given
            // differently (relative, absolute) from one start to the next changes nothing.
            let referenced = Set(
                try await store.recordings(callID: callID).map { ($0.path as NSString).lastPathComponent })
            for name in leftovers where !referenced.contains(name) {
                let path = (callDirectory as NSString).appendingPathComponent(name)
                if (try? FileManager.default.removeItem(atPath: path)) != nil { deleted += 1 }
            }
        }
        return deleted
    }
}
