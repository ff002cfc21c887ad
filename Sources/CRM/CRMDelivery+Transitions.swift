package import Foundation

/// What a claim, a delivery, a failure, a release, a redelivery and a crash do to a CRM delivery:
/// the one set of rules every store applies.
extension CRMDelivery {
    /// Claimed under a lease: one more attempt.
    package mutating func claim(now: Date, lease: TimeInterval) {
        state = .sending
        attempts += 1
        leaseUntil = now.addingTimeInterval(lease)
        updatedAt = now
    }

    package mutating func deliver(remoteID: String?, status: Int?, now: Date) {
        state = .delivered
        self.remoteID = remoteID ?? self.remoteID
        lastStatus = status
        lastError = nil
        leaseUntil = nil
        deliveredAt = now
        updatedAt = now
    }

    /// Failed: pending again at `retryAt`, or dead without one.
    package mutating func fail(_ error: String, status: Int?, retryAt: Date?, now: Date) {
        state = retryAt == nil ? .dead : .pending
        runAfter = retryAt ?? runAfter
        lastError = error
        lastStatus = status
        leaseUntil = nil
        updatedAt = now
    }

    /// Put back without counting the attempt (its target was just paused).
    package mutating func release(_ error: String, status: Int?, now: Date) {
        state = .pending
        attempts = max(0, attempts - 1)
        lastError = error
        lastStatus = status
        leaseUntil = nil
        updatedAt = now
    }

    /// Sent again from its first attempt (admin redeliver).
    package mutating func restart(now: Date) {
        state = .pending
        attempts = 0
        runAfter = now
        leaseUntil = nil
        updatedAt = now
    }

    /// Its process died while sending: one more crash; pending again, or dead (with the reason)
    /// once that makes `maxCrashes`. Returns whether it is dead.
    package mutating func crash(now: Date, maxCrashes: Int) -> Bool {
        crashes += 1
        leaseUntil = nil
        updatedAt = now
        guard crashes < max(1, maxCrashes) else {
            state = .dead
            lastError = Self.crashReason(crashes: crashes)
            return true
        }
        state = .pending
        return false
    }
}
