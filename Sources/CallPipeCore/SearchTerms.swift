/// The words of a search as both stores match them (docs/api.md, search): letters and digits,
/// lower-cased, as SQLite's `unicode61` tokenizer and PostgreSQL's `simple` configuration index
/// them. Every word must match whole except the last, which matches as a prefix: the word still
/// being typed. Prefixes on every word made PostgreSQL gather the whole posting list of each one
/// (docs/ARCHITECTURE.md §15, search).
package struct SearchTerms: Sendable, Equatable {
    /// The words that match whole, in the order typed.
    package var whole: [String]
    /// The last word, matched as a prefix.
    package var prefix: String

    /// `nil` when `text` holds no letter or digit.
    package init?(_ text: String) {
        let words = text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
        guard let last = words.last else { return nil }
        whole = Array(words.dropLast())
        prefix = last
    }
}
