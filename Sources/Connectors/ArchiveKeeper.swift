package import Analytics
package import CallPipeCore
package import Foundation

/// Monthly archives kept where recordings are kept (the data dir or object storage) and listed
/// in the store, so every node lists and serves the same archives (docs/connectors.md).
package struct ArchiveKeeper: Sendable {
    package var store: any ConnectorRepository & CallAnalytics
    package var storage: any RecordingStorage
    /// Where the file is written first (`<data dir>/archives`).
    package var directory: String

    package init(store: any ConnectorRepository & CallAnalytics, storage: any RecordingStorage, directory: String) {
        self.store = store
        self.storage = storage
        self.directory = directory
    }

    /// Writes `month`'s archive (replacing an earlier one atomically) and lists it.
    package func archive(month: String) async throws -> StoredArchive {
        let made = try await MonthlyArchiver(store: store, directory: directory).archive(month: month)
        let path = (directory as NSString).appendingPathComponent(made.fileName)
        let location = try await storage.keep(path, key: "archives/\(made.fileName)", contentType: "text/csv")
        let archive = StoredArchive(
            month: made.month, fileName: made.fileName, location: location, calls: made.calls, bytes: made.bytes,
            sha256: made.sha256, createdAt: Date())
        try await store.saveArchive(archive)
        if location != path { try? FileManager.default.removeItem(atPath: path) }
        return archive
    }

    /// `YYYY-MM` of the month before `date`'s (UTC).
    package static func previousMonth(of date: Date) -> String {
        let calendar = Calendar.utc
        let previous = calendar.date(byAdding: .month, value: -1, to: date)!
        let parts = calendar.dateComponents([.year, .month], from: previous)
        return String(format: "%04d-%02d", parts.year!, parts.month!)
    }
}
