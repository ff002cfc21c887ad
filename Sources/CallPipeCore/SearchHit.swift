/// A call whose transcript or summary matched a search.
package struct SearchHit: Sendable, Equatable {
    package var callID: String
    /// `transcript` or `summary`.
    package var kind: String
    /// The matching text with matches wrapped in `[` `]`.
    package var snippet: String

    package init(callID: String, kind: String, snippet: String) {
        self.callID = callID
        self.kind = kind
        self.snippet = snippet
    }
}
