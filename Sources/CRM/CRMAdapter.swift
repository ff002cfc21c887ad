import CallPipeCore
import Foundation

/// Delivers a finished call to one CRM in that vendor's own API shape.
///
/// `deliver` must be safe to repeat for the same call: the delivery service retries after
/// timeouts and restarts, when the CRM may already have the record. Each adapter makes repeats
/// harmless its vendor's way (Salesforce: upsert by external id; Zendesk: look for the call's
/// ticket or comment first; HubSpot: search by `callpipe_call_id` before creating; webhook: a
/// stable `Idempotency-Key`).
package protocol CRMAdapter: Sendable {
    var target: CRMTarget { get }
    /// Sends the call; returns the CRM's id of the record it created or updated, when it says.
    func deliver(_ record: CRMCallRecord, idempotencyKey: String, via http: CRMHTTPClient) async throws(CRMError)
        -> String?
}

/// The adapter for each kind of target.
package enum CRMAdapters {
    package static func make(for target: CRMTarget) -> any CRMAdapter {
        switch target.kind {
        case .salesforce: SalesforceAdapter(target: target)
        case .zendesk: ZendeskAdapter(target: target)
        case .hubspot: HubSpotAdapter(target: target)
        case .webhook: WebhookAdapter(target: target)
        }
    }

    /// Builds a request, turning an encoding failure (which would be our bug) into a dead letter.
    static func build(_ body: () throws -> CRMRequest) throws(CRMError) -> CRMRequest {
        do {
            return try body()
        } catch {
            throw CRMError(.deliveryRejected, "cannot build the request: \(error)")
        }
    }

    /// `yyyy-MM-dd` in UTC.
    static func day(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day())
    }
}
