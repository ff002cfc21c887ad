import Foundation

/// The default storage: recordings stay where the upload or the live call wrote them, under the
/// node's recordings directory (`<data dir>/recordings/<call id>/`).
package struct LocalRecordingStorage: RecordingStorage {
    /// The recordings directory.
    package var directory: String

    package init(directory: String) {
        self.directory = directory
    }

    package var kind: String { "local" }

    package var summary: String { "local" }

    /// The file is already in place and durable: its path is the location.
    package func keep(_ path: String, key: String, contentType: String) async throws -> String { path }

    package func withLocalFile<T: Sendable>(
        _ location: String, _ body: (String) async throws -> T
    ) async throws -> T {
        try await body(location)
    }

    package func source(of location: String) async throws -> RecordingSource? {
        FileManager.default.fileExists(atPath: location) ? .file(location) : nil
    }

    package func delete(_ location: String) async throws {
        guard FileManager.default.fileExists(atPath: location) else { return }
        try FileManager.default.removeItem(atPath: location)
    }

    /// The directory exists (or can be made) and is writable.
    package func check() async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw CallPipeError(.storage, "the recordings directory is not writable")
        }
    }
}
