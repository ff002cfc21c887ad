import Foundation

/// Insights without a language model: lexicon sentiment with negation, an extractive summary,
/// action items and issues from cue phrases, an outcome from closing cues and keyword topics.
///
/// It is the offline default's analyzer and says so: every result carries
/// `"analyzer": "heuristic"`, so nobody mistakes it for GPT output. Deterministic.
package struct HeuristicCallAnalyzer: CallAnalyzer {
    package init() {}

    package var name: String { "heuristic" }

    package func analyze(_ transcript: Transcript, context: CallContext) async throws -> CallAnalysisResult {
        let speakers = Self.attributeSpeakers(transcript.segments)
        let sentiments = transcript.segments.map { Self.sentiment(of: $0.text) }
        var tagged = transcript
        for index in tagged.segments.indices { tagged.segments[index].speaker = speakers[index] }
        let sentiment = Self.callSentiment(tagged.segments, sentiments, duration: context.durationS)
        let insights = CallInsights(
            sentiment: sentiment,
            summary: Self.summary(tagged.segments),
            keyPoints: Self.keyPoints(tagged.segments),
            actionItems: Self.actionItems(tagged.segments),
            issues: Self.issues(tagged.segments),
            outcome: Self.outcome(tagged.segments),
            topics: Self.topics(tagged.segments),
            hints: Self.hints(context: context, sentiment: sentiment),
            analyzer: name)
        let turns = zip(transcript.segments, zip(speakers, sentiments)).map { original, values in
            TurnAnalysis(speaker: original.speaker == "unknown" ? values.0 : nil, sentiment: values.1)
        }
        return CallAnalysisResult(insights: insights, turns: turns, usage: AIUsage())
    }

    /// −1…1 from lexicon hits; a negator within the two preceding words flips a hit.
    static func sentiment(of text: String) -> Double {
        let words = Self.words(text)
        guard !words.isEmpty else { return 0 }
        var score = 0.0
        for (index, word) in words.enumerated() {
            let value: Double =
                HeuristicLexicon.positive.contains(word) ? 1 : HeuristicLexicon.negative.contains(word) ? -1 : 0
            guard value != 0 else { continue }
            let negated = words[max(0, index - 2)..<index].contains { HeuristicLexicon.negators.contains($0) }
            score += negated ? -value : value
        }
        return (max(-1, min(1, score / sqrt(Double(words.count)))) * 100).rounded() / 100
    }

    /// Speakers for `unknown` segments of a mono call: the one who greets on behalf of the company
    /// is the agent, the one who talks about "my bill" or "I need" the customer; otherwise speakers
    /// alternate from one segment to the next.
    static func attributeSpeakers(_ segments: [TranscriptSegment]) -> [String] {
        var result: [String] = []
        var previous: String?
        for segment in segments {
            guard segment.speaker == "unknown" else {
                result.append(segment.speaker)
                previous = segment.speaker
                continue
            }
            let lower = segment.text.lowercased()
            let speaker: String
            if HeuristicLexicon.greetingCues.contains(where: lower.contains) {
                speaker = "agent"
            } else if HeuristicLexicon.callerCues.contains(where: lower.contains) {
                speaker = "customer"
            } else if let previous {
                speaker = previous == "agent" ? "customer" : "agent"
            } else {
                speaker = "agent"
            }
            result.append(speaker)
            previous = speaker
        }
        return result
    }

    static func callSentiment(_ segments: [TranscriptSegment], _ scores: [Double], duration: Double) -> CallSentiment {
        let customer = zip(segments, scores).filter { $0.0.speaker == "customer" }
        let judged = customer.isEmpty ? Array(zip(segments, scores)) : customer
        let weights = judged.map { Double(max(1, words($0.0.text).count)) }
        let total = weights.reduce(0, +)
        let overall = total > 0 ? zip(judged, weights).reduce(0) { $0 + $1.0.1 * $1.1 } / total : 0
        let length = max(duration, segments.last?.endS ?? 0, 0.001)
        let quarters: [Double?] = (0..<4).map { quarter in
            let range = (Double(quarter) * length / 4)..<(Double(quarter + 1) * length / 4)
            let inQuarter = judged.filter { range.contains(($0.0.startS + $0.0.endS) / 2) }.map(\.1)
            guard !inQuarter.isEmpty else { return nil }
            return (inQuarter.reduce(0, +) / Double(inQuarter.count) * 100).rounded() / 100
        }
        let rounded = (overall * 100).rounded() / 100
        return CallSentiment(overall: rounded, label: SentimentLabel(score: rounded), quarters: quarters)
    }

    static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "'" || $0 == "-") }.map(String.init)
    }
}
