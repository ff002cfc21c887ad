import Analytics
import Foundation
import GRDB
import Testing

@testable import CallPipeCore
@testable import SQLiteStore

@Suite("SQLite call store: what only SQLite has (the store contract is in Store/)", .timeLimit(.minutes(3)))
struct SQLiteCallStoreTests {
    @Test func migratesAFileDatabaseInWALModeAndReopensIt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("callpipe.sqlite").path
        try await SQLiteCallStore(path: path).insertCall(StoreContractTests.call("c1"))
        let reopened = try SQLiteCallStore(path: path)
        #expect(try await reopened.call(id: "c1") == StoreContractTests.call("c1"))
        let mode = try await reopened.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        #expect(throws: CallPipeError.self) { try SQLiteCallStore(path: "/proc/no/such/dir/db.sqlite") }
    }

    /// SQLite sums its metrics from its own table of columns (the roll-ups' buckets); the reports
    /// read them by the shared names.
    @Test func sumsEveryMetricTheReportsRead() {
        #expect((SQLiteCallStore.rollupColumns + SQLiteCallStore.directionColumns).map(\.name) == MetricSums.names)
    }
}
