package import CallPipeCore
package import Foundation
import GRDB

/// The durable job queue's primitives: claim with a lease, complete with the stage's output in
/// the same transaction, fail with a retry time or for good.
extension SQLiteCallStore {
    package func claimJob(now: Date, lease: TimeInterval) async throws -> PipelineJob? {
        try await write { db in
            // Runnable: queued and due, or running under an expired lease (its worker died). A
            // recording's jobs wait while an earlier recording of the same call is unfinished.
            let sql = """
                SELECT jobs.* FROM jobs LEFT JOIN recordings ON recordings.id = jobs.recording_id
                WHERE ((jobs.state = 'queued' AND jobs.run_after <= :now)
                       OR (jobs.state = 'running' AND jobs.lease_until <= :now))
                  AND NOT EXISTS (
                    SELECT 1 FROM jobs AS earlier JOIN recordings AS previous ON previous.id = earlier.recording_id
                    WHERE earlier.call_id = jobs.call_id AND earlier.state IN ('queued', 'running')
                      AND previous.sequence < recordings.sequence)
                  AND NOT (jobs.recording_id IS NULL AND EXISTS (
                    SELECT 1 FROM jobs AS other WHERE other.call_id = jobs.call_id AND other.id != jobs.id
                      AND other.state IN ('queued', 'running')))
                ORDER BY jobs.run_after, jobs.created_at LIMIT 1
                """
            guard var job = try PipelineJob.fetchOne(db, sql: sql, arguments: ["now": now]) else { return nil }
            job.claim(now: now, lease: lease)
            try job.update(db)
            try db.execute(
                sql:
                    "UPDATE calls SET status = 'processing', updated_at = ? WHERE id = ? AND status IN ('active', 'ended')",
                arguments: [now, job.callID])
            return job
        }
    }

    package func enqueue(callID: String, stage: PipelineJob.Stage, now: Date) async throws {
        try await write { db in try Self.enqueue(callID: callID, stage: stage, now: now, db: db) }
    }

    /// Queues a call-level job in the caller's transaction; an ended or done call is processing again.
    static func enqueue(callID: String, stage: PipelineJob.Stage, now: Date, db: Database) throws {
        try PipelineJob(
            id: UUID().uuidString.lowercased(), callID: callID, recordingID: nil, stage: stage, runAfter: now,
            createdAt: now
        ).insert(db)
        try db.execute(
            sql: "UPDATE calls SET status = 'processing', updated_at = ? WHERE id = ? AND status IN ('ended', 'done')",
            arguments: [now, callID])
    }

    package func completeJob(
        _ job: PipelineJob, output: StageOutput, usage: StageUsage?, deliverTo: [CRMTargetRef],
        next: PipelineJob.Stage?,
        now: Date
    ) async throws {
        try await write { db in
            // Only the worker holding the current claim may complete: a worker whose lease
            // expired (and whose job was claimed again) must not write a second result.
            var current = try PipelineJob.held(job, db: db)
            try Self.save(output, callID: job.callID, db: db, now: now)
            if let usage { try Self.saveUsage(usage, job: job, db: db, now: now) }
            if case .summary(_, true) = output {
                try Self.queueDeliveries(callID: job.callID, targets: deliverTo, db: db, now: now)
            }
            current.finish(now: now)
            try current.update(db)
            if let next {
                try PipelineJob(
                    id: UUID().uuidString.lowercased(), callID: job.callID, recordingID: job.recordingID, stage: next,
                    runAfter: now, createdAt: now
                ).insert(db)
            } else {
                let pending = try PipelineJob.filter(Column("call_id") == job.callID)
                    .filter(
                        [PipelineJob.State.queued.rawValue, PipelineJob.State.running.rawValue].contains(
                            Column("state"))
                    )
                    .fetchCount(db)
                if pending == 0 {
                    try db.execute(
                        sql: "UPDATE calls SET status = 'done', updated_at = ? WHERE id = ? AND status = 'processing'",
                        arguments: [now, job.callID])
                }
            }
        }
    }

    package func failJob(_ job: PipelineJob, error: String, retryAt: Date?, now: Date) async throws {
        try await write { db in
            // Only the worker holding the current claim may fail the job, as only it may complete it.
            var current = try PipelineJob.held(job, db: db)
            current.fail(error, retryAt: retryAt, now: now)
            if retryAt == nil {
                try db.execute(
                    sql: "UPDATE calls SET status = 'failed', failure_reason = ?, updated_at = ? WHERE id = ?",
                    arguments: ["\(job.stage.rawValue) failed: \(error)", now, job.callID])
            }
            try current.update(db)
        }
    }

    package func requeueRunningJobs(now: Date, maxCrashes: Int) async throws -> InterruptedWork<PipelineJob> {
        try await write { db in
            var found = InterruptedWork<PipelineJob>()
            for var job in try PipelineJob.filter(Column("state") == PipelineJob.State.running.rawValue).fetchAll(db) {
                if job.crash(now: now, maxCrashes: maxCrashes) {
                    try db.execute(
                        sql: "UPDATE calls SET status = 'failed', failure_reason = ?, updated_at = ? WHERE id = ?",
                        arguments: ["\(job.stage.rawValue) failed: \(job.lastError ?? "")", now, job.callID])
                    found.abandoned.append(job)
                } else {
                    found.requeued.append(job)
                }
                try job.update(db)
            }
            return found
        }
    }

    package func releaseRunningJobs(now: Date) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE jobs SET state = 'queued', attempts = MAX(0, attempts - 1), lease_until = NULL,
                        run_after = ?, updated_at = ? WHERE state = 'running'
                    """,
                arguments: [now, now])
            return db.changesCount
        }
    }

    package func renewLease(_ job: PipelineJob, until: Date) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE jobs SET lease_until = ? WHERE id = ? AND state = 'running' AND attempts = ?",
                arguments: [until, job.id, job.attempts])
            guard db.changesCount == 1 else {
                throw CallPipeError(.conflict, "job \(job.id) is no longer held by this worker")
            }
        }
    }

    package func jobs(callID: String) async throws -> [PipelineJob] {
        try await read { db in
            try PipelineJob.filter(Column("call_id") == callID).order(Column("created_at"), Column("id")).fetchAll(db)
        }
    }
}
