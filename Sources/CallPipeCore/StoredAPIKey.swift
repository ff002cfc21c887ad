package import Foundation

/// An API key as stored: only its SHA-256 hash, the role and scope it grants, and its life
/// (created, optionally expiring, revoked).
package struct StoredAPIKey: Sendable, Codable, Equatable {
    package enum Role: String, Sendable, Codable, CaseIterable {
        case agent, supervisor, admin
    }

    package var id: String
    package var hash: String
    package var role: Role
    /// For agent keys: the agent whose calls the key may touch.
    package var agentID: String?
    package var label: String?
    package var createdAt: Date
    package var revokedAt: Date?
    /// After this the key is refused (`keys create --expires-in DAYS`); `nil` never expires.
    package var expiresAt: Date?
    /// Issued by `serve` in dev mode: revoked at the next start, so a printed key lives one run.
    package var devMode: Bool

    enum CodingKeys: String, CodingKey {
        case id, hash, role
        case agentID = "agent_id"
        case label
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
        case expiresAt = "expires_at"
        case devMode = "dev_mode"
    }

    package init(
        id: String, hash: String, role: Role, agentID: String?, label: String? = nil, createdAt: Date,
        revokedAt: Date? = nil, expiresAt: Date? = nil, devMode: Bool = false
    ) {
        self.id = id
        self.hash = hash
        self.role = role
        self.agentID = agentID
        self.label = label
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.expiresAt = expiresAt
        self.devMode = devMode
    }

    /// Whether the key may be used at `now`: not revoked and not expired.
    package func isUsable(at now: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { now < $0 } ?? true)
    }
}
