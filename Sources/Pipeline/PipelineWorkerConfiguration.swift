import AIClients
package import CallPipeCore
package import Configuration
import Foundation

/// How the durable pipeline's workers run.
package struct PipelineWorkerConfiguration: Sendable, Equatable {
    /// Jobs processed at once; 0 stores uploads without processing them (an API-only node).
    package var concurrency: Int = 2
    /// Seconds a claimed job stays reserved; renewed every third of it while the stage runs, so
    /// only a dead worker's job is ever claimed again.
    package var lease: Double = 120
    /// Seconds between looks for new jobs when the queue is empty.
    package var pollInterval: Double = 0.25
    /// Attempts before a retryable failure (rate limit, server error) fails the call. Attempts cut
    /// short by the process dying do not count here: they have `maxCrashes`.
    package var maxAttempts: Int = 5
    /// Times the process may die while a job (or a CRM delivery) is running before it is failed
    /// for good at the next start, so a recording that crashes the server cannot do it forever.
    package var maxCrashes: Int = 3
    /// Seconds before the first retry; the ceiling doubles with each attempt (at most 1,024 times
    /// this), half of it random (`Backoff`).
    package var retryDelay: Double = 2
    /// The CRM targets a call's final summary is delivered to (queued with the summary).
    package var crmTargets: [CRMTargetRef] = []

    package init() {}

    /// The allowed values of `CALLPIPE_WORKERS` and `CALLPIPE_JOB_MAX_CRASHES`.
    package static let concurrencyRange = 0...64
    package static let maxCrashesRange = 1...20
    /// The allowed values of `CALLPIPE_JOB_LEASE_S`.
    package static let leaseRange = 2...3_600

    /// Reads `CALLPIPE_WORKERS` (0 to 64, default 2), `CALLPIPE_JOB_MAX_CRASHES` (1 to 20,
    /// default 3) and `CALLPIPE_JOB_LEASE_S` (2 to 3600, default 120: how long a claimed job stays
    /// a dead node's before another node takes it; a live worker renews its lease well before).
    package init(reader: ConfigReader) throws(CallPipeError) {
        self.init()
        do {
            concurrency = try reader.integer(
                "callpipe.workers", "CALLPIPE_WORKERS", in: Self.concurrencyRange, default: concurrency)
            maxCrashes = try reader.integer(
                "callpipe.job.max.crashes", "CALLPIPE_JOB_MAX_CRASHES", in: Self.maxCrashesRange, default: maxCrashes)
            lease = Double(
                try reader.integer(
                    "callpipe.job.lease.s", "CALLPIPE_JOB_LEASE_S", in: Self.leaseRange, default: Int(lease)))
        } catch {
            throw CallPipeError(.invalid, String(describing: error))
        }
    }
}
