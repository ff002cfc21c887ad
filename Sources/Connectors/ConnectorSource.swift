package import CallPipeCore
package import Foundation

/// What a connector kind knows how to do (docs/connectors.md): list the calls of a time window
/// page by page with the vendor's cursor, each already with the details a sync stores, and fetch
/// a call's audio.
package protocol ConnectorSource: Sendable {
    var kind: ConnectorKind { get }

    /// One page of the calls that started in `window`; `cursor` is the previous page's next one.
    func page(in window: Range<Date>, cursor: String?) async throws(ConnectorError) -> SourcePage

    /// The audio of a call that has some.
    func audio(of call: ImportedCall) async throws(ConnectorError) -> Data

    /// Requests made so far (retries included).
    var requestsUsed: Int { get }
}

/// A page of a vendor's calls in CallPipe's terms.
package struct SourcePage: Sendable {
    package var calls: [ImportedCall]
    /// Entries of the page that could not be read (counted as failed, the rest is stored).
    package var failed: Int
    /// The cursor of the next page; `nil` after the last.
    package var nextCursor: String?

    package init(calls: [ImportedCall], failed: Int = 0, nextCursor: String?) {
        self.calls = calls
        self.failed = failed
        self.nextCursor = nextCursor
    }
}
