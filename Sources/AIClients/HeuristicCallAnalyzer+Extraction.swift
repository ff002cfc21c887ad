import Foundation

/// Extractive parts of the heuristic analysis: sentences picked by cue phrases and word weight.
extension HeuristicCallAnalyzer {
    struct Sentence {
        var speaker: String
        var text: String
        var start: Double
    }

    static func sentences(_ segments: [TranscriptSegment]) -> [Sentence] {
        segments.flatMap { segment in
            segment.text.split(omittingEmptySubsequences: true) { ".?!".contains($0) }
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { words($0).count >= 3 }
                .map { Sentence(speaker: segment.speaker, text: $0 + ".", start: segment.startS) }
        }
    }

    /// The three sentences richest in the call's frequent content words, in call order.
    static func summary(_ segments: [TranscriptSegment]) -> String {
        let all = sentences(segments)
        guard !all.isEmpty else { return "No speech was transcribed." }
        var frequency: [String: Int] = [:]
        for sentence in all {
            for word in Set(words(sentence.text)) where !HeuristicLexicon.stopWords.contains(word) && word.count > 2 {
                frequency[word, default: 0] += 1
            }
        }
        let scored = all.enumerated().map { index, sentence -> (Int, Double) in
            let content = words(sentence.text).filter { frequency[$0] != nil }
            var score =
                content.reduce(0.0) { $0 + Double(frequency[$1] ?? 0) } / Double(max(3, words(sentence.text).count))
            if sentence.speaker == "customer"
                && HeuristicLexicon.issueCues.contains(where: sentence.text.lowercased().contains)
            {
                score += 1  // The customer's statement of the problem belongs in any summary.
            }
            return (index, score)
        }
        let chosen = scored.sorted { $0.1 > $1.1 }.prefix(3).map(\.0).sorted()
        return chosen.map { "\(all[$0].speaker.capitalized): \(all[$0].text)" }.joined(separator: " ")
    }

    static func keyPoints(_ segments: [TranscriptSegment]) -> [String] {
        let cues = HeuristicLexicon.issueCues + HeuristicLexicon.resolutionCues + HeuristicLexicon.commitments
        var points: [String] = []
        for sentence in sentences(segments) where cues.contains(where: sentence.text.lowercased().contains) {
            let point = "\(sentence.speaker.capitalized): \(sentence.text)"
            if !points.contains(point) { points.append(point) }
        }
        return Array(points.prefix(5))
    }

    static func actionItems(_ segments: [TranscriptSegment]) -> [ActionItem] {
        sentences(segments).compactMap { sentence in
            let lower = sentence.text.lowercased()
            let due = HeuristicLexicon.dueCues.first { lower.contains($0) }
            if HeuristicLexicon.commitments.contains(where: lower.contains) {
                return ActionItem(
                    text: sentence.text, owner: sentence.speaker == "unknown" ? "agent" : sentence.speaker, due: due)
            }
            if HeuristicLexicon.requests.contains(where: lower.contains) {
                let other = sentence.speaker == "agent" ? "customer" : "agent"
                return ActionItem(text: sentence.text, owner: other, due: due)
            }
            return nil
        }
    }

    static func issues(_ segments: [TranscriptSegment]) -> [String] {
        let customer = sentences(segments).filter { $0.speaker != "agent" }
        return customer.filter { HeuristicLexicon.issueCues.contains(where: $0.text.lowercased().contains) }
            .map(\.text).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    }

    static func outcome(_ segments: [TranscriptSegment]) -> CallOutcome {
        let all = segments.map { $0.text.lowercased() }.joined(separator: " ")
        let closing = segments.suffix(4).map { $0.text.lowercased() }.joined(separator: " ")
        if segments.isEmpty { return .dropped }
        if HeuristicLexicon.voicemailCues.contains(where: all.contains) { return .voicemail }
        if HeuristicLexicon.escalationCues.contains(where: all.contains) { return .escalated }
        if HeuristicLexicon.callbackCues.contains(where: all.contains) { return .callback }
        if HeuristicLexicon.resolutionCues.contains(where: all.contains),
            HeuristicLexicon.gratitudeCues.contains(where: closing.contains)
        {
            return .resolved
        }
        if let last = segments.last?.text.trimmingCharacters(in: .whitespaces),
            last.hasSuffix("?") || last.hasSuffix("-")
        {
            return .dropped  // The call ends on an open question or mid-word.
        }
        return .unresolved
    }

    static func topics(_ segments: [TranscriptSegment]) -> [String] {
        let text = " " + segments.map { $0.text.lowercased() }.joined(separator: " ") + " "
        return HeuristicLexicon.topics
            .map { topic, cues in (topic, cues.reduce(0) { $0 + text.components(separatedBy: $1).count - 1 }) }
            .filter { $0.1 > 0 }
            .sorted { $0.1 > $1.1 }
            .prefix(4).map(\.0)
    }

    static func hints(context: CallContext, sentiment: CallSentiment) -> [String] {
        var hints: [String] = []
        if sentiment.label == .negative {
            hints.append("Customer sentiment is negative: acknowledge the problem and state the next step.")
        }
        if let agent = context.talkShares["agent"], agent > 0.7 {
            hints.append("The agent talks \(Int((agent * 100).rounded()))% of the time: ask open questions and listen.")
        }
        if context.longestSilenceS >= 8 {
            hints.append(
                "Dead air of \(Int(context.longestSilenceS)) s: tell the customer what is happening during holds.")
        }
        if let last = sentiment.quarters.last ?? nil, let first = sentiment.quarters.first ?? nil, last < first - 0.3 {
            hints.append("Sentiment fell during the call: check the customer is satisfied before closing.")
        }
        return hints
    }
}
