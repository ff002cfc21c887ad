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
    /// Seconds before the first retry; doubles with each attempt.
    package var retryDelay: Double = 2
    /// The CRM targets a call's final summary is delivered to (queued with the summary).
    package var crmTargets: [CRMTargetRef] = []

    package init() {}

    /// The allowed values of `CALLPIPE_WORKERS` and `CALLPIPE_JOB_MAX_CRASHES`.
    package static let concurrencyRange = 0...64
    package static let maxCrashesRange = 1...20

    /// Reads `CALLPIPE_WORKERS` (0 to 64, default 2) and `CALLPIPE_JOB_MAX_CRASHES` (1 to 20,
    /// default 3).
    package init(reader: ConfigReader) throws(PipelineError) {
        self.init()
        concurrency = try Self.integer(
            reader, "callpipe.workers", "CALLPIPE_WORKERS", in: Self.concurrencyRange, default: concurrency)
        maxCrashes = try Self.integer(
            reader, "callpipe.job.max.crashes", "CALLPIPE_JOB_MAX_CRASHES", in: Self.maxCrashesRange,
            default: maxCrashes)
    }

    private static func integer(
        _ reader: ConfigReader, _ key: ConfigKey, _ name: String, in range: ClosedRange<Int>, default fallback: Int
    ) throws(PipelineError) -> Int {
        guard let text = reader.string(forKey: key) else { return fallback }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw PipelineError(
                .invalid,
                "\(name) is \"\(text.prefix(40))\"; use a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}
