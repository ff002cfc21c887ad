package import AIClients
package import Foundation

/// Which calls a history page, an analytics answer or an export covers: one set of filters, read
/// from a query string in one place (the Gateway's `CallFilterParser`) and turned into SQL in one
/// place per store. Every field narrows; `nil` does not filter.
package struct CallFilter: Sendable, Equatable {
    package enum Direction: String, Sendable, CaseIterable {
        case inbound, outbound
    }

    /// Calls started at or after this instant.
    package var from: Date?
    /// Calls started before this instant (exclusive): a `from` at or after `to` selects nothing.
    package var to: Date?
    package var agentID: String?
    package var direction: Direction?
    /// The insights' outcome.
    package var outcome: CallOutcome?
    /// The call's sentiment label.
    package var sentiment: SentimentLabel?
    package var status: StoredCall.Status?
    /// Where calls came from (`StoredCall.source`).
    package var source: String?
    /// Seeded demo calls count unless this is false.
    package var includeDemo = true

    package init(
        from: Date? = nil, to: Date? = nil, agentID: String? = nil, direction: Direction? = nil,
        outcome: CallOutcome? = nil, sentiment: SentimentLabel? = nil, status: StoredCall.Status? = nil,
        source: String? = nil, includeDemo: Bool = true
    ) {
        self.from = from
        self.to = to
        self.agentID = agentID
        self.direction = direction
        self.outcome = outcome
        self.sentiment = sentiment
        self.status = status
        self.source = source
        self.includeDemo = includeDemo
    }
}
