import AIClients
import Audio
package import CallPipeCore
package import Foundation
package import Logging
import ServiceLifecycle

/// The durable pipeline's workers, as a long-lived `Service`.
///
/// `concurrency` loops claim jobs from the store, run their stage, and store the output together
/// with the job's completion and the next stage's job. Upstream failures that may pass (rate
/// limits, 5xx, timeouts) are retried with backoff; anything else — or too many attempts — fails
/// the call with the reason. Killing the process loses nothing: an unfinished job's lease expires
/// and another worker (after the restart) claims it; a finished stage is never run again. A job
/// the process died in `maxCrashes` times is failed at the next start instead (`InterruptedWork`).
package struct PipelineWorkerService: Service {
    package var store: any JobQueue & CallRepository
    package var runner: StageRunner
    package var configuration: PipelineWorkerConfiguration
    /// Where progress, transcripts and summaries are published for supervisors' rooms.
    package var events: CallEventBus?
    package var logger: Logger
    /// The time of claims, leases and retries: the wall clock, unless a test moves its own.
    package var now: @Sendable () -> Date = { Date() }

    package init(
        store: any JobQueue & CallRepository, runner: StageRunner, configuration: PipelineWorkerConfiguration = .init(),
        events: CallEventBus? = nil, logger: Logger
    ) {
        self.store = store
        self.runner = runner
        self.configuration = configuration
        self.events = events
        self.logger = logger
    }

    package func run() async throws {
        await removeLeftOriginals()
        // Graceful shutdown: stages in flight stop; their leases expire and they run again.
        try await ClaimLoops.run(
            concurrency: configuration.concurrency, pollInterval: configuration.pollInterval, logger: logger,
            storeTrouble: "Pipeline worker cannot reach the store"
        ) { try await processNextJob() }
    }

    /// Claims and runs one job; `false` when none was due.
    @discardableResult
    package func processNextJob() async throws -> Bool {
        guard let job = try await store.claimJob(now: now(), lease: configuration.lease) else { return false }
        var metadata: Logger.Metadata = [
            "call.id": "\(job.callID)", "job.stage": "\(job.stage.rawValue)", "job.attempt": "\(job.attempts)",
        ]
        if let recording = job.recordingID { metadata["recording.id"] = "\(recording)" }
        logger.debug("Pipeline stage started", metadata: metadata)
        await publishProcessing(job, state: "started")
        do {
            let result = try await withLeaseRenewal(job) { try await runner.run(job) }
            let output = result.output
            try await store.completeJob(
                job, output: output, usage: result.usage, deliverTo: configuration.crmTargets, next: job.stage.next,
                now: now())
            logger.debug("Pipeline stage finished", metadata: metadata)
            await removeOriginal(replacedBy: output)
            await publishProcessing(job, state: "done")
            await publish(output, of: job.stage, callID: job.callID)
        } catch is CancellationError {
            throw CancellationError()  // Shutting down: the lease expires and the job runs again.
        } catch let error as AudioError where error.code == .cancelled {
            throw CancellationError()  // A decode stopped by the same shutdown.
        } catch let error as CallPipeError where error.code == .conflict {
            logger.info("Pipeline stage result dropped: the job was claimed again", metadata: metadata)
        } catch {
            // Crashes have their own budget (`maxCrashes`, counted at start): they never use up
            // the retries of a rate limit or a server error.
            let retry = Self.isRetryable(error) && job.finishedAttempts < configuration.maxAttempts
            let delay = Backoff(
                baseDelay: configuration.retryDelay, maxDelay: configuration.retryDelay * 1_024, jitter: 0.5
            ).delay(afterAttempt: job.finishedAttempts)
            let detail = String(describing: error)
            // What callers of the API see (failure_reason, room events) names no server path.
            let reason = ServerPaths.redact(detail)
            do {
                try await store.failJob(
                    job, error: reason, retryAt: retry ? now().addingTimeInterval(delay) : nil, now: now())
            } catch let lost as CallPipeError where lost.code == .conflict {
                logger.info("Pipeline stage failure dropped: the job was claimed again", metadata: metadata)
                return true
            }
            metadata["error"] = "\(detail)"
            logger.warning(retry ? "Pipeline stage failed, will retry" : "Pipeline stage failed", metadata: metadata)
            await publishProcessing(job, state: retry ? "retrying" : "failed", error: reason)
            if !retry { await publishStatus(job.callID) }
        }
        return true
    }

    /// Runs `body` while renewing the job's lease every third of its length.
    private func withLeaseRenewal<Result: Sendable>(
        _ job: PipelineJob, _ body: @escaping @Sendable () async throws -> Result
    )
        async throws -> Result
    {
        let store = store
        let lease = configuration.lease
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                while true {
                    try await Task.sleep(for: .milliseconds(Int(lease * 1_000 / 3)))
                    try await store.renewLease(job, until: now().addingTimeInterval(lease))
                }
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw CancellationError()
        }
    }

    /// Failures that may pass if tried again later.
    static func isRetryable(_ error: any Error) -> Bool {
        if let error = error as? AIClientError { return error.isRetryable || error.code == .localServer }
        if let error = error as? CallPipeError { return error.code == .storage }
        return false
    }
}
