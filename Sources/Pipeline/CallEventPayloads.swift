package import AIClients
package import Foundation

/// The `data` of each event type (docs/architecture.md §6).
package enum CallEventPayloads {
    package struct CallStatus: Encodable, Sendable {
        package var status: String
        package var failureReason: String?

        package init(status: String, failureReason: String?) {
            self.status = status
            self.failureReason = failureReason
        }

        enum CodingKeys: String, CodingKey {
            case status
            case failureReason = "failure_reason"
        }
    }

    package struct Processing: Encodable, Sendable {
        package var stage: String
        package var state: String
        package var recordingID: String?
        package var attempt: Int
        package var error: String?

        enum CodingKeys: String, CodingKey {
            case stage, state
            case recordingID = "recording_id"
            case attempt, error
        }
    }

    package struct TranscriptUpdate: Encodable, Sendable {
        package var isFinal: Bool
        package var speaker: String
        package var startS: Double
        package var endS: Double
        package var text: String
        /// `live` (an utterance as the call happens) or `recording` (the post-call transcript of
        /// the whole recording, which supersedes the live lines of the same call).
        package var source: String

        enum CodingKeys: String, CodingKey {
            case isFinal = "is_final"
            case speaker
            case startS = "start_s"
            case endS = "end_s"
            case text, source
        }
    }

    package struct SummaryUpdate: Encodable, Sendable {
        package var isFinal: Bool
        package var insights: CallInsights

        enum CodingKeys: String, CodingKey {
            case isFinal = "is_final"
            case insights
        }
    }

    /// `crm_delivery`: where one call's delivery to one CRM target stands.
    package struct CRMDeliveryUpdate: Encodable, Sendable {
        package var deliveryID: String
        package var target: String
        package var kind: String
        /// `pending` (queued or retrying), `sending`, `delivered`, `dead`.
        package var state: String
        package var attempts: Int
        package var remoteID: String?
        package var lastError: String?
        package var lastStatus: Int?
        package var nextAttemptAt: Date?

        package init(_ delivery: CRMDelivery) {
            deliveryID = delivery.id
            target = delivery.target
            kind = delivery.kind.rawValue
            state = delivery.state.rawValue
            attempts = delivery.attempts
            remoteID = delivery.remoteID
            lastError = delivery.lastError
            lastStatus = delivery.lastStatus
            nextAttemptAt = delivery.state == .pending ? delivery.runAfter : nil
        }

        enum CodingKeys: String, CodingKey {
            case deliveryID = "delivery_id"
            case target, kind, state, attempts
            case remoteID = "remote_id"
            case lastError = "last_error"
            case lastStatus = "last_status"
            case nextAttemptAt = "next_attempt_at"
        }
    }

    /// An `alert` of kind `crm_paused`: a CRM refused our credentials and its deliveries wait.
    package struct CRMTargetPaused: Encodable, Sendable {
        package var kind = "crm_paused"
        package var target: String
        package var message: String
    }
}
