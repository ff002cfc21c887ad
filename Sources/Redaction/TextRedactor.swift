/// Replaces what `PIIDetector` found with typed tokens (`[CARD_NUMBER]`, `[EMAIL]`, …): each run
/// of a line's found words of one kind becomes one token, the words between them (a filler, a
/// dash) included; punctuation around it and every other word stay, and so does the line's timing.
package struct TextRedactor: Sendable {
    package var detector: PIIDetector

    package init(detector: PIIDetector = PIIDetector()) {
        self.detector = detector
    }

    /// The lines redacted, and what was found (kinds and words, never the values).
    package func redact(_ lines: [RedactionLine]) -> (lines: [RedactionLine], findings: [PIIFinding]) {
        let findings = detector.findings(in: lines)
        return (Self.apply(findings, to: lines), findings)
    }

    /// `lines` with the words of `findings` replaced by their kinds' tokens (a word found twice
    /// keeps the first finding's kind).
    package static func apply(_ findings: [PIIFinding], to lines: [RedactionLine]) -> [RedactionLine] {
        var kinds: [WordRef: PIIKind] = [:]
        for finding in findings {
            for word in finding.words where kinds[word] == nil { kinds[word] = finding.kind }
        }
        guard !kinds.isEmpty else { return lines }
        let redactedLines = Set(kinds.keys.map(\.line))
        return lines.enumerated().map { lineIndex, line in
            guard redactedLines.contains(lineIndex) else { return line }
            let words = SpokenWord.words(of: line.text)
            var text = ""
            var cursor = line.text.startIndex
            var index = 0
            while index < words.count {
                guard let kind = kinds[WordRef(line: lineIndex, word: index)] else {
                    index += 1
                    continue
                }
                var last = index
                while last + 1 < words.count, kinds[WordRef(line: lineIndex, word: last + 1)] == kind { last += 1 }
                text += line.text[cursor..<words[index].range.lowerBound]
                text += kind.token
                cursor = words[last].range.upperBound
                index = last + 1
            }
            text += line.text[cursor...]
            var redacted = line
            redacted.text = text
            return redacted
        }
    }

    /// How many of each kind `findings` hold.
    package static func counts(_ findings: [PIIFinding]) -> [PIIKind: Int] {
        findings.reduce(into: [:]) { $0[$1.kind, default: 0] += 1 }
    }
}
