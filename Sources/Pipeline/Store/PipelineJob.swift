package import Foundation

/// One unit of durable pipeline work: a stage of one recording's processing.
///
/// Jobs live in the database. A worker claims one with a lease; a crash leaves the lease to expire
/// and the job is claimed again. Each stage stores its output before it is marked done, so a
/// restart resumes at the first stage without output and nothing finished runs twice.
package struct PipelineJob: Sendable, Codable, Equatable {
    package enum Stage: String, Sendable, Codable, CaseIterable {
        case analyze, transcribe, enrich, summarize, deliver

        /// The stage after this one, `nil` after the last.
        package var next: Stage? {
            let all = Self.allCases
            let index = all.firstIndex(of: self)!
            return index + 1 < all.count ? all[index + 1] : nil
        }
    }

    package enum State: String, Sendable, Codable {
        case queued, running, done, failed
    }

    package var id: String
    package var callID: String
    package var recordingID: String?
    package var stage: Stage
    package var state: State
    package var attempts: Int
    /// Not to be run before this time (backoff after a failure).
    package var runAfter: Date
    /// While running: the claim expires at this time and the job may be claimed again.
    package var leaseUntil: Date?
    package var lastError: String?
    package var createdAt: Date
    package var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case callID = "call_id"
        case recordingID = "recording_id"
        case stage, state, attempts
        case runAfter = "run_after"
        case leaseUntil = "lease_until"
        case lastError = "last_error"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    package init(
        id: String, callID: String, recordingID: String?, stage: Stage, state: State = .queued, attempts: Int = 0,
        runAfter: Date, leaseUntil: Date? = nil, lastError: String? = nil, createdAt: Date, updatedAt: Date? = nil
    ) {
        self.id = id
        self.callID = callID
        self.recordingID = recordingID
        self.stage = stage
        self.state = state
        self.attempts = attempts
        self.runAfter = runAfter
        self.leaseUntil = leaseUntil
        self.lastError = lastError
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }
}
