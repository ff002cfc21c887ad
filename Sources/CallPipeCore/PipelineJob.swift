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
    /// Claims so far (a claim counts when it is made, so a stage that kills the process counts too).
    package var attempts: Int
    /// Of the attempts, those cut short by the process dying (found `running` at the next start).
    package var crashes: Int
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
        case stage, state, attempts, crashes
        case runAfter = "run_after"
        case leaseUntil = "lease_until"
        case lastError = "last_error"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    package init(
        id: String, callID: String, recordingID: String?, stage: Stage, state: State = .queued, attempts: Int = 0,
        crashes: Int = 0, runAfter: Date, leaseUntil: Date? = nil, lastError: String? = nil, createdAt: Date,
        updatedAt: Date? = nil
    ) {
        self.id = id
        self.callID = callID
        self.recordingID = recordingID
        self.stage = stage
        self.state = state
        self.attempts = attempts
        self.crashes = crashes
        self.runAfter = runAfter
        self.leaseUntil = leaseUntil
        self.lastError = lastError
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }

    /// Attempts that ran to an outcome (a failure that may be retried): the ones the retry budget
    /// (`PipelineWorkerConfiguration.maxAttempts`) counts, apart from crashes.
    package var finishedAttempts: Int { max(0, attempts - crashes) }

    /// Why a job that was running each time the process died is not run again.
    package static func crashReason(recording: Bool, crashes: Int) -> String {
        "the process stopped while processing this \(recording ? "recording" : "call") \(crashes) times"
    }
}
