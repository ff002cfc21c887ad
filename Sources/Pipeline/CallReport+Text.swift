import AIClients
import Audio
import CallPipeCore
import Foundation

/// A readable rendering of a report, for `callpipe transcribe` without `--json`.
extension CallReport {
    package var readableText: String {
        var lines = [analysis.table, "", "transcript (\(providers.transcription))"]
        for segment in transcript.segments {
            lines.append("  [\(Self.clock(segment.startS))] \(segment.speaker): \(segment.text)")
        }
        lines.append("")
        lines += conversationLines
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

    /// Talk speed and questions per party, then the customer's share of the questions.
    private var conversationLines: [String] {
        var lines = ["talk speed and questions"]
        let order = Speaker.allCases.map(\.rawValue)
        let names = conversation.speakers.keys.sorted {
            (order.firstIndex(of: $0) ?? order.count, $0) < (order.firstIndex(of: $1) ?? order.count, $1)
        }
        let width = names.map(\.count).max() ?? 0
        for name in names {
            let party = conversation.speakers[name]!
            let speed = party.talkSpeedWPM.map { "\($0) wpm" } ?? "– wpm"
            let words = party.words.map { "\($0) words" } ?? "no transcript"
            let talk = party.talkS.map { " in \(Self.clock($0))" } ?? ""
            let questions = party.questions.map { ", \($0) question\($0 == 1 ? "" : "s")" } ?? ""
            lines.append(
                "  \(name.padding(toLength: width, withPad: " ", startingAt: 0))  \(speed) (\(words)\(talk))\(questions)"
            )
        }
        let share = conversation.customerQuestionShare.map { "\(Int(($0 * 100).rounded()))%" } ?? "–"
        lines.append("  customer's share of questions  \(share)")
        return lines
    }

    /// `m:ss.t`.
    private static func clock(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10).rounded())
        let secondsPart = (tenths % 600) / 10
        return "\(tenths / 600):\(secondsPart < 10 ? "0" : "")\(secondsPart).\(tenths % 10)"
    }
}
