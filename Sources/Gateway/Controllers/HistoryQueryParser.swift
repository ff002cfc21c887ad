import Foundation
import Hummingbird
import Pipeline

/// The query string of `GET /api/calls/history`: page, page_size, agent_id, status, from, to
/// (ISO 8601 dates or times), direction, outcome, sentiment. Agents see only their own calls
/// whatever they ask for.
enum HistoryQueryParser {
    static func parse(_ parameters: Parameters, caller: APIIdentity) throws -> CallHistoryQuery {
        var query = CallHistoryQuery()
        if let page = parameters.get("page") {
            guard let value = Int(page), value >= 1 else { throw invalid("page must be a positive integer") }
            query.page = value
        }
        if let size = parameters.get("page_size") {
            guard let value = Int(size), (1...500).contains(value) else { throw invalid("page_size must be 1 to 500") }
            query.pageSize = value
        }
        query.agentID = caller.role == .agent ? caller.agentID : parameters.get("agent_id")
        if let status = parameters.get("status") {
            guard let value = StoredCall.Status(rawValue: status) else {
                throw invalid(
                    "status must be one of \(StoredCall.Status.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            query.status = value
        }
        query.from = try parameters.get("from").map { try date($0, "from") }
        query.to = try parameters.get("to").map { try date($0, "to") }
        query.direction = try choice(parameters, "direction", AnalyticsQueryParser.directions)
        query.outcome = try choice(parameters, "outcome", AnalyticsQueryParser.outcomes)
        query.sentiment = try choice(parameters, "sentiment", AnalyticsQueryParser.sentiments)
        return query
    }

    static func date(_ text: String, _ name: String) throws -> Date {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let day = try? Date("\(text)T00:00:00Z", strategy: .iso8601) { return day }
        throw invalid("\(name) must be an ISO 8601 date or time, e.g. 2026-11-24 or 2026-11-24T09:00:00Z")
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
