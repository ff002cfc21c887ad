package import AIClients
package import Foundation

/// Calls, their recordings and what the pipeline made of them: what the Gateway's call routes, the
/// stage workers and the CLI read and write. Every method is one transaction.
package protocol CallRepository: Sendable {
    func insertCall(_ call: StoredCall) async throws

    func call(id: String) async throws -> StoredCall?

    /// Sets a call's status; `failureReason` and `endedAt` are kept unless given.
    @discardableResult
    func updateCall(id: String, status: StoredCall.Status, failureReason: String?, endedAt: Date?) async throws
        -> StoredCall

    /// Ends a call that is not live, in one transaction: `ended` (a call already processing or
    /// done keeps its status) at `now`, and, when it has recordings, its final summary queued. A
    /// call that has ended already is returned as it is.
    func endCall(id: String, now: Date) async throws -> StoredCall

    func history(_ query: CallHistoryQuery) async throws -> CallHistoryPage

    /// Adds a recording and queues its first job, atomically. A recording with the same
    /// idempotency key for the same call is returned instead of adding a second one.
    func insertRecording(_ recording: StoredRecording, firstStage: PipelineJob.Stage, now: Date) async throws
        -> (recording: StoredRecording, created: Bool)

    func recordings(callID: String) async throws -> [StoredRecording]

    /// The transcript of one recording, as its transcribe (or enrich) stage stored it.
    func transcript(recordingID: String) async throws -> Transcript

    /// Everything the pipeline has produced for a call.
    func outputs(callID: String) async throws -> CallOutputs

    /// Calls whose transcript or summary match all words of `text` (as prefixes), newest first:
    /// FTS5 walks its index in rowid order and stops at `limit`, where ranking would score every
    /// match (43 ms p95 against 16 ms at 100,000 calls). With `agentID`, only that agent's calls,
    /// scoped in the same query before the limit (an agent whose calls match always finds them).
    func search(_ text: String, agentID: String?, limit: Int) async throws -> [SearchHit]

    /// Counts for health and metrics.
    func statistics() async throws -> StoreStatistics

    /// Originals of redacted recordings not yet deleted (docs/redaction.md "Audio"): the pipeline
    /// deletes each once the recording's row points to the redacted file, and again at start for
    /// those a crash left.
    func redactedOriginals() async throws -> [(recordingID: String, location: String)]

    /// The original of `recordingID` is gone.
    func forgetRedactedOriginal(recordingID: String) async throws
}

extension CallRepository {
    /// Every caller's calls: see `search(_:agentID:limit:)`.
    package func search(_ text: String, limit: Int) async throws -> [SearchHit] {
        try await search(text, agentID: nil, limit: limit)
    }
}
