import CRM
import CallPipeCore
import GRDB

/// A row of a lease queue (pipeline jobs, CRM deliveries): claimed by one worker at a time under
/// a lease, each claim counting one more attempt.
protocol LeasedWork: FetchableRecord, TableRecord {
    var id: String { get }
    var attempts: Int { get }
    /// Claimed and being worked on (`running`, `sending`).
    var isClaimed: Bool { get }
    /// What the row is, for the error a lost claim gets ("job 12", "delivery 7").
    var workName: String { get }
}

extension LeasedWork {
    /// The row as it is now, if the claim that returned `work` still holds it: still claimed, and
    /// not claimed again since (a later claim counts one more attempt). A worker whose lease ran out
    /// and whose row another worker took gets `conflict` and must drop its result: the one rule
    /// both queues apply to every completion, failure and release.
    static func held(_ work: Self, db: Database) throws -> Self {
        guard let current = try fetchOne(db, key: work.id), current.isClaimed, current.attempts == work.attempts else {
            throw CallPipeError(.conflict, "\(work.workName) is no longer held by this worker")
        }
        return current
    }
}

extension PipelineJob: LeasedWork {
    var isClaimed: Bool { state == .running }
    var workName: String { "job \(id)" }
}

extension CRMDelivery: LeasedWork {
    var isClaimed: Bool { state == .sending }
    var workName: String { "delivery \(id)" }
}
