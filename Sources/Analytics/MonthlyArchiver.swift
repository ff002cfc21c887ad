package import CallPipeCore
import Crypto
package import Foundation

/// Monthly CSV archives of every call (docs/connectors.md): one month's calls, oldest first, in the
/// export's CSV, written to `<directory>/calls-YYYY-MM.csv` through a temporary file, fsynced and
/// renamed over the old one — archiving a month again replaces it atomically, and the same calls
/// give the same bytes.
package struct MonthlyArchiver: Sendable {
    package struct Archive: Sendable, Equatable, Codable {
        /// `YYYY-MM`.
        package var month: String
        package var fileName: String
        package var calls: Int
        package var bytes: Int
        /// Of the file's bytes, hex.
        package var sha256: String
    }

    package let store: any CallAnalytics
    package let directory: String
    package var pageSize = 1_000

    package init(store: any CallAnalytics, directory: String) {
        self.store = store
        self.directory = directory
    }

    /// The UTC instants of `month` (`YYYY-MM`, years 2000–2999): its first moment and the next month's.
    package static func range(ofMonth month: String) throws(CallPipeError) -> Range<Date> {
        let parts = month.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
            let number = Int(parts[1]), (2_000...2_999).contains(year), (1...12).contains(number)
        else { throw CallPipeError(.invalid, "month \"\(month)\" is not YYYY-MM (2000-01 to 2999-12)") }
        let start = Calendar.utc.date(from: DateComponents(year: year, month: number, day: 1))!
        return start..<Calendar.utc.date(byAdding: .month, value: 1, to: start)!
    }

    /// The file a month's archive is kept in.
    package static func fileName(ofMonth month: String) -> String { "calls-\(month).csv" }

    /// Writes (or rewrites) `month`'s archive and says what it holds.
    package func archive(month: String) async throws -> Archive {
        let range = try Self.range(ofMonth: month)
        try DurableFiles.createDirectory(directory)
        let path = (directory as NSString).appendingPathComponent(Self.fileName(ofMonth: month))
        let temporary = path + ".partial-\(UUID().uuidString.prefix(8))"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else { throw CallPipeError(.storage, "could not create \(temporary)") }
        var hash = SHA256()
        var bytes = 0
        var calls = 0
        do {
            defer { try? handle.close() }
            func write(_ text: String) throws {
                let data = Data(text.utf8)
                hash.update(data: data)
                bytes += data.count
                try handle.write(contentsOf: data)
            }
            try write(CSVExport.header)
            let filter = CallFilter(from: range.lowerBound, to: range.upperBound)
            var cursor: ExportCursor?
            while true {
                let page = try await store.exportPage(filter, after: cursor, limit: pageSize)
                var chunk = ""
                for row in page { chunk += CSVExport.line(row) }
                try write(chunk)
                calls += page.count
                guard page.count == pageSize, let last = page.last else { break }
                cursor = ExportCursor(createdAt: last.createdAt, callID: last.callID)
            }
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        try DurableFiles.commit(temporary, to: path)
        return Archive(
            month: month, fileName: Self.fileName(ofMonth: month), calls: calls, bytes: bytes,
            sha256: hash.finalize().map { String(format: "%02x", $0) }.joined())
    }

    /// The months archived so far, newest first (name and size; the rows are in the file).
    package func archivedMonths() -> [(month: String, bytes: Int)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name -> (String, Int)? in
            guard name.hasPrefix("calls-"), name.hasSuffix(".csv") else { return nil }
            let month = String(name.dropFirst("calls-".count).dropLast(".csv".count))
            guard (try? Self.range(ofMonth: month)) != nil else { return nil }
            let size =
                (try? FileManager.default.attributesOfItem(atPath: (directory as NSString).appendingPathComponent(name)))?[
                    .size] as? Int
            return (month, size ?? 0)
        }.sorted { $0.0 > $1.0 }
    }
}
