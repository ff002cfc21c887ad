package import CallPipeCore
package import Foundation

/// The durable CRM outbox: deliveries claimed with a lease, completed, retried or dead-lettered,
/// and targets paused when their credentials stop working.
package protocol CRMOutbox: Sendable {
    /// Claims the oldest due delivery whose target is not paused (pending and due, or sending with
    /// an expired lease).
    func claimDelivery(now: Date, lease: TimeInterval) async throws -> CRMDelivery?
    /// Marks a claimed delivery delivered; `conflict` when the claim was lost.
    @discardableResult
    func completeDelivery(_ delivery: CRMDelivery, remoteID: String?, status: Int?, now: Date) async throws
        -> CRMDelivery
    /// Records a failed attempt: pending again at `retryAt`, or dead without one.
    @discardableResult
    func failDelivery(_ delivery: CRMDelivery, error: String, status: Int?, retryAt: Date?, now: Date) async throws
        -> CRMDelivery
    /// Puts a claimed delivery back without counting the attempt (its target was just paused).
    func releaseDelivery(_ delivery: CRMDelivery, error: String, status: Int?, now: Date) async throws
    /// Sends a delivery again from its first attempt (admin redeliver).
    func redeliver(id: String, now: Date) async throws -> CRMDelivery
    /// Puts deliveries left `sending` by a dead process back in the queue, counting a crash; one
    /// that reaches `maxCrashes` is dead-lettered with the reason instead of being sent again.
    func requeueSendingDeliveries(now: Date, maxCrashes: Int) async throws -> InterruptedWork<CRMDelivery>
    /// After a graceful shutdown: puts the deliveries it cut short back without counting the
    /// attempt. Returns how many.
    func releaseSendingDeliveries(now: Date) async throws -> Int

    func delivery(id: String) async throws -> CRMDelivery?
    func deliveries(callID: String) async throws -> [CRMDelivery]
    /// Newest first; `state` filters.
    func deliveries(state: CRMDelivery.State?, limit: Int) async throws -> [CRMDelivery]
    /// Counts per state, for metrics and the benchmark.
    func deliveryCounts() async throws -> [CRMDelivery.State: Int]

    func pauseTarget(_ target: String, reason: String, now: Date) async throws
    /// Resumes a paused target; `false` when it was not paused.
    func resumeTarget(_ target: String) async throws -> Bool
    func pausedTargets() async throws -> [CRMPausedTarget]

    /// The finished call a delivery sends: the call, its final summary, analysis and transcript.
    func deliveryRecord(callID: String) async throws -> CRMCallRecord?
}
