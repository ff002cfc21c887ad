package import AIClients

/// Checks an analyzer's output again (docs/redaction.md "Summaries"): it saw redacted lines, but a
/// model may restate a number or an address it inferred, and the heuristic analyzer quotes lines.
/// Every text of the insights is read on its own, as one line.
package struct InsightsRedactor: Sendable {
    package var redactor: TextRedactor

    package init(kinds: Set<PIIKind> = Set(PIIKind.allCases)) {
        redactor = TextRedactor(detector: PIIDetector(kinds: kinds))
    }

    /// The insights with whatever was found replaced by tokens, and the count per kind.
    package func redact(_ insights: CallInsights) -> (insights: CallInsights, counts: [PIIKind: Int]) {
        var counts: [PIIKind: Int] = [:]
        func clean(_ text: String) -> String {
            guard text.contains(where: { $0.isNumber || $0 == "@" || $0.isLetter }) else { return text }
            let (lines, findings) = redactor.redact([RedactionLine(speaker: "analyzer", start: 0, end: 0, text: text)])
            for (kind, count) in TextRedactor.counts(findings) { counts[kind, default: 0] += count }
            return lines[0].text
        }
        var result = insights
        result.summary = clean(insights.summary)
        result.keyPoints = insights.keyPoints.map(clean)
        result.issues = insights.issues.map(clean)
        result.topics = insights.topics.map(clean)
        result.hints = insights.hints.map(clean)
        result.actionItems = insights.actionItems.map { item in
            var item = item
            item.text = clean(item.text)
            item.due = item.due.map(clean)
            return item
        }
        return (result, counts)
    }
}
