import Foundation

/// Words and sentences of one transcript line, for talk speed and question counts
/// (docs/ARCHITECTURE.md §8).
///
/// A sentence ends at `.`, `!`, `?` or `…` (a run of them, then any closing quotes or brackets)
/// that is followed by the end of the line, or by a space and a word that does not start in lower
/// case: `He asked "why?" and left.` is one sentence, `example.com/?id=3` and `3.5` end none. A full
/// stop after a title (`Mr.`, `Dr.`), a common abbreviation (`e.g.`) or a single letter (an
/// initial) ends no sentence either.
enum TranscriptText {
    /// Titles and abbreviations, lower case without their final full stop.
    static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "mx", "dr", "prof", "sr", "jr", "st", "mt", "vs", "e.g", "i.e", "approx", "dept",
    ]
    static let terminators: Set<Character> = [".", "!", "?", "…", "？", "！", "。"]
    static let questionMarks: Set<Character> = ["?", "？"]
    static let closers: Set<Character> = ["\"", "'", "”", "’", ")", "]", "»"]

    /// Whitespace-separated tokens with at least one letter or digit (`—` or `...` alone is no word).
    static func words(in text: String) -> Int {
        text.split(whereSeparator: \.isWhitespace).count { token in token.contains { $0.isLetter || $0.isNumber } }
    }

    /// The sentences of a line, trimmed, with whether each is a question (its final run of
    /// terminators holds a `?`).
    static func sentences(in text: String) -> [(text: String, isQuestion: Bool)] {
        let characters = Array(text)
        var sentences: [(text: String, isQuestion: Bool)] = []
        var start = 0
        var index = 0
        func close(at end: Int, isQuestion: Bool) {
            let sentence = String(characters[start..<end]).trimmingCharacters(in: .whitespacesAndNewlines)
            if sentence.contains(where: { $0.isLetter || $0.isNumber }) {
                sentences.append((sentence, isQuestion))
            }
            start = end
        }
        while index < characters.count {
            guard terminators.contains(characters[index]) else {
                index += 1
                continue
            }
            var end = index
            while end < characters.count, terminators.contains(characters[end]) { end += 1 }
            let run = characters[index..<end]
            while end < characters.count, closers.contains(characters[end]) { end += 1 }
            if endsSentence(characters, runStart: index, runEnd: end, run: run) {
                close(at: end, isQuestion: run.contains { questionMarks.contains($0) })
            }
            index = end
        }
        if start < characters.count { close(at: characters.count, isQuestion: false) }
        return sentences
    }

    /// How many of a line's sentences are questions.
    static func questions(in text: String) -> Int {
        sentences(in: text).count(where: \.isQuestion)
    }

    private static func endsSentence(
        _ characters: [Character], runStart: Int, runEnd: Int, run: ArraySlice<Character>
    ) -> Bool {
        if runEnd < characters.count {
            guard characters[runEnd].isWhitespace else { return false }
            let next = characters[runEnd...].first { !$0.isWhitespace }
            if let next, next.isLowercase { return false }
        }
        guard run.allSatisfy({ $0 == "." }), run.count == 1 else { return true }
        // The token the full stop ends: an abbreviation or an initial keeps the sentence going.
        var tokenStart = runStart
        while tokenStart > 0, !characters[tokenStart - 1].isWhitespace { tokenStart -= 1 }
        let token = String(characters[tokenStart..<runStart]).lowercased().trimmingCharacters(
            in: .init(charactersIn: "\"'“‘([«"))
        if token.count == 1, token.first?.isLetter == true { return false }
        return !abbreviations.contains(token)
    }
}
