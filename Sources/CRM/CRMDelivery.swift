package import Foundation

/// One call's delivery to one CRM target: a row of the outbox, written in the same transaction as
/// the call's final summary and moved on by `CRMDeliveryService`.
///
/// `pending` (due at `runAfter`) → `sending` (claimed under a lease) → `delivered`, or back to
/// `pending` with a backoff, or `dead` after too many attempts or a refusal that retrying cannot
/// fix (`lastError` says why). Admins can send a dead (or delivered) one again.
package struct CRMDelivery: Sendable, Codable, Equatable {
    package enum State: String, Sendable, Codable, CaseIterable {
        case pending, sending, delivered, dead
    }

    package var id: String
    package var callID: String
    package var target: String
    package var kind: CRMTarget.Kind
    package var state: State
    package var attempts: Int
    /// Of the attempts, those cut short by the process dying (found `sending` at the next start).
    package var crashes: Int = 0
    package var runAfter: Date
    package var leaseUntil: Date?
    package var lastError: String?
    package var lastStatus: Int?
    /// The CRM's id of the record (Task, ticket, call).
    package var remoteID: String?
    /// Stable per call and target: what the CRM sees on every attempt.
    package var idempotencyKey: String
    package var createdAt: Date
    package var updatedAt: Date
    package var deliveredAt: Date?

    enum CodingKeys: String, CodingKey {
        case id
        case callID = "call_id"
        case target, kind, state, attempts, crashes
        case runAfter = "run_after"
        case leaseUntil = "lease_until"
        case lastError = "last_error"
        case lastStatus = "last_status"
        case remoteID = "remote_id"
        case idempotencyKey = "idempotency_key"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case deliveredAt = "delivered_at"
    }

    package init(
        id: String, callID: String, target: String, kind: CRMTarget.Kind, state: State = .pending, attempts: Int = 0,
        runAfter: Date, idempotencyKey: String, createdAt: Date
    ) {
        self.id = id
        self.callID = callID
        self.target = target
        self.kind = kind
        self.state = state
        self.attempts = attempts
        self.runAfter = runAfter
        self.idempotencyKey = idempotencyKey
        self.createdAt = createdAt
        updatedAt = createdAt
    }

    /// Attempts that ran to an outcome: the ones `CRMConfiguration.maxAttempts` counts, apart from
    /// crashes.
    package var finishedAttempts: Int { max(0, attempts - crashes) }

    /// Why a delivery that was being sent each time the process died is not sent again.
    package static func crashReason(crashes: Int) -> String {
        "the process stopped while sending this delivery \(crashes) times"
    }
}

/// A target whose credentials the CRM refused: its deliveries wait until an admin resumes it.
package struct CRMPausedTarget: Sendable, Codable, Equatable {
    package var target: String
    package var reason: String
    package var pausedAt: Date

    package init(target: String, reason: String, pausedAt: Date) {
        self.target = target
        self.reason = reason
        self.pausedAt = pausedAt
    }

    enum CodingKeys: String, CodingKey {
        case target, reason
        case pausedAt = "paused_at"
    }
}
