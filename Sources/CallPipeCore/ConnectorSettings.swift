package import Foundation

/// A connector's settings as the store keeps them (docs/connectors.md): the API key only sealed
/// (`SecretBox`), never in the clear.
package struct ConnectorSettings: Sendable, Equatable {
    package var kind: ConnectorKind
    package var enabled: Bool
    /// The API key sealed by the server's `SecretBox` under `secretContext`.
    package var sealedAPIKey: String?
    /// The key as settings show it (`sk_…abcd`), kept beside the sealed key so listing settings
    /// opens nothing.
    package var apiKeyMask: String?
    /// Dialpad's department id or ElevenLabs' agent id.
    package var targetID: String?
    /// The vendor's API base URL; `nil` for the server's default (the vendor's, or the mock's in dev mode).
    package var baseURL: String?
    /// A cron expression in UTC (`CronSchedule`).
    package var schedule: String
    /// Set when the vendor refused the key: the connector is paused until the settings change.
    package var pausedReason: String?
    package var updatedAt: Date

    package init(
        kind: ConnectorKind, enabled: Bool = false, sealedAPIKey: String? = nil, apiKeyMask: String? = nil,
        targetID: String? = nil, baseURL: String? = nil, schedule: String = CronSchedule.dailySync.description,
        pausedReason: String? = nil, updatedAt: Date
    ) {
        self.kind = kind
        self.enabled = enabled
        self.sealedAPIKey = sealedAPIKey
        self.apiKeyMask = apiKeyMask
        self.targetID = targetID
        self.baseURL = baseURL
        self.schedule = schedule
        self.pausedReason = pausedReason
        self.updatedAt = updatedAt
    }

    /// What the key is sealed to, so a sealed key copied to another setting does not open.
    package var secretContext: String { "connector:\(kind.rawValue)" }

    /// A key and a target: a sync can run.
    package var isConfigured: Bool { sealedAPIKey != nil && !(targetID ?? "").isEmpty }
}
