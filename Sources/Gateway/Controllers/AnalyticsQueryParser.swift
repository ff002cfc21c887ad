import Foundation
import Hummingbird
import Pipeline

/// The query string of the analytics routes and the export: `from`, `to` (ISO 8601 dates or
/// times; `to` exclusive), `agent_id`, `direction`, `outcome`, `sentiment`, `status`, `demo`
/// (`false` leaves seeded demo calls out). Agents get their own figures whatever they ask for.
enum AnalyticsQueryParser {
    static let directions = ["inbound", "outbound"]
    static let outcomes = ["resolved", "escalated", "callback", "unresolved", "voicemail", "dropped"]
    static let sentiments = ["negative", "neutral", "positive"]

    static func parse(_ parameters: Parameters, caller: APIIdentity) throws -> AnalyticsQuery {
        var query = AnalyticsQuery()
        query.from = try parameters.get("from").map { try HistoryQueryParser.date($0, "from") }
        query.to = try parameters.get("to").map { try HistoryQueryParser.date($0, "to") }
        if let from = query.from, let to = query.to, from >= to {
            throw invalid("from must be before to")
        }
        query.agentID =
            caller.role == .agent ? caller.agentID : parameters.get("agent_id").flatMap { $0.isEmpty ? nil : $0 }
        query.direction = try choice(parameters, "direction", directions)
        query.outcome = try choice(parameters, "outcome", outcomes)
        query.sentiment = try choice(parameters, "sentiment", sentiments)
        query.status = try choice(parameters, "status", StoredCall.Status.allCases.map(\.rawValue))
        if let demo = parameters.get("demo") {
            guard let value = Bool(demo.lowercased()) else { throw invalid("demo must be true or false") }
            query.includeDemo = value
        }
        return query
    }

    private static func choice(_ parameters: Parameters, _ name: String, _ allowed: [String]) throws -> String? {
        guard let value = parameters.get(name), !value.isEmpty else { return nil }
        guard allowed.contains(value) else {
            throw invalid("\(name) must be one of \(allowed.joined(separator: ", "))")
        }
        return value
    }

    private static func invalid(_ message: String) -> APIError { APIError.badRequest("invalid_query", message) }
}
