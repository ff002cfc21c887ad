package import AIClients
package import CallPipeCore
package import Crypto
package import Foundation

/// Redacts a recording's transcript before it is stored (docs/redaction.md): the lines' found words
/// become typed tokens, the lines' word timestamps follow (a token keeps the times of the words it
/// replaced), and each finding's stretch of the recording is given for the audio — from its words'
/// own times, or the whole line's span when the line has none.
package struct TranscriptRedactor: Sendable {
    package var detector: PIIDetector
    /// The audit's hash key: the same value hashes the same on this server (docs/redaction.md "Audit").
    package var auditKey: SymmetricKey

    package init(kinds: Set<PIIKind> = Set(PIIKind.allCases), auditKey: Data) {
        detector = PIIDetector(kinds: kinds)
        self.auditKey = SymmetricKey(data: auditKey)
    }

    /// Numbers shorter than this are not in the audit (every "one" and "two" of a conversation).
    static let auditedDigits = 3

    package func redact(_ transcript: Transcript) -> TranscriptRedaction {
        let lines = transcript.segments.map {
            RedactionLine(speaker: $0.speaker, start: $0.startS, end: $0.endS, text: $0.text)
        }
        let review = detector.review(lines)
        guard !review.findings.isEmpty || !review.numbers.isEmpty else {
            return TranscriptRedaction(transcript: transcript)
        }
        let redactedLines = TextRedactor.apply(review.findings, to: lines)
        var kinds: [WordRef: PIIKind] = [:]
        for finding in review.findings {
            for word in finding.words where kinds[word] == nil { kinds[word] = finding.kind }
        }
        let spokenWords = lines.map { SpokenWord.words(of: $0.text) }
        var timings: [Int: [ClosedRange<Double>?]] = [:]
        var redacted = transcript
        for lineIndex in Set(kinds.keys.map(\.line)) {
            let segment = transcript.segments[lineIndex]
            let aligned = Self.align(segment, spokenWords[lineIndex])
            timings[lineIndex] = aligned.times
            redacted.segments[lineIndex].text = redactedLines[lineIndex].text
            redacted.segments[lineIndex].words =
                aligned.complete
                ? Self.redactedWords(
                    segment, spokenWords[lineIndex], aligned.wordSpans, line: lineIndex, kinds: kinds) : nil
        }
        var result = TranscriptRedaction(transcript: redacted)
        for finding in review.findings {
            for (line, refs) in Dictionary(grouping: finding.words, by: \.line) {
                let segment = transcript.segments[line]
                let times = refs.map { timings[line]?[$0.word] ?? nil }
                let timed = times.allSatisfy { $0 != nil }
                let starts = timed ? times.compactMap { $0?.lowerBound } : [segment.startS]
                let ends = timed ? times.compactMap { $0?.upperBound } : [segment.endS]
                result.spans.append(
                    RecordingRedaction.Span(
                        kind: finding.kind.rawValue, speaker: segment.speaker, startS: starts.min() ?? segment.startS,
                        endS: ends.max() ?? segment.endS, wordTimed: timed))
            }
            result.counts[finding.kind.rawValue, default: 0] += 1
            if !finding.words.contains(where: { ref in review.numbers.contains { $0.words.contains(ref) } }) {
                let value = finding.words.map { String(spokenWords[$0.line][$0.word].lower) }.joined(separator: " ")
                result.decisions.append(
                    decision(
                        outcome: finding.kind.rawValue, reason: "pattern", first: finding.words.min(), lines: lines,
                        length: value.count, value: value))
            }
        }
        for number in review.numbers where number.digits.count >= Self.auditedDigits || !number.kinds.isEmpty {
            // A number inside another finding ("March 3, 1985" after "born") went with it.
            let outcome = number.kinds.first ?? number.words.lazy.compactMap { kinds[$0] }.first
            result.decisions.append(
                decision(
                    outcome: outcome?.rawValue ?? "kept", reason: number.mention ?? "none",
                    first: number.words.min(), lines: lines, length: number.digits.count, value: number.digits))
        }
        result.spans.sort { ($0.startS, $0.endS) < ($1.startS, $1.endS) }
        result.decisions.sort { $0.startS < $1.startS }
        return result
    }

    private func decision(
        outcome: String, reason: String, first: WordRef?, lines: [RedactionLine], length: Int, value: String
    ) -> RecordingRedaction.Decision {
        let line = first.map { lines[$0.line] }
        let mac = HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: auditKey)
        return RecordingRedaction.Decision(
            outcome: outcome, reason: reason, speaker: line?.speaker ?? "", startS: line?.start ?? 0, length: length,
            valueHash: mac.prefix(8).map { String(format: "%02x", $0) }.joined())
    }

    /// Where each of the line's words (`TranscriptWord`) is in its text, and from those the times
    /// of each spoken word (`SpokenWord`: the detector's words). `complete` is false when a word
    /// could not be found in the text — the line's words are then dropped, not guessed.
    static func align(_ segment: TranscriptSegment, _ spoken: [SpokenWord]) -> (
        times: [ClosedRange<Double>?], wordSpans: [Range<String.Index>?], complete: Bool
    ) {
        guard let words = segment.words, !words.isEmpty else {
            return (Array(repeating: nil, count: spoken.count), [], false)
        }
        let text = segment.text
        var cursor = text.startIndex
        var spans: [Range<String.Index>?] = []
        var complete = true
        for word in words {
            let token = word.word.trimmingCharacters(in: .whitespacesAndNewlines)
            if !token.isEmpty,
                let range = text.range(of: token, options: .caseInsensitive, range: cursor..<text.endIndex)
            {
                spans.append(range)
                cursor = range.upperBound
            } else {
                spans.append(nil)
                if !token.isEmpty { complete = false }
            }
        }
        let times: [ClosedRange<Double>?] = spoken.map { spokenWord in
            let overlapping = words.indices.filter { index in
                spans[index].map { $0.overlaps(spokenWord.range) } ?? false
            }
            guard let first = overlapping.first, let last = overlapping.last else { return nil }
            return min(words[first].startS, words[last].endS)...max(words[first].startS, words[last].endS)
        }
        return (times, spans, complete)
    }

    /// The line's words with each run of found words one token word spanning their times.
    static func redactedWords(
        _ segment: TranscriptSegment, _ spoken: [SpokenWord], _ spans: [Range<String.Index>?], line: Int,
        kinds: [WordRef: PIIKind]
    ) -> [TranscriptWord]? {
        guard let words = segment.words else { return nil }
        var result: [TranscriptWord] = []
        var lastKind: PIIKind?
        for (index, word) in words.enumerated() {
            let kind = spans[index].flatMap { span in
                spoken.indices.first { spoken[$0].range.overlaps(span) && kinds[WordRef(line: line, word: $0)] != nil }
                    .flatMap { kinds[WordRef(line: line, word: $0)] }
            }
            guard let kind else {
                result.append(word)
                lastKind = nil
                continue
            }
            if lastKind == kind, var previous = result.popLast() {
                previous.endS = max(previous.endS, word.endS)
                result.append(previous)
            } else {
                result.append(TranscriptWord(word: kind.token, startS: word.startS, endS: word.endS))
            }
            lastKind = kind
        }
        return result
    }
}

/// A transcript as it is stored once redacted, and what was taken out of it.
package struct TranscriptRedaction: Sendable, Equatable {
    package var transcript: Transcript
    package var counts: [String: Int] = [:]
    /// Each finding's stretch per line, in time order.
    package var spans: [RecordingRedaction.Span] = []
    package var decisions: [RecordingRedaction.Decision] = []

    package init(transcript: Transcript) {
        self.transcript = transcript
    }

    /// The stretches to mute in the recording: each span widened by `margin` on both sides (not
    /// before 0), overlapping ones merged.
    package func mutedRanges(margin: Double) -> [ClosedRange<Double>] {
        var merged: [ClosedRange<Double>] = []
        for span in spans.sorted(by: { $0.startS < $1.startS }) {
            let range = max(0, span.startS - margin)...(span.endS + margin)
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// The record stored with the transcript (the audio's part and replacement are added by
    /// whoever redacts the audio).
    package func record(mode: RedactionMode) -> RecordingRedaction {
        RecordingRedaction(mode: mode.rawValue, counts: counts, spans: spans, decisions: decisions)
    }
}
