/// One page of `GET /api/calls/history`.
package struct CallHistoryPage: Sendable, Equatable {
    package var calls: [StoredCall]
    package var total: Int
    package var page: Int
    package var pageSize: Int
    /// Each call's metric columns, by call id.
    package var metrics: [String: CallRowMetrics] = [:]

    package init(calls: [StoredCall], total: Int, page: Int, pageSize: Int, metrics: [String: CallRowMetrics] = [:]) {
        self.calls = calls
        self.total = total
        self.page = page
        self.pageSize = pageSize
        self.metrics = metrics
    }
}
