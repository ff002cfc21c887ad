package import Foundation

/// The durable queue of pipeline jobs: claimed under a lease, completed with the stage's output in
/// the same transaction (which is what makes the pipeline resumable without running a finished
/// stage twice), failed with a retry time or for good, and recovered after a restart.
package protocol JobQueue: Sendable {
    /// Queues a call-level job (no recording); it runs once the call's other jobs are finished.
    func enqueue(callID: String, stage: PipelineJob.Stage, now: Date) async throws

    /// At the start of a process that is the store's only worker (SQLite), whatever is running
    /// belonged to a process that died: each such job counts a crash and goes back in the queue —
    /// unless that makes `maxCrashes`, when it fails for good, and its call with it, with the reason.
    /// A job that kills the process therefore cannot keep it from starting.
    func requeueRunningJobs(now: Date, maxCrashes: Int) async throws -> InterruptedWork<PipelineJob>

    /// After a graceful shutdown: puts the jobs it cut short back in the queue without counting the
    /// attempt (a shutdown is not the job's fault). Returns how many.
    func releaseRunningJobs(now: Date) async throws -> Int

    /// Claims the oldest runnable job (queued and due, or running with an expired lease).
    func claimJob(now: Date, lease: TimeInterval) async throws -> PipelineJob?

    /// Stores a stage's output and AI usage, marks its job done and queues `next`, atomically. A
    /// final summary also queues the call's CRM deliveries to `deliverTo` (target ids), once each.
    func completeJob(
        _ job: PipelineJob, output: StageOutput, usage: StageUsage?, deliverTo: [CRMTargetRef],
        next: PipelineJob.Stage?,
        now: Date
    ) async throws

    /// Records a failure: the job runs again after `retryAt`, or, without one, fails for good and
    /// so does its call, with the reason visible on the call.
    func failJob(_ job: PipelineJob, error: String, retryAt: Date?, now: Date) async throws

    func jobs(callID: String) async throws -> [PipelineJob]

    /// Extends a running job's lease; fails with `conflict` when the claim was lost.
    func renewLease(_ job: PipelineJob, until: Date) async throws
}

extension JobQueue {
    /// A stage's output without AI usage or CRM deliveries.
    package func completeJob(_ job: PipelineJob, output: StageOutput, next: PipelineJob.Stage?, now: Date) async throws
    {
        try await completeJob(job, output: output, usage: nil, deliverTo: [], next: next, now: now)
    }
}
