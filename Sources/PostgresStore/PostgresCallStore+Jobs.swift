package import CallPipeCore
package import Foundation
import Logging
import PostgresNIO

/// The durable job queue on PostgreSQL, shared by every node: a claim locks its row with
/// `FOR UPDATE SKIP LOCKED` (two nodes never take the same job, and neither waits for the other)
/// under a lease; a node that dies leaves the lease to run out and another node claims the job.
extension PostgresCallStore {
    package func claimJob(now: Date, lease: TimeInterval) async throws -> PipelineJob? {
        try await write { connection in
            // Runnable: queued and due, or running under an expired lease (its worker died). A
            // recording's jobs wait while an earlier recording of the same call is unfinished; a
            // call-level job waits for the call's other jobs.
            let rows = try await connection.rows(
                """
                SELECT jobs.* FROM jobs LEFT JOIN recordings ON recordings.id = jobs.recording_id
                WHERE ((jobs.state = 'queued' AND jobs.run_after <= \(now))
                       OR (jobs.state = 'running' AND jobs.lease_until <= \(now)))
                  AND NOT EXISTS (
                    SELECT 1 FROM jobs AS earlier JOIN recordings AS previous ON previous.id = earlier.recording_id
                    WHERE earlier.call_id = jobs.call_id AND earlier.state IN ('queued', 'running')
                      AND previous.sequence < recordings.sequence)
                  AND NOT (jobs.recording_id IS NULL AND EXISTS (
                    SELECT 1 FROM jobs AS other WHERE other.call_id = jobs.call_id AND other.id != jobs.id
                      AND other.state IN ('queued', 'running')))
                ORDER BY jobs.run_after, jobs.created_at LIMIT 1
                FOR UPDATE OF jobs SKIP LOCKED
                """, logger: logger)
            guard let row = rows.first else { return nil }
            var job = try PipelineJob(row)
            job.claim(now: now, lease: lease)
            try await Self.update(job, connection, logger)
            try await connection.run("UPDATE jobs SET claimed_by = \(nodeID) WHERE id = \(job.id)", logger: logger)
            try await connection.run(
                """
                UPDATE calls SET status = 'processing', updated_at = \(now)
                WHERE id = \(job.callID) AND status IN ('active', 'ended')
                """, logger: logger)
            return job
        }
    }

    package func enqueue(callID: String, stage: PipelineJob.Stage, now: Date) async throws {
        try await write { connection in
            try await Self.enqueue(callID: callID, stage: stage, now: now, connection, logger)
        }
    }

    /// Queues a call-level job in the caller's transaction; an ended or done call is processing again.
    static func enqueue(
        callID: String, stage: PipelineJob.Stage, now: Date, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        try await insertJob(
            PipelineJob(
                id: UUID().uuidString.lowercased(), callID: callID, recordingID: nil, stage: stage, runAfter: now,
                createdAt: now), connection, logger)
        try await connection.run(
            """
            UPDATE calls SET status = 'processing', updated_at = \(now)
            WHERE id = \(callID) AND status IN ('ended', 'done')
            """, logger: logger)
    }

    static func insertJob(_ job: PipelineJob, _ connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.run(
            """
            INSERT INTO jobs (id, call_id, recording_id, stage, state, attempts, crashes, run_after, lease_until,
              last_error, created_at, updated_at)
            VALUES (\(job.id), \(job.callID), \(job.recordingID), \(job.stage.rawValue), \(job.state.rawValue),
              \(job.attempts), \(job.crashes), \(job.runAfter), \(job.leaseUntil), \(job.lastError), \(job.createdAt),
              \(job.updatedAt))
            """, logger: logger)
    }

    static func update(_ job: PipelineJob, _ connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.run(
            """
            UPDATE jobs SET state = \(job.state.rawValue), attempts = \(job.attempts), crashes = \(job.crashes),
              run_after = \(job.runAfter), lease_until = \(job.leaseUntil), last_error = \(job.lastError),
              updated_at = \(job.updatedAt)
            WHERE id = \(job.id)
            """, logger: logger)
    }

    /// The job as it is now, locked, if the claim that returned `job` still holds it: the one
    /// lost-claim rule (as `LeasedWork.held` on SQLite) for completions and failures.
    static func held(_ job: PipelineJob, _ connection: PostgresConnection, _ logger: Logger) async throws -> PipelineJob
    {
        let current = try await connection.rows("SELECT * FROM jobs WHERE id = \(job.id) FOR UPDATE", logger: logger)
            .first.map(PipelineJob.init)
        guard let current, current.state == .running, current.attempts == job.attempts else {
            throw CallPipeError(.conflict, "job \(job.id) is no longer held by this worker")
        }
        return current
    }

