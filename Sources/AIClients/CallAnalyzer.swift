/// Turns a transcript into insights: speakers for untagged turns, sentiment per turn and per call,
/// summary, key points, action items, issues, outcome, topics and hints.
package protocol CallAnalyzer: Sendable {
    /// `openai:<model>` or `heuristic`.
    var name: String { get }

    func analyze(_ transcript: Transcript, context: CallContext) async throws -> CallAnalysisResult
}

/// What the analyzer may know about the call besides its words.
package struct CallContext: Sendable, Equatable {
    package var durationS: Double
    /// Fraction of talk time per speaker (`agent`, `customer`), when known.
    package var talkShares: [String: Double]
    /// The longest stretch nobody spoke, in seconds.
    package var longestSilenceS: Double

    package init(durationS: Double, talkShares: [String: Double] = [:], longestSilenceS: Double = 0) {
        self.durationS = durationS
        self.talkShares = talkShares
        self.longestSilenceS = longestSilenceS
    }
}

/// The analyzer's answer: insights plus what it says about each transcript segment.
package struct CallAnalysisResult: Sendable, Equatable {
    package var insights: CallInsights
    /// One entry per transcript segment, same order.
    package var turns: [TurnAnalysis]
    package var usage: AIUsage

    package init(insights: CallInsights, turns: [TurnAnalysis], usage: AIUsage) {
        self.insights = insights
        self.turns = turns
        self.usage = usage
    }

    /// The transcript with speakers filled in where it had `unknown` ones, and sentiment per segment.
    package func applied(to transcript: Transcript) -> Transcript {
        var result = transcript
        for (index, turn) in turns.enumerated() where index < result.segments.count {
            if result.segments[index].speaker == "unknown", let speaker = turn.speaker {
                result.segments[index].speaker = speaker
            }
            result.segments[index].sentiment = turn.sentiment
        }
        return result
    }
}

/// What the analyzer says about one segment.
package struct TurnAnalysis: Sendable, Equatable {
    /// `agent` or `customer` for a segment that was `unknown`; `nil` to leave it.
    package var speaker: String?
    package var sentiment: Double

    package init(speaker: String?, sentiment: Double) {
        self.speaker = speaker
        self.sentiment = sentiment
    }
}
