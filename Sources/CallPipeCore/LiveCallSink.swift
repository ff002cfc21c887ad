package import Foundation

/// Where a live call ends: the call and its recording (with its first job) stored in one transaction.
package protocol LiveCallSink: Sendable {
    /// Ends a live call and adds its recording (if it has audio) with its first job, atomically:
    /// the call is `ended` with its recording queued, or neither. A recording already stored
    /// (same id) is not added again.
    func finishLiveCall(callID: String, recording: StoredRecording?, now: Date) async throws
}
