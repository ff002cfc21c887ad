/// What the analyzer concluded about a call (docs/ARCHITECTURE.md §3 `CallReport.insights`). Field names are
/// a contract; `analyzer` says who produced them (`openai:<model>` or `heuristic`).
package struct CallInsights: Sendable, Codable, Equatable {
    package var sentiment: CallSentiment
    package var summary: String
    package var keyPoints: [String]
    package var actionItems: [ActionItem]
    package var issues: [String]
    package var outcome: CallOutcome
    package var topics: [String]
    /// Short coaching hints a supervisor would want to see (also used live).
    package var hints: [String]
    package var analyzer: String

    package init(
        sentiment: CallSentiment, summary: String, keyPoints: [String], actionItems: [ActionItem], issues: [String],
        outcome: CallOutcome, topics: [String], hints: [String], analyzer: String
    ) {
        self.sentiment = sentiment
        self.summary = summary
        self.keyPoints = keyPoints
        self.actionItems = actionItems
        self.issues = issues
        self.outcome = outcome
        self.topics = topics
        self.hints = hints
        self.analyzer = analyzer
    }

    enum CodingKeys: String, CodingKey {
        case sentiment, summary
        case keyPoints = "key_points"
        case actionItems = "action_items"
        case issues, outcome, topics, hints, analyzer
    }
}

/// How the call felt: overall and per quarter of the call, −1 (very negative) … 1 (very positive).
package struct CallSentiment: Sendable, Codable, Equatable {
    package var overall: Double
    package var label: SentimentLabel
    /// Customer sentiment in each quarter of the call; `null` for a quarter without customer speech.
    package var quarters: [Double?]

    /// Scores outside −1…1 (a model's answer is outside input) are clamped; non-finite ones are 0.
    package init(overall: Double, label: SentimentLabel, quarters: [Double?]) {
        self.overall = Self.clamped(overall)
        self.label = label
        self.quarters = quarters.map { $0.map(Self.clamped) }
    }

    package static func clamped(_ score: Double) -> Double {
        score.isFinite ? min(1, max(-1, score)) : 0
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(overall, forKey: .overall)
        try container.encode(label, forKey: .label)
        var quartersContainer = container.nestedUnkeyedContainer(forKey: .quarters)
        for quarter in quarters { try quartersContainer.encode(quarter) }
    }

    enum CodingKeys: String, CodingKey { case overall, label, quarters }
}

package enum SentimentLabel: String, Sendable, Codable, CaseIterable {
    case negative, neutral, positive

    /// The label of a score: beyond ±0.2 is no longer neutral.
    package init(score: Double) {
        self = score > 0.2 ? .positive : score < -0.2 ? .negative : .neutral
    }
}

/// How the call ended.
package enum CallOutcome: String, Sendable, Codable, CaseIterable {
    case resolved, escalated, callback, unresolved, voicemail, dropped
}

/// Something someone promised or was asked to do.
package struct ActionItem: Sendable, Codable, Equatable {
    package var text: String
    /// `agent`, `customer`, or `company`.
    package var owner: String
    /// When, as said on the call ("tomorrow", "by Friday"), if said.
    package var due: String?

    package init(text: String, owner: String, due: String?) {
        self.text = text
        self.owner = owner
        self.due = due
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(text, forKey: .text)
        try container.encode(owner, forKey: .owner)
        try container.encode(due, forKey: .due)
    }

    enum CodingKeys: String, CodingKey { case text, owner, due }
}
