import CallPipeCore
import Foundation
import Hummingbird

/// The query string of `GET /api/calls/history`: page (1 to 1,000,000), page_size (1 to 500),
/// agent_id, status, from, to (``QueryDate``; from before to), direction, outcome, sentiment.
/// Agents see only their own calls whatever they ask for.
enum HistoryQueryParser {
    static func parse(_ parameters: Parameters, caller: APIIdentity) throws(APIError) -> CallHistoryQuery {
        var query = CallHistoryQuery()
        query.page = try QueryValue.integer(parameters, "page", in: CallHistoryQuery.pages) ?? query.page
        query.pageSize =
            try QueryValue.integer(parameters, "page_size", in: CallHistoryQuery.pageSizes) ?? query.pageSize
        query.agentID =
            caller.role == .agent ? caller.agentID : parameters.get("agent_id").flatMap { $0.isEmpty ? nil : $0 }
        query.status = try QueryValue.choice(parameters, "status", StoredCall.Status.allCases.map(\.rawValue))
            .flatMap(StoredCall.Status.init(rawValue:))
        (query.from, query.to) = try QueryValue.dateRange(parameters)
        query.direction = try QueryValue.choice(parameters, "direction", AnalyticsQueryParser.directions)
        query.outcome = try QueryValue.choice(parameters, "outcome", AnalyticsQueryParser.outcomes)
        query.sentiment = try QueryValue.choice(parameters, "sentiment", AnalyticsQueryParser.sentiments)
        return query
    }
}
