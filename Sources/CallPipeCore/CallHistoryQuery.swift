package import Foundation

/// Filters and page of `GET /api/calls/history`.
package struct CallHistoryQuery: Sendable, Equatable {
    /// The pages one may ask for: far past any real history, and `(page - 1) * pageSize` stays
    /// small whatever a client sends.
    package static let pages = 1...1_000_000
    /// Rows per page.
    package static let pageSizes = 1...500

    package var page: Int = 1
    package var pageSize: Int = 50
    package var agentID: String?
    package var status: StoredCall.Status?
    package var from: Date?
    package var to: Date?
    /// `inbound` or `outbound`.
    package var direction: String?
    /// The insights' outcome (`resolved`, `escalated`, ...).
    package var outcome: String?
    /// The call's sentiment label (`negative`, `neutral`, `positive`).
    package var sentiment: String?

    package init(
        page: Int = 1, pageSize: Int = 50, agentID: String? = nil, status: StoredCall.Status? = nil, from: Date? = nil,
        to: Date? = nil, direction: String? = nil, outcome: String? = nil, sentiment: String? = nil
    ) {
        self.page = page
        self.pageSize = pageSize
        self.agentID = agentID
        self.status = status
        self.from = from
        self.to = to
        self.direction = direction
        self.outcome = outcome
        self.sentiment = sentiment
    }
}
