import Foundation

/// The JSON schema the chat model must answer with (`response_format: json_schema`, strict).
/// Strict mode wants every property listed in `required` and no additional properties; optional
/// values are expressed as a `null` type.
enum CallAnalysisSchema {
    static let name = "call_analysis"

    static let instructions = """
        You analyse customer support phone calls. The user message is a transcript: one numbered \
        line per segment, "[index] speaker (start–end s): text". Speakers are agent, customer or \
        unknown. Answer with JSON matching the schema:
        - turns: one entry per transcript line, same index; speaker: for unknown lines decide agent \
        or customer from context, otherwise repeat the given speaker; sentiment from -1 (very \
        negative) to 1 (very positive) with its label.
        - overall_sentiment and sentiment_label: the customer's sentiment over the call; \
        quarter_sentiment: the customer's sentiment in each quarter of the call (null if they did \
        not speak in it).
        - summary: 2-4 sentences a supervisor can read in ten seconds.
        - key_points, issues (the customer's problems), topics (1-3 words each).
        - action_items: commitments and requests, owner agent, customer or company, due as said \
        on the call or null.
        - outcome: resolved, escalated, callback, unresolved, voicemail or dropped.
        - hints: up to 3 short coaching hints for the agent.
        Only use what the transcript says. Do not invent names, numbers or promises.
        """

    static var schema: [String: Any] {
        let label: [String: Any] = ["type": "string", "enum": SentimentLabel.allCases.map(\.rawValue)]
        let strings: [String: Any] = ["type": "array", "items": ["type": "string"]]
        return object([
            "turns": [
                "type": "array",
                "items": object([
                    "index": ["type": "integer"],
                    "speaker": ["type": "string", "enum": ["agent", "customer", "unknown"]],
                    "sentiment": ["type": "number"],
                    "sentiment_label": label,
                ]),
            ],
            "overall_sentiment": ["type": "number"],
            "sentiment_label": label,
            "quarter_sentiment": ["type": "array", "items": ["type": ["number", "null"]]],
            "summary": ["type": "string"],
            "key_points": strings,
            "action_items": [
                "type": "array",
                "items": object([
                    "text": ["type": "string"],
                    "owner": ["type": "string", "enum": ["agent", "customer", "company"]],
                    "due": ["type": ["string", "null"]],
                ]),
            ],
            "issues": strings,
            "outcome": ["type": "string", "enum": CallOutcome.allCases.map(\.rawValue)],
            "topics": strings,
            "hints": strings,
        ])
    }

    private static func object(_ properties: [String: Any]) -> [String: Any] {
        [
            "type": "object", "properties": properties, "required": properties.keys.sorted(),
            "additionalProperties": false,
        ]
    }

    /// The answer's shape, for decoding.
    struct Answer: Decodable {
        struct Turn: Decodable {
            var index: Int
            var speaker: String
            var sentiment: Double
        }

        struct Action: Decodable {
            var text: String
            var owner: String
            var due: String?
        }

        var turns: [Turn]
        var overall_sentiment: Double
        var sentiment_label: SentimentLabel
        var quarter_sentiment: [Double?]
        var summary: String
        var key_points: [String]
        var action_items: [Action]
        var issues: [String]
        var outcome: CallOutcome
        var topics: [String]
        var hints: [String]
    }
}
