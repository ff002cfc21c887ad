import AIClients
import Audio
import Foundation

/// Puts a model segment's text on its speaker's speech (docs/ARCHITECTURE.md §9, "Lines"): a
/// segment becomes one or more lines in recording time, split wherever the speaker is silent for
/// longer than `maxPause`, each line tightened to the speech spans under it.
///
/// With word timestamps every word is mapped back on its own (a word never spans the gap between
/// two compacted pieces) and lines break between words; without them, a segment that covers
/// speech separated by long silences is shared among those stretches in proportion to their
/// speech, since nothing finer is known.
struct TranscriptLineBuilder {
    /// A line: recording times, its text and, when known, its words.
    struct Line: Equatable {
        var start: Double
        var end: Double
        var text: String
        var words: [TranscriptWord]?
    }

    /// Pauses longer than this, in seconds, end a line.
    var maxPause: Double
    /// The speaker's speech in the recording, sorted by start.
    var spans: [SpeechSpan]

    /// Lines of one segment whose recording range is `start..<end`; `words` are its words with
    /// times already mapped to the recording.
    func lines(text: String, start: Double, end: Double, words: [TranscribedWord]) -> [Line] {
        let words = words.filter { !Self.letters(of: $0.word).isEmpty }
        if !words.isEmpty { return lines(text: text, words: words) }
        return lines(text: text, start: start, end: end)
    }

    private func lines(text: String, words: [TranscribedWord]) -> [Line] {
        var breaks: [Int] = []
        for index in words.indices.dropFirst() where words[index].start - words[index - 1].end > maxPause {
            breaks.append(index)
        }
        let texts = Self.split(text: text, words: words.map(\.word), at: breaks)
        let bounds = [0] + breaks + [words.count]
        return zip(texts, zip(bounds, bounds.dropFirst())).map { text, range in
            let lineWords = words[range.0..<range.1]
            let (start, end) = tightened(lineWords.first!.start, lineWords.map(\.end).max()!)
            // The text's own tokens (with their punctuation) when they pair up with the words.
            let tokens = text.split(whereSeparator: \.isWhitespace).map(String.init)
            let written = tokens.count == lineWords.count ? tokens : lineWords.map(\.word)
            return Line(
                start: start, end: end, text: text,
                words: zip(written, lineWords).map { word, timed in
                    TranscriptWord(
                        word: word.trimmingCharacters(in: .whitespaces), startS: Self.rounded(timed.start),
                        endS: Self.rounded(timed.end))
                })
        }
    }

    private func lines(text: String, start: Double, end: Double) -> [Line] {
        let overlapping = spans.filter { $0.end > start && $0.start < end }
        // Stretches of speech under the segment, separated by pauses longer than `maxPause`.
        var stretches: [(start: Double, end: Double, speech: Double)] = []
        for span in overlapping {
            let from = max(start, span.start)
            let to = min(end, span.end)
            if let last = stretches.last, from - last.end <= maxPause {
                stretches[stretches.count - 1] = (last.start, max(last.end, to), last.speech + to - from)
            } else {
                stretches.append((from, to, to - from))
            }
        }
        let tokens = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard stretches.count > 1, tokens.count >= stretches.count else {
            let (from, to) = tightened(start, end)
            return [Line(start: from, end: to, text: text, words: nil)]
        }
        // Tokens shared out by speech duration, at least one per stretch.
        let total = stretches.reduce(0) { $0 + $1.speech }
        var breaks: [Int] = []
        var cumulative = 0.0
        for stretch in stretches.dropLast() {
            cumulative += stretch.speech
            let share = Int((Double(tokens.count) * cumulative / max(total, 1e-9)).rounded())
            let previous = breaks.last ?? 0
            let remaining = stretches.count - breaks.count - 1
            breaks.append(min(max(share, previous + 1), tokens.count - remaining))
        }
        let bounds = [0] + breaks + [tokens.count]
        return zip(stretches, zip(bounds, bounds.dropFirst())).map { stretch, range in
            Line(
                start: Self.rounded(stretch.start), end: Self.rounded(stretch.end),
                text: tokens[range.0..<range.1].joined(separator: " "), words: nil)
        }
    }

    /// `start...end` narrowed to the speech spans it overlaps (our spans are exact to 20 ms; model
    /// times are coarser), rounded to 10 ms.
    private func tightened(_ start: Double, _ end: Double) -> (Double, Double) {
        let overlapping = spans.filter { $0.end > start && $0.start < end }
        let from = overlapping.first.map { max(start, $0.start) } ?? start
        let to = overlapping.last.map { min(end, $0.end) } ?? end
        return (Self.rounded(from), Self.rounded(max(from, to)))
    }

    /// `text` cut into `breaks.count + 1` pieces, piece k starting at word `breaks[k-1]`. The
    /// words and the text are aligned by their letters and digits (scaled when they differ, e.g.
    /// "5" against "five"), so punctuation and differing token splits do not matter; the text keeps
    /// its own spelling and punctuation.
    static func split(text: String, words: [String], at breaks: [Int]) -> [String] {
        let tokens = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard !breaks.isEmpty else { return [text.trimmingCharacters(in: .whitespaces)] }
        guard tokens.count > breaks.count else {
            // Fewer tokens than pieces (a model that split one written token into many words):
            // the words' own text is the best there is.
            let bounds = [0] + breaks + [words.count]
            return zip(bounds, bounds.dropFirst()).map { range in
                words[range.0..<range.1].map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            }
        }
        var wordEnds: [Int] = []
        for word in words { wordEnds.append((wordEnds.last ?? 0) + letters(of: word).count) }
        var tokenEnds: [Int] = []
        for token in tokens { tokenEnds.append((tokenEnds.last ?? 0) + letters(of: token).count) }
        let scale = Double(tokenEnds.last ?? 0) / Double(max(1, wordEnds.last ?? 0))
        var cuts: [Int] = []
        for (position, wordIndex) in breaks.enumerated() {
            let target = Double(wordEnds[wordIndex - 1]) * scale
            // The first token ending at or after the target ends this piece.
            var cut = (tokenEnds.firstIndex { Double($0) >= target - 0.5 } ?? tokens.count - 1) + 1
            let previous = cuts.last ?? 0
            let needed = breaks.count - position  // pieces still to come, each with one token
            cut = min(max(cut, previous + 1), tokens.count - needed)
            cuts.append(cut)
        }
        let bounds = [0] + cuts + [tokens.count]
        return zip(bounds, bounds.dropFirst()).map { tokens[$0.0..<$0.1].joined(separator: " ") }
    }

    /// The letters and digits of `text`, lowercased: what words and written text have in common.
    static func letters(of text: String) -> [Character] {
        text.lowercased().filter { $0.isLetter || $0.isNumber }.map { $0 }
    }

    static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
