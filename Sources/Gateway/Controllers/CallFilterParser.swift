import AIClients
import CallPipeCore
import Foundation
import Hummingbird

/// The call filters of a query string, the same for the history, the analytics routes and the
/// export: `from`, `to` (``QueryDate``; `to` exclusive), `agent_id` (empty means any), `direction`,
/// `outcome`, `sentiment`, `status`, `source` (each one of its enum's values) and `demo` (`false` leaves
/// seeded demo calls out). Agents get their own calls whatever they ask for.
enum CallFilterParser {
    static let directions = CallFilter.Direction.allCases.map(\.rawValue)
    static let outcomes = CallOutcome.allCases.map(\.rawValue)
    static let sentiments = SentimentLabel.allCases.map(\.rawValue)
    static let statuses = StoredCall.Status.allCases.map(\.rawValue)

    static func parse(_ parameters: Parameters, caller: APIIdentity) throws(APIError) -> CallFilter {
        var filter = CallFilter()
        (filter.from, filter.to) = try QueryValue.dateRange(parameters)
        filter.agentID =
            caller.role == .agent ? caller.agentID : parameters.get("agent_id").flatMap { $0.isEmpty ? nil : $0 }
        filter.direction = try QueryValue.choice(parameters, "direction", directions).flatMap(CallFilter.Direction.init)
        filter.outcome = try QueryValue.choice(parameters, "outcome", outcomes).flatMap(CallOutcome.init)
        filter.sentiment = try QueryValue.choice(parameters, "sentiment", sentiments).flatMap(SentimentLabel.init)
        filter.status = try QueryValue.choice(parameters, "status", statuses).flatMap(StoredCall.Status.init)
        filter.source = try QueryValue.choice(parameters, "source", ConnectorKind.sources)
        filter.includeDemo = try QueryValue.boolean(parameters, "demo") ?? filter.includeDemo
        return filter
    }
}
