package import AIClients
package import Audio
package import CallPipeCore
import Foundation

/// A finished call as the CRM adapters see it: the call, its final summary, its talk-time analysis
/// and transcript. Read from the store when a delivery is sent, so a retry after a restart sends
/// the same thing.
package struct CRMCallRecord: Sendable, Equatable {
    package var call: StoredCall
    package var insights: CallInsights
    package var summaryVersion: Int
    package var analysis: AudioAnalysis?
    package var transcript: Transcript

    package init(
        call: StoredCall, insights: CallInsights, summaryVersion: Int, analysis: AudioAnalysis?, transcript: Transcript
    ) {
        self.call = call
        self.insights = insights
        self.summaryVersion = summaryVersion
        self.analysis = analysis
        self.transcript = transcript
    }

    /// Seconds of audio, or the time between start and end when there is no analysis.
    package var durationS: Double {
        if let analysis { return analysis.durationS }
        guard let ended = call.endedAt else { return 0 }
        return max(0, ended.timeIntervalSince(call.createdAt))
    }

    /// A one-line title: who, which way, how it ended.
    package var title: String {
        let who = call.customerID.map { " with \($0)" } ?? ""
        return "\(call.direction.capitalized) call\(who): \(insights.outcome.rawValue)"
    }

    /// The summary, key points and action items as plain text, the body CRMs show.
    package var body: String {
        var lines = [insights.summary]
        if !insights.keyPoints.isEmpty {
            lines += ["", "Key points:"] + insights.keyPoints.map { "- \($0)" }
        }
        if !insights.actionItems.isEmpty {
            lines += ["", "Action items:"] + insights.actionItems.map { "- \($0.text) (\($0.owner))" }
        }
        lines += [
            "",
            "Outcome: \(insights.outcome.rawValue) · Sentiment: \(insights.sentiment.label.rawValue) · "
                + "Agent: \(call.agentID) · Duration: \(Int(durationS.rounded())) s",
            "CallPipe call \(call.id)",
        ]
        return lines.joined(separator: "\n")
    }

    /// Tags from outcome, sentiment and topics, lower-case with underscores (as Zendesk wants them).
    package var tags: [String] {
        var tags = [
            "callpipe", "outcome_\(insights.outcome.rawValue)", "sentiment_\(insights.sentiment.label.rawValue)",
        ]
        for topic in insights.topics {
            let tag = topic.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
            let text = String(tag).split(separator: "_").joined(separator: "_")
            if !text.isEmpty, !tags.contains(text) { tags.append(text) }
        }
        return tags
    }
}
