/// One transcript line as the redaction sees it: who said it, when, and its text.
package struct RedactionLine: Sendable, Equatable {
    package var speaker: String
    package var start: Double
    package var end: Double
    package var text: String

    package init(speaker: String, start: Double, end: Double, text: String) {
        self.speaker = speaker
        self.start = start
        self.end = end
        self.text = text
    }
}

/// Personal data found in a conversation: its kind and the words that say it, which may run
/// across several lines (a card number read in two breaths, with the agent's "mm-hm" between).
package struct PIIFinding: Sendable, Equatable {
    package var kind: PIIKind
    package var words: [WordRef]

    package init(kind: PIIKind, words: [WordRef]) {
        self.kind = kind
        self.words = words
    }
}

/// A word of a conversation: the line it is in and its place among that line's words.
package struct WordRef: Sendable, Hashable, Comparable {
    package var line: Int
    package var word: Int

    package init(line: Int, word: Int) {
        self.line = line
        self.word = word
    }

    package static func < (lhs: WordRef, rhs: WordRef) -> Bool {
        (lhs.line, lhs.word) < (rhs.line, rhs.word)
    }
}
