/// A page of `GET /api/calls/history`: the calls `filter` selects, newest first.
package struct CallHistoryQuery: Sendable, Equatable {
    /// The pages one may ask for: far past any real history, and `(page - 1) * pageSize` stays
    /// small whatever a client sends.
    package static let pages = 1...1_000_000
    /// Rows per page.
    package static let pageSizes = 1...500

    package var page: Int = 1
    package var pageSize: Int = 50
    package var filter: CallFilter

    package init(page: Int = 1, pageSize: Int = 50, filter: CallFilter = .init()) {
        self.page = page
        self.pageSize = pageSize
        self.filter = filter
    }
}
