import Crypto
package import Foundation

/// API keys: random, shown once, stored only as a SHA-256 hash.
package enum APIKeys {
    /// A new key for `role`: `cp_<role>_<40 random base62 characters>`, and its stored record.
    package static func make(
        role: StoredAPIKey.Role, agentID: String?, label: String?, now: Date = Date(), expiresAt: Date? = nil,
        devMode: Bool = false
    ) -> (key: String, record: StoredAPIKey) {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        let secret = String((0..<40).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
        let key = "cp_\(role.rawValue)_\(secret)"
        return (
            key,
            StoredAPIKey(
                id: UUID().uuidString.lowercased(), hash: hash(key), role: role, agentID: agentID, label: label,
                createdAt: now, expiresAt: expiresAt, devMode: devMode)
        )
    }

    /// The stored form of a key.
    package static func hash(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
