package import Foundation

/// Which node streams which live call, shared by the nodes of a cluster (docs/ARCHITECTURE.md §15,
/// "Live calls"). A node holds each of its live calls with a heartbeat; a stream that reconnects
/// to another node takes its call over (the first node hands on what it recorded); a call whose
/// node stopped beating is ended by another node; the cluster-wide live-call limit counts here.
/// Only the shared (PostgreSQL) store has one: a single node needs none.
package protocol LiveCallRegistry: Sendable {
    /// Takes `callID` for `node`, from whichever node held it. A call not held yet counts against
    /// `clusterLimit` (live calls whose heartbeat is newer than `staleAfter` seconds): past it,
    /// a `.capacity` error; a call already held (a reconnect) always passes.
    func claimLiveCall(_ callID: String, node: String, clusterLimit: Int?, staleAfter: Double, now: Date) async throws

    /// Marks `node`'s live calls `callIDs` alive; returns those another node has taken since.
    func heartbeatLiveCalls(_ callIDs: [String], node: String, now: Date) async throws -> [String]

    /// Lets go of `callID` if `node` still holds it.
    func releaseLiveCall(_ callID: String, node: String) async throws

    /// Takes the live calls whose node has not beaten for `staleAfter` seconds for `node` to end:
    /// each goes to one caller only, held by `node` with its heartbeat `lease` seconds ahead, so
    /// that a node that dies while ending one leaves it to go stale again and be taken by another.
    /// The caller releases the call (`releaseLiveCall`) once it has ended it.
    func takeStaleLiveCalls(staleAfter: Double, node: String, lease: Double, now: Date) async throws -> [String]

    /// Records a checkpoint of a live recording kept in shared storage (a part already recorded
    /// is left as it is).
    func addLiveCallPart(_ part: LiveCallPart) async throws

    /// The checkpoints of `callID`'s live recordings, by recording and then in order.
    func liveCallParts(callID: String) async throws -> [LiveCallPart]

    /// Forgets the checkpoints of a recording (stored whole, or joined from them).
    func removeLiveCallParts(recordingID: String) async throws
}
