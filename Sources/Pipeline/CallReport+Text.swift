import AIClients
import Audio

/// A readable rendering of a report, for `callpipe transcribe` without `--json`.
extension CallReport {
    package var readableText: String {
        var lines = [analysis.table, "", "transcript (\(providers.transcription))"]
        for segment in transcript.segments {
            lines.append("  [\(Self.clock(segment.startS))] \(segment.speaker): \(segment.text)")
        }
        lines.append("")
        lines.append("insights (\(insights.analyzer))")
        lines.append("  outcome    \(insights.outcome.rawValue)")
        lines.append("  sentiment  \(insights.sentiment.label.rawValue) (\(insights.sentiment.overall))")
        lines.append("  topics     \(insights.topics.joined(separator: ", "))")
        lines.append("  summary    \(insights.summary)")
        for point in insights.keyPoints { lines.append("  • \(point)") }
        for item in insights.actionItems {
            lines.append("  action     \(item.owner): \(item.text)\(item.due.map { " (due \($0))" } ?? "")")
        }
        for hint in insights.hints { lines.append("  hint       \(hint)") }
        return lines.joined(separator: "\n")
    }

    /// `m:ss.t`.
    private static func clock(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10).rounded())
        let secondsPart = (tenths % 600) / 10
        return "\(tenths / 600):\(secondsPart < 10 ? "0" : "")\(secondsPart).\(tenths % 10)"
    }
}
