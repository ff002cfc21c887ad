import CallPipeCore
import Foundation
import Hummingbird

/// The query string of `GET /api/calls/history`: page (1 to 1,000,000), page_size (1 to 500) and
/// the call filters (``CallFilterParser``).
enum HistoryQueryParser {
    static func parse(_ parameters: Parameters, caller: APIIdentity) throws(APIError) -> CallHistoryQuery {
        var query = CallHistoryQuery(filter: try CallFilterParser.parse(parameters, caller: caller))
        query.page = try QueryValue.integer(parameters, "page", in: CallHistoryQuery.pages) ?? query.page
        query.pageSize =
            try QueryValue.integer(parameters, "page_size", in: CallHistoryQuery.pageSizes) ?? query.pageSize
        return query
    }
}