    package func completeJob(
        _ job: PipelineJob, output: StageOutput, usage: StageUsage?, deliverTo: [CRMTargetRef],
        next: PipelineJob.Stage?,
        now: Date
    ) async throws {
        try await write { connection in
            var current = try await Self.held(job, connection, logger)
            // The call's row lock: the stage outputs of one call are written one transaction at a time.
            _ = try await Self.call(id: job.callID, connection, logger, lock: true)
            try await Self.save(output, callID: job.callID, now: now, connection, logger)
            if let usage { try await Self.saveUsage(usage, job: job, now: now, connection, logger) }
            if case .summary(_, true) = output {
                try await Self.queueDeliveries(callID: job.callID, targets: deliverTo, now: now, connection, logger)
            }
            current.finish(now: now)
            try await Self.update(current, connection, logger)
            if let next {
                try await Self.insertJob(
                    PipelineJob(
                        id: UUID().uuidString.lowercased(), callID: job.callID, recordingID: job.recordingID,
                        stage: next, runAfter: now, createdAt: now), connection, logger)
            } else {
                try await connection.run(
                    """
                    UPDATE calls SET status = 'done', updated_at = \(now)
                    WHERE id = \(job.callID) AND status = 'processing' AND NOT EXISTS (
                      SELECT 1 FROM jobs WHERE call_id = \(job.callID) AND state IN ('queued', 'running'))
                    """, logger: logger)
            }
        }
    }

    package func failJob(_ job: PipelineJob, error: String, retryAt: Date?, now: Date) async throws {
        try await write { connection in
            var current = try await Self.held(job, connection, logger)
            current.fail(error, retryAt: retryAt, now: now)
            if retryAt == nil {
                try await Self.failCall(
                    job.callID, reason: "\(job.stage.rawValue) failed: \(error)", now: now, connection, logger)
            }
            try await Self.update(current, connection, logger)
        }
    }

    static func failCall(
        _ callID: String, reason: String, now: Date, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        try await connection.run(
            "UPDATE calls SET status = 'failed', failure_reason = \(reason), updated_at = \(now) WHERE id = \(callID)",
            logger: logger)
    }

    /// With several nodes on one database, a `running` job may belong to a live node: only jobs
    /// whose lease has run out are treated as crashed (on SQLite, the only worker, all are).
    package func requeueRunningJobs(now: Date, maxCrashes: Int) async throws -> InterruptedWork<PipelineJob> {
        try await write { connection in
            var found = InterruptedWork<PipelineJob>()
            let rows = try await connection.rows(
                "SELECT * FROM jobs WHERE state = 'running' AND lease_until <= \(now) FOR UPDATE SKIP LOCKED",
                logger: logger)
            for row in rows {
                var job = try PipelineJob(row)
                if job.crash(now: now, maxCrashes: maxCrashes) {
                    try await Self.failCall(
                        job.callID, reason: "\(job.stage.rawValue) failed: \(job.lastError ?? "")", now: now,
                        connection,
                        logger)
                    found.abandoned.append(job)
                } else {
                    found.requeued.append(job)
                }
                try await Self.update(job, connection, logger)
            }
            return found
        }
    }

    /// Puts back the jobs this node (`nodeID`) cut short; other nodes' running jobs are theirs.
    package func releaseRunningJobs(now: Date) async throws -> Int {
        try await write { connection in
            try await connection.run(
                """
                UPDATE jobs SET state = 'queued', attempts = GREATEST(0, attempts - 1), lease_until = NULL,
                  run_after = \(now), updated_at = \(now)
                WHERE state = 'running' AND claimed_by = \(nodeID) RETURNING 1
                """, logger: logger)
        }
    }

    package func renewLease(_ job: PipelineJob, until: Date) async throws {
        try await write { connection in
            let changed = try await connection.run(
                """
                UPDATE jobs SET lease_until = \(until)
                WHERE id = \(job.id) AND state = 'running' AND attempts = \(job.attempts) RETURNING 1
                """, logger: logger)
            guard changed == 1 else { throw CallPipeError(.conflict, "job \(job.id) is no longer held by this worker") }
        }
    }

    package func jobs(callID: String) async throws -> [PipelineJob] {
        try await read { connection in
            try await connection.rows(
                "SELECT * FROM jobs WHERE call_id = \(callID) ORDER BY created_at, id", logger: logger
            )
            .map(PipelineJob.init)
        }
    }
}
