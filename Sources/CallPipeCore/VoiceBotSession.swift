package import Foundation

/// One voice-bot conversation (an ElevenLabs Conversational AI session) as the voice-bot KPIs
/// read it (docs/connectors.md): vendor-neutral, so any bot platform's connector can fill it.
package struct VoiceBotSession: Sendable, Equatable, Codable {
    /// The bot's verdict on a conversation or on one evaluation criterion.
    package enum Outcome: String, Sendable, Codable { case success, failure, unknown }

    package var id: String
    package var startedAt: Date
    package var durationS: Double
    /// `inbound` or `outbound`.
    package var direction: String
    package var outcome: Outcome
    /// The platform failed (an error, or the conversation's status `failed`).
    package var technicalError: Bool
    /// Handed to a person (a transfer tool ended the conversation).
    package var transferredToHuman: Bool
    /// The caller left before the bot finished (a client or remote hang-up) without a success.
    package var droppedOut: Bool
    /// Turns the bot spoke.
    package var botMessages: Int
    /// What the conversation cost, in the platform's unit (ElevenLabs: credits).
    package var cost: Double?
    /// The caller's rating, 1–5.
    package var rating: Double?
    /// Evaluation criteria by id.
    package var criteria: [String: Outcome]

    package init(
        id: String, startedAt: Date, durationS: Double, direction: String, outcome: Outcome,
        technicalError: Bool = false, transferredToHuman: Bool = false, droppedOut: Bool = false, botMessages: Int,
        cost: Double? = nil, rating: Double? = nil, criteria: [String: Outcome] = [:]
    ) {
        self.id = id
        self.startedAt = startedAt
        self.durationS = durationS
        self.direction = direction
        self.outcome = outcome
        self.technicalError = technicalError
        self.transferredToHuman = transferredToHuman
        self.droppedOut = droppedOut
        self.botMessages = botMessages
        self.cost = cost
        self.rating = rating
        self.criteria = criteria
    }
}
