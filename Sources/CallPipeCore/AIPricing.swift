package import AIClients

/// List prices of the OpenAI models CallPipe uses (USD), for the AI cost per call on the
/// dashboard. Local and heuristic providers cost nothing; an unknown model is priced as the
/// closest known one (`whisper-1` for audio, `gpt-4o-mini` for text) so a cost is never silently 0.
package struct AIPricing: Sendable, Equatable {
    /// Per minute of audio.
    package var transcriptionPerMinute: [String: Double] = [
        "whisper-1": 0.006, "gpt-4o-transcribe": 0.006, "gpt-4o-mini-transcribe": 0.003,
        "gpt-4o-transcribe-diarize": 0.006,
    ]
    /// Per million input and output tokens.
    package var tokens: [String: (input: Double, output: Double)] = [
        "gpt-4o-mini": (0.15, 0.60), "gpt-4o": (2.50, 10.00), "gpt-4.1-mini": (0.40, 1.60), "gpt-4.1": (2.00, 8.00),
    ]

    package init() {}

    package static func == (lhs: AIPricing, rhs: AIPricing) -> Bool {
        lhs.transcriptionPerMinute == rhs.transcriptionPerMinute
            && lhs.tokens.mapValues { [$0.input, $0.output] } == rhs.tokens.mapValues { [$0.input, $0.output] }
    }

    package func cost(of usage: AIUsage, provider: String) -> Double {
        guard provider.hasPrefix("openai:") else { return 0 }
        let model = String(provider.dropFirst("openai:".count))
        let audio = usage.audioSeconds / 60 * (transcriptionPerMinute[model] ?? transcriptionPerMinute["whisper-1"]!)
        let price = tokens[model] ?? tokens["gpt-4o-mini"]!
        let text = (Double(usage.inputTokens) * price.input + Double(usage.outputTokens) * price.output) / 1_000_000
        return usage.audioSeconds > 0 ? audio + text : text
    }
}
