/// Counts for `/health` and `/metrics`.
package struct StoreStatistics: Sendable, Equatable {
    package var calls: Int
    package var queuedJobs: Int
    package var runningJobs: Int
    package var failedJobs: Int

    package init(calls: Int, queuedJobs: Int, runningJobs: Int, failedJobs: Int) {
        self.calls = calls
        self.queuedJobs = queuedJobs
        self.runningJobs = runningJobs
        self.failedJobs = failedJobs
    }
}
