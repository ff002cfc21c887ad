package import AIClients
import Analytics
import CRM
package import CallPipeCore
package import DemoData
package import Foundation
import GRDB

/// Every store role (calls, jobs, live calls, CRM outbox, analytics, API keys) on SQLite through GRDB: a WAL-mode `DatabasePool` (readers never wait for the
/// writer), numbered migrations, indexes for the history filters and FTS5 for search.
package final class SQLiteCallStore: CallRepository, JobQueue, LiveCallSink, CRMOutbox, CallAnalytics, APIKeyStore,
    DemoCallStore
{
    let database: any DatabaseWriter
    /// The directory of a throwaway database (`init()`), removed with the store.
    private let throwawayDirectory: URL?

    /// Opens (creating if needed) the database at `path` and migrates it.
    ///
    /// Every commit is fsynced (`synchronous = FULL`): what a 202 promises (a recording and its
    /// job) survives a power cut, not only a crash of the process (docs/production.md, "Durability"). GRDB
    /// sets `NORMAL` on the writer when it turns WAL on, after `prepareDatabase`, hence the second
    /// setting once the pool is open.
    package convenience init(path: String) throws {
        try self.init(path: path, throwawayDirectory: nil)
    }

    private init(path: String, throwawayDirectory: URL?) throws {
        self.throwawayDirectory = throwawayDirectory
        do {
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            configuration.busyMode = .timeout(5)
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            let pool = try DatabasePool(path: path, configuration: configuration)
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            database = pool
            try Self.migrator.migrate(database)
        } catch {
            throw CallPipeError(.storage, "cannot open the database \(path): \(error)")
        }
    }

    /// A throwaway database for tests: a file in a directory of its own under the temporary
    /// directory, opened exactly as `init(path:)` opens one (WAL, a pool of readers), removed when
    /// the store goes.
    package convenience init() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "callpipe-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try self.init(path: directory.appendingPathComponent("callpipe.sqlite").path, throwawayDirectory: directory)
    }

    deinit {
        if let throwawayDirectory { try? FileManager.default.removeItem(at: throwawayDirectory) }
    }

    package func insertCall(_ call: StoredCall) async throws {
        try await write { db in try call.insert(db) }
    }

    package func call(id: String) async throws -> StoredCall? {
        try await read { db in try StoredCall.fetchOne(db, key: id) }
    }

    @discardableResult
    package func updateCall(id: String, status: StoredCall.Status, failureReason: String?, endedAt: Date?) async throws
        -> StoredCall
    {
        try await write { db in
            guard var call = try StoredCall.fetchOne(db, key: id) else {
                throw CallPipeError(.notFound, "no call \(id)")
            }
            call.status = status
            if let failureReason { call.failureReason = failureReason }
            if let endedAt { call.endedAt = endedAt }
            call.updatedAt = Date()
            try call.update(db)
            return call
        }
    }

    package func endCall(id: String, now: Date) async throws -> StoredCall {
        try await write { db in
            guard var call = try StoredCall.fetchOne(db, key: id) else {
                throw CallPipeError(.notFound, "no call \(id)")
            }
            guard call.endedAt == nil else { return call }
            if call.status == .active { call.status = .ended }
            call.endedAt = now
            call.updatedAt = now
            try call.update(db)
            let recordings = try StoredRecording.filter(Column("call_id") == id).fetchCount(db)
            guard recordings > 0 else { return call }
            try Self.enqueue(callID: id, stage: .summarize, now: now, db: db)
            return try StoredCall.fetchOne(db, key: id) ?? call
        }
    }

    package func history(_ query: CallHistoryQuery) async throws -> CallHistoryPage {
        // Clamped here too, so no caller can make the offset overflow.
        let pageSize = min(
            max(CallHistoryQuery.pageSizes.lowerBound, query.pageSize), CallHistoryQuery.pageSizes.upperBound)
        let page = min(max(CallHistoryQuery.pages.lowerBound, query.page), CallHistoryQuery.pages.upperBound)
        return try await read { db in
            let (whereSQL, arguments) = query.filter.sql(table: nil)
            let request = StoredCall.all().filter(sql: whereSQL, arguments: arguments)
            let total = try request.fetchCount(db)
            let rows = try Row.fetchAll(
                db,
                request.order(Column("created_at").desc, Column("id")).limit(pageSize, offset: (page - 1) * pageSize))
            let calls = try rows.map { try StoredCall(row: $0) }
            var metrics: [String: CallRowMetrics] = [:]
            for (call, row) in zip(calls, rows) { metrics[call.id] = CallRowMetrics(row: row) }
            return CallHistoryPage(calls: calls, total: total, page: page, pageSize: pageSize, metrics: metrics)
        }
    }

    package func insertRecording(_ recording: StoredRecording, firstStage: PipelineJob.Stage, now: Date) async throws
        -> (recording: StoredRecording, created: Bool)
    {
        try await write { db in
            if let key = recording.idempotencyKey,
                let existing = try StoredRecording.filter(Column("call_id") == recording.callID)
                    .filter(Column("idempotency_key") == key).fetchOne(db)
            {
                return (existing, false)
            }
            return (try Self.addRecording(recording, firstStage: firstStage, now: now, in: db), true)
        }
    }

    package func finishLiveCall(callID: String, recording: StoredRecording?, now: Date) async throws {
        try await write { db in try Self.finishCall(callID: callID, recording: recording, now: now, in: db) }
    }

    /// `finishLiveCall` in the caller's transaction (an imported call's audio is attached the same way).
    static func finishCall(callID: String, recording: StoredRecording?, now: Date, in db: Database) throws {
        try db.execute(
            sql: """
                UPDATE calls SET status = CASE status WHEN 'active' THEN 'ended' ELSE status END,
                    ended_at = COALESCE(ended_at, ?), updated_at = ? WHERE id = ?
                """, arguments: [now, now, callID])
        guard db.changesCount > 0 else { throw CallPipeError(.notFound, "no call \(callID)") }
        guard let recording, try StoredRecording.fetchOne(db, key: recording.id) == nil else { return }
        _ = try Self.addRecording(recording, firstStage: .analyze, now: now, in: db)
    }

    /// Inserts a recording as the call's next one, with its first job.
    private static func addRecording(
        _ recording: StoredRecording, firstStage: PipelineJob.Stage, now: Date, in db: Database
    ) throws -> StoredRecording {
        var stored = recording
        let last = try Int.fetchOne(
            db, sql: "SELECT MAX(sequence) FROM recordings WHERE call_id = ?", arguments: [recording.callID])
        stored.sequence = (last ?? 0) + 1
        try stored.insert(db)
        try PipelineJob(
            id: UUID().uuidString.lowercased(), callID: recording.callID, recordingID: stored.id, stage: firstStage,
            runAfter: now, createdAt: now
        ).insert(db)
        return stored
    }

    package func recordings(callID: String) async throws -> [StoredRecording] {
        try await read { db in
            try StoredRecording.filter(Column("call_id") == callID).order(Column("sequence")).fetchAll(db)
        }
    }

    package func statistics() async throws -> StoreStatistics {
        try await read { db in
            let jobs = try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS count FROM jobs GROUP BY state")
            let count = { (state: String) -> Int in
                guard let row = jobs.first(where: { $0["state"] == state }) else { return 0 }
                return row["count"]
            }
            return StoreStatistics(
                calls: try StoredCall.fetchCount(db), queuedJobs: count("queued"), runningJobs: count("running"),
                failedJobs: count("failed"))
        }
    }

    /// Inserts many finished calls with their transcripts in one transaction (demo data and
    /// benchmarks), indexing the transcripts for search.
    package func insertFinishedCalls(_ calls: [(StoredCall, Transcript)]) async throws {
        try await write { db in
            for (call, transcript) in calls {
                try call.insert(db)
                let recording = "rec_\(call.id)"
                try db.execute(
                    sql: """
                        INSERT INTO recordings (id, call_id, sequence, path, bytes, content_type, format, codec, created_at)
                        VALUES (?, ?, 1, '', 0, 'audio/wav', 'wav', 'pcm_s16le', ?)
                        """, arguments: [recording, call.id, call.createdAt])
                try Self.save(
                    .transcript(recordingID: recording, transcript), callID: call.id, db: db, now: call.createdAt)
            }
        }
    }

    /// The writer connection's `PRAGMA synchronous` (2 is `FULL`).
    package func synchronousMode() async throws -> Int {
        try await write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    func read<Result: Sendable>(_ body: @escaping @Sendable (Database) throws -> Result) async throws -> Result {
        do {
            return try await database.read(body)
        } catch let error as CallPipeError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw CallPipeError(.storage, "reading the database failed: \(error)")
        }
    }

    func write<Result: Sendable>(_ body: @escaping @Sendable (Database) throws -> Result) async throws -> Result {
        do {
            return try await database.write(body)
        } catch let error as CallPipeError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            throw FreeSpaceGuard.outOfSpace
        } catch {
            throw CallPipeError(.storage, "writing the database failed: \(error)")
        }
    }
}

extension StoredCall: FetchableRecord, PersistableRecord {
    package static let databaseTableName = "calls"
}

extension StoredRecording: FetchableRecord, PersistableRecord {
    package static let databaseTableName = "recordings"
}

extension PipelineJob: FetchableRecord, PersistableRecord {
    package static let databaseTableName = "jobs"
}

extension StoredAPIKey: FetchableRecord, PersistableRecord {
    package static let databaseTableName = "api_keys"
}
