import Analytics
import CallPipeCore
import Foundation
import Hummingbird

/// The query string of the analytics routes and the export: `from`, `to` (``QueryDate``; `to`
/// exclusive, after `from`), `agent_id`, `direction`, `outcome`, `sentiment`, `status`, `demo`
/// (`false` leaves seeded demo calls out). Agents get their own figures whatever they ask for.
enum AnalyticsQueryParser {
    static let directions = ["inbound", "outbound"]
    static let outcomes = ["resolved", "escalated", "callback", "unresolved", "voicemail", "dropped"]
    static let sentiments = ["negative", "neutral", "positive"]

    static func parse(_ parameters: Parameters, caller: APIIdentity) throws(APIError) -> AnalyticsQuery {
        var query = AnalyticsQuery()
        (query.from, query.to) = try QueryValue.dateRange(parameters)
        query.agentID =
            caller.role == .agent ? caller.agentID : parameters.get("agent_id").flatMap { $0.isEmpty ? nil : $0 }
        query.direction = try QueryValue.choice(parameters, "direction", directions)
        query.outcome = try QueryValue.choice(parameters, "outcome", outcomes)
        query.sentiment = try QueryValue.choice(parameters, "sentiment", sentiments)
        query.status = try QueryValue.choice(parameters, "status", StoredCall.Status.allCases.map(\.rawValue))
        query.includeDemo = try QueryValue.boolean(parameters, "demo") ?? query.includeDemo
        return query
    }
}
