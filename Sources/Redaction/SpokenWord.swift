/// A word of a line: where it is in the text (the characters a redaction replaces, punctuation
/// around it left out) and its lowercased form for matching.
package struct SpokenWord: Sendable {
    package var range: Range<String.Index>
    package var text: Substring
    package var lower: String

    /// The words of `text`, split at whitespace, each without the punctuation around it (inner
    /// punctuation stays: `4242-4242`, `j.smith@example.com`, `forty-two`).
    package static func words(of text: String) -> [SpokenWord] {
        var words: [SpokenWord] = []
        var index = text.startIndex
        while index < text.endIndex {
            while index < text.endIndex, text[index].isWhitespace { index = text.index(after: index) }
            var end = index
            while end < text.endIndex, !text[end].isWhitespace { end = text.index(after: end) }
            var lower = index
            var upper = end
            while lower < upper, Self.isEdgePunctuation(text[lower]) { lower = text.index(after: lower) }
            while upper > lower, Self.isEdgePunctuation(text[text.index(before: upper)]) {
                upper = text.index(before: upper)
            }
            if lower < upper {
                let word = text[lower..<upper]
                words.append(SpokenWord(range: lower..<upper, text: word, lower: word.lowercased()))
            }
            index = end
        }
        return words
    }

    /// Punctuation that ends or opens a word but is not part of it ("4242," "(555)" "com.").
    private static func isEdgePunctuation(_ character: Character) -> Bool {
        character.isPunctuation && character != "@" && character != "+" || character == "\"" || character == "'"
    }
}
