/// Redacts live lines before they are published (docs/redaction.md "Live"). A line is read with the
/// call's last minute of final lines before it, so a card number read in two breaths, or digits after
/// "and your card number?", are found in the line that holds them; a number the line ends inside is
/// redacted by its mention, or from six digits on, before the rest of it is heard
/// (`PIIDetector.redactsOpenNumbers`). Only the newest line is changed: earlier lines were published
/// already, redacted the same way.
package struct LiveLineRedactor: Sendable {
    package var detector: PIIDetector
    /// Seconds of final lines kept to read the next line with.
    package var window: Double = 60
    /// What the live lines had redacted so far, per kind.
    package private(set) var counts: [PIIKind: Int] = [:]
    private var recent: [RedactionLine] = []

    package init(kinds: Set<PIIKind> = Set(PIIKind.allCases)) {
        detector = PIIDetector(kinds: kinds)
        detector.redactsOpenNumbers = true
    }

    /// A final line, redacted; it is kept (as said) to read the lines after it.
    package mutating func final(_ line: RedactionLine) -> RedactionLine {
        recent.append(line)
        recent.removeAll { $0.end < line.end - window }
        let (redacted, kinds) = redactLast(recent)
        for kind in kinds { counts[kind, default: 0] += 1 }
        return redacted
    }

    /// An interim line (its final one replaces it), redacted; not kept.
    package func interim(_ line: RedactionLine) -> RedactionLine {
        redactLast(recent + [line]).line
    }

    private func redactLast(_ lines: [RedactionLine]) -> (line: RedactionLine, kinds: [PIIKind]) {
        let last = lines.count - 1
        let findings = detector.findings(in: lines).compactMap { finding -> PIIFinding? in
            let words = finding.words.filter { $0.line == last }
            return words.isEmpty ? nil : PIIFinding(kind: finding.kind, words: words)
        }
        guard !findings.isEmpty else { return (lines[last], []) }
        return (TextRedactor.apply(findings, to: lines)[last], findings.map(\.kind))
    }
}
