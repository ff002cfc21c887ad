package import CallPipeCore
package import Foundation

/// Read-only aggregates over calls, answered by SQL (`GROUP BY` over indexed columns), never by
/// loading every call.
package protocol CallAnalytics: Sendable {
    func dashboard(_ filter: CallFilter) async throws -> DashboardReport
    func agentMetrics(_ filter: CallFilter) async throws -> [AgentMetrics]
    /// One page of the export, oldest first, after `cursor`.
    func exportPage(_ filter: CallFilter, after cursor: ExportCursor?, limit: Int) async throws -> [CallExportRow]
}
