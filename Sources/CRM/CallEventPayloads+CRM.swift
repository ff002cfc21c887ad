package import CallPipeCore
package import Foundation

extension CallEventPayloads {
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

        package init(target: String, message: String) {
            self.target = target
            self.message = message
        }
    }
}
