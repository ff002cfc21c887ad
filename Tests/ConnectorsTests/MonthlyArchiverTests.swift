import Analytics
import CallPipeCore
import Foundation
import Testing

/// Monthly CSV archives (docs/connectors.md): the month's calls across pages, the same bytes when
/// archived again, replaced atomically, a bad month refused, a failing store leaving the old file.
@Suite("Monthly archives")
struct MonthlyArchiverTests {
    /// The export role over a fixed list of calls, paged like the stores (oldest first, after a cursor).
    struct Calls: CallAnalytics {
        let rows: [CallExportRow]
        var failAfterPages: Int?
        let pages = Counter()

        final class Counter: @unchecked Sendable {
            private let lock = NSLock()
            private var value = 0
            func next() -> Int {
                lock.withLock {
                    value += 1; return value
                }
            }
        }

        func dashboard(_ filter: CallFilter) async throws -> DashboardReport { DashboardReport() }
        func agentMetrics(_ filter: CallFilter) async throws -> [AgentMetrics] { [] }
        func exportPage(_ filter: CallFilter, after cursor: ExportCursor?, limit: Int) async throws -> [CallExportRow] {
            if let failAfterPages, pages.next() > failAfterPages {
                throw CallPipeError(.storage, "the database went away")
            }
            let selected = rows.filter { row -> Bool in
                if let from = filter.from, row.createdAt < from { return false }
                if let to = filter.to, row.createdAt >= to { return false }
                guard let cursor else { return true }
                return (row.createdAt, row.callID) > (cursor.createdAt, cursor.callID)
            }
            let ordered = selected.sorted { ($0.createdAt, $0.callID) < ($1.createdAt, $1.callID) }
            return Array(ordered.prefix(limit))
        }
    }

    static func rows() -> [CallExportRow] {
        let start = try! MonthlyArchiver.range(ofMonth: "2026-11").lowerBound
        var rows: [CallExportRow] = []
        for index in 0..<2_500 {
            let customer: String? = index % 3 == 0 ? nil : "cust_\(index)"
            let topics: String? = index % 11 == 0 ? "=HYPERLINK(\"x\"), refund" : nil
            let direction = index % 2 == 0 ? "inbound" : "outbound"
            rows.append(
                CallExportRow(
                    callID: String(format: "call_%05d", index),
                    createdAt: start.addingTimeInterval(Double(index) * 1_500), agentID: "agent_\(index % 7)",
                    customerID: customer, direction: direction, status: "completed", metrics: CallRowMetrics(),
                    topics: topics, summary: "Call \(index)", isDemo: false))
        }
        return rows
    }

    @Test func archivesAMonthStablyAndReplacesItAtomically() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("archives-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let rows = Self.rows()
        let november = rows.filter { $0.createdAt < (try! MonthlyArchiver.range(ofMonth: "2026-11")).upperBound }
        var archiver = MonthlyArchiver(store: Calls(rows: rows), directory: directory)
        archiver.pageSize = 400
        let first = try await archiver.archive(month: "2026-11")
        #expect(first.calls == november.count && november.count > 1_000 && november.count < rows.count)
        let path = (directory as NSString).appendingPathComponent(first.fileName)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        // "\r\n" is one Character: dropping the last drops the line end.
        #expect(lines.first.map(String.init) == String(CSVExport.header.dropLast()))
        #expect(lines.count == november.count + 2)  // Header, rows, and the empty piece after the last CRLF.
        #expect(text.contains("\"'=HYPERLINK(\"\"x\"\"), refund\""))  // A formula neutralised and quoted.
        // Again: the same bytes; the December archive holds the rest.
        let again = try await archiver.archive(month: "2026-11")
        #expect(again == first)
        #expect(try await archiver.archive(month: "2026-12").calls == rows.count - november.count)
        #expect(archiver.archivedMonths().map(\.month) == ["2026-12", "2026-11"])
        // A store failing half way leaves the archive that was there, and no partial file.
        var failing = MonthlyArchiver(store: Calls(rows: rows, failAfterPages: 2), directory: directory)
        failing.pageSize = 400
        await #expect(throws: CallPipeError.self) { try await failing.archive(month: "2026-11") }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == [
                "calls-2026-11.csv", "calls-2026-12.csv",
            ])
    }

    @Test(arguments: ["2026-13", "26-11", "2026-1", "2026/11", "1999-12", "", "2026-11-01"])
    func aMonthThatIsNotYYYYMMIsRefused(_ month: String) async {
        let archiver = MonthlyArchiver(store: Calls(rows: []), directory: "/nonexistent")
        let error = await #expect(throws: CallPipeError.self) { try await archiver.archive(month: month) }
        #expect(error?.code == .invalid && error?.message.contains("is not YYYY-MM") == true)
    }
}
