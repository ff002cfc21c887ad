package import AIClients

/// What one stage's AI requests used, by which provider, and what that cost.
package struct StageUsage: Sendable, Equatable {
    /// `openai:whisper-1`, `openai:gpt-4o-mini`, `local:tiny.en`, `heuristic`, ...
    package var provider: String
    package var usage: AIUsage
    package var costUSD: Double

    package init(provider: String, usage: AIUsage, pricing: AIPricing = .init()) {
        self.provider = provider
        self.usage = usage
        costUSD = pricing.cost(of: usage, provider: provider)
    }
}
