package import Foundation

/// The filters of the analytics endpoints and the CSV export: a time range (by call start,
/// `from` inclusive, `to` exclusive) and optional agent, direction, outcome, sentiment and status.
package struct AnalyticsQuery: Sendable, Equatable {
    package var from: Date?
    package var to: Date?
    package var agentID: String?
    package var direction: String?
    package var outcome: String?
    package var sentiment: String?
    package var status: String?
    /// Seeded demo calls count unless this is false.
    package var includeDemo = true

    package init(
        from: Date? = nil, to: Date? = nil, agentID: String? = nil, direction: String? = nil, outcome: String? = nil,
        sentiment: String? = nil, status: String? = nil, includeDemo: Bool = true
    ) {
        self.from = from
        self.to = to
        self.agentID = agentID
        self.direction = direction
        self.outcome = outcome
        self.sentiment = sentiment
        self.status = status
        self.includeDemo = includeDemo
    }
}

/// Where an export page ends: the next page starts after this call.
package struct ExportCursor: Sendable, Equatable {
    package var createdAt: Date
    package var callID: String

    package init(createdAt: Date, callID: String) {
        self.createdAt = createdAt
        self.callID = callID
    }
}

/// Read-only aggregates over calls, answered by SQL (`GROUP BY` over indexed columns), never by
/// loading every call.
package protocol CallAnalytics: Sendable {
    func dashboard(_ query: AnalyticsQuery) async throws -> DashboardReport
    func agentMetrics(_ query: AnalyticsQuery) async throws -> [AgentMetrics]
    /// One page of the export, oldest first, after `cursor`.
    func exportPage(_ query: AnalyticsQuery, after cursor: ExportCursor?, limit: Int) async throws -> [CallExportRow]
}
