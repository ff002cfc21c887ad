package import Foundation

/// The API keys: what authentication and `callpipe keys` need, and nothing else of the store.
package protocol APIKeyStore: Sendable {
    func insertAPIKey(_ key: StoredAPIKey) async throws
    /// The key with this hash, unless it was revoked (an expired key is returned: the caller says
    /// why it is refused).
    func apiKey(hash: String) async throws -> StoredAPIKey?
    /// Every key, revoked and expired ones included, oldest first.
    func apiKeys() async throws -> [StoredAPIKey]
    /// Revokes the key with this id (or unique id prefix); `nil` when none matches, the key when
    /// it was revoked now or before.
    func revokeAPIKey(idPrefix: String, now: Date) async throws -> StoredAPIKey?
    /// Revokes every key an earlier dev-mode start printed; returns how many.
    func revokeDevModeKeys(now: Date) async throws -> Int
}
