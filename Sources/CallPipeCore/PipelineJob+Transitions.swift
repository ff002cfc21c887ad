package import Foundation

/// What a claim, a completion, a failure and a crash do to a job: the one set of rules every store
/// applies (each store only finds and writes the rows).
extension PipelineJob {
    /// Claimed under a lease: one more attempt.
    package mutating func claim(now: Date, lease: TimeInterval) {
        state = .running
        attempts += 1
        leaseUntil = now.addingTimeInterval(lease)
        updatedAt = now
    }

    package mutating func finish(now: Date) {
        state = .done
        leaseUntil = nil
        updatedAt = now
    }

    /// Failed: queued again at `retryAt`, or failed for good without one.
    package mutating func fail(_ error: String, retryAt: Date?, now: Date) {
        lastError = error
        leaseUntil = nil
        updatedAt = now
        if let retryAt {
            state = .queued
            runAfter = retryAt
        } else {
            state = .failed
        }
    }

    /// Its process died holding it: one more crash; queued again, or failed for good (with the
    /// reason) once that makes `maxCrashes`. Returns whether it failed for good.
    package mutating func crash(now: Date, maxCrashes: Int) -> Bool {
        crashes += 1
        leaseUntil = nil
        updatedAt = now
        guard crashes < max(1, maxCrashes) else {
            state = .failed
            lastError = Self.crashReason(recording: recordingID != nil, crashes: crashes)
            return true
        }
        state = .queued
        runAfter = now
        return false
    }
}
