/// Turns one or more chat-model answers (parts of a long call) into one `CallAnalysisResult`.
enum CallAnalysisMerger {
    static func merge(
        _ parts: [(offset: Int, answer: CallAnalysisSchema.Answer)], transcript: Transcript, context: CallContext,
        analyzer: String, usage: AIUsage
    ) -> CallAnalysisResult {
        var turns = transcript.segments.map { _ in TurnAnalysis(speaker: nil, sentiment: 0) }
        for part in parts {
            for turn in part.answer.turns where (0..<turns.count).contains(turn.index) {
                let speaker = ["agent", "customer"].contains(turn.speaker) ? turn.speaker : nil
                turns[turn.index] = TurnAnalysis(speaker: speaker, sentiment: max(-1, min(1, turn.sentiment)))
            }
        }
        let sentiment: CallSentiment
        if parts.count == 1, let answer = parts.first?.answer {
            let quarters = (answer.quarter_sentiment + Array(repeating: nil, count: 4)).prefix(4)
            sentiment = CallSentiment(
                overall: max(-1, min(1, answer.overall_sentiment)), label: answer.sentiment_label,
                quarters: quarters.map { $0.map { max(-1, min(1, $0)) } })
        } else {
            // Parts see only part of the call: recompute from the per-turn sentiment.
            let tagged = Transcript(
                language: transcript.language,
                segments: zip(transcript.segments, turns).map { segment, turn in
                    var segment = segment
                    if segment.speaker == "unknown", let speaker = turn.speaker { segment.speaker = speaker }
                    return segment
                })
            sentiment = HeuristicCallAnalyzer.callSentiment(
                tagged.segments, turns.map(\.sentiment), duration: context.durationS)
        }
        let answers = parts.map(\.answer)
        let insights = CallInsights(
            sentiment: sentiment,
            summary: answers.map(\.summary).joined(separator: " "),
            keyPoints: unique(answers.flatMap(\.key_points)),
            actionItems: answers.flatMap(\.action_items).map {
                ActionItem(text: $0.text, owner: $0.owner, due: $0.due)
            },
            issues: unique(answers.flatMap(\.issues)),
            outcome: answers.last?.outcome ?? .unresolved,
            topics: unique(answers.flatMap(\.topics)),
            hints: Array(unique(answers.flatMap(\.hints)).prefix(3)),
            analyzer: analyzer)
        return CallAnalysisResult(insights: insights, turns: turns, usage: usage)
    }

    private static func unique(_ values: [String]) -> [String] {
        values.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    }
}
