import CallPipeCore
package import Foundation

/// The CSV of the export and of the monthly archives (RFC 4180, UTF-8, CRLF), safe to open in a
/// spreadsheet: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
/// prefixed with `'` so it is shown as text instead of being run as a formula (OWASP's
/// CSV-injection advice); numbers are written by us, never taken from input, so they need no
/// such guard.
package enum CSVExport {
    package static let columns = [
        "call_id", "created_at", "ended_at", "agent_id", "customer_id", "direction", "status", "duration_s",
        "agent_talk_s", "customer_talk_s", "talk_ratio", "silence_s", "interruptions", "sentiment", "sentiment_label",
        "outcome", "topics", "summary", "ai_cost_usd", "is_demo", "agent_talk_speed_wpm", "customer_talk_speed_wpm",
        "agent_questions", "customer_questions", "customer_question_share", "source",
    ]

    package static let header = columns.joined(separator: ",") + "\r\n"

    package static func line(_ row: CallExportRow) -> String {
        let metrics = row.metrics
        let talk = (metrics.agentTalkS ?? 0) + (metrics.customerTalkS ?? 0)
        let cells: [String] = [
            text(row.callID), date(row.createdAt), row.endedAt.map(date) ?? "", text(row.agentID),
            text(row.customerID ?? ""), text(row.direction), text(row.status), number(metrics.durationS, 2),
            number(metrics.agentTalkS, 2), number(metrics.customerTalkS, 2),
            number(talk > 0 ? (metrics.agentTalkS ?? 0) / talk : nil, 3), number(metrics.silenceS, 2),
            metrics.interruptions.map(String.init) ?? "", number(metrics.sentiment, 3),
            text(metrics.sentimentLabel ?? ""), text(metrics.outcome ?? ""), text(row.topics ?? ""),
            text(row.summary ?? ""), number(row.costUSD, 6),
            row.isDemo ? "true" : "false", number(metrics.agentTalkSpeedWPM, 1),
            number(metrics.customerTalkSpeedWPM, 1), metrics.agentQuestions.map(String.init) ?? "",
            metrics.customerQuestions.map(String.init) ?? "", number(metrics.customerQuestionShare, 2),
            text(row.source),
        ]
        return cells.joined(separator: ",") + "\r\n"
    }

    /// A text cell: neutralised if it could be a formula, quoted if it holds a comma, quote or line break.
    package static func text(_ value: String) -> String {
        var cell = value
        if let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { cell = "'" + cell }
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    package static func number(_ value: Double?, _ digits: Int) -> String {
        guard let value, value.isFinite else { return "" }
        return String(format: "%.\(digits)f", value)
    }

    package static func date(_ value: Date) -> String {
        value.formatted(Date.ISO8601FormatStyle())
    }
}
