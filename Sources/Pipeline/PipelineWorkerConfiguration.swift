/// How the durable pipeline's workers run.
package struct PipelineWorkerConfiguration: Sendable, Equatable {
    /// Jobs processed at once.
    package var concurrency: Int = 2
    /// Seconds a claimed job stays reserved; renewed every third of it while the stage runs, so
    /// only a dead worker's job is ever claimed again.
    package var lease: Double = 120
    /// Seconds between looks for new jobs when the queue is empty.
    package var pollInterval: Double = 0.25
    /// Attempts before a retryable failure (rate limit, server error) fails the call.
    package var maxAttempts: Int = 5
    /// Seconds before the first retry; doubles with each attempt.
    package var retryDelay: Double = 2
    /// The CRM targets a call's final summary is delivered to (queued with the summary).
    package var crmTargets: [CRMTargetRef] = []

    package init() {}
}
