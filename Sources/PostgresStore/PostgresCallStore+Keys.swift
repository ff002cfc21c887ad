package import CallPipeCore
package import Foundation
import PostgresNIO

/// API keys on PostgreSQL.
extension PostgresCallStore {
    package func insertAPIKey(_ key: StoredAPIKey) async throws {
        try await write { connection in
            try await connection.run(
                """
                INSERT INTO api_keys (id, hash, role, agent_id, label, created_at, revoked_at, expires_at, dev_mode)
                VALUES (\(key.id), \(key.hash), \(key.role.rawValue), \(key.agentID), \(key.label), \(key.createdAt),
                  \(key.revokedAt), \(key.expiresAt), \(key.devMode))
                """, logger: logger)
        }
    }

    package func apiKey(hash: String) async throws -> StoredAPIKey? {
        try await read { connection in
            try await connection.rows(
                "SELECT * FROM api_keys WHERE hash = \(hash) AND revoked_at IS NULL", logger: logger
            ).first.map(StoredAPIKey.init)
        }
    }

    package func apiKeys() async throws -> [StoredAPIKey] {
        try await read { connection in
            try await connection.rows("SELECT * FROM api_keys ORDER BY created_at, id", logger: logger)
                .map(StoredAPIKey.init)
        }
    }

    package func revokeAPIKey(idPrefix: String, now: Date) async throws -> StoredAPIKey? {
        guard !idPrefix.isEmpty else { return nil }
        return try await write { connection in
            // A prefix, not a pattern: `starts_with` gives `%` and `_` no meaning.
            let matches = try await connection.rows(
                "SELECT * FROM api_keys WHERE starts_with(id, \(idPrefix)) LIMIT 2 FOR UPDATE", logger: logger
            ).map(StoredAPIKey.init)
            guard matches.count == 1, var key = matches.first else {
                if matches.count > 1 {
                    throw CallPipeError(.conflict, "more than one key id starts with \(idPrefix); give more of it")
                }
                return nil
            }
            if key.revokedAt == nil {
                key.revokedAt = now
                try await connection.run("UPDATE api_keys SET revoked_at = \(now) WHERE id = \(key.id)", logger: logger)
            }
            return key
        }
    }

    package func revokeDevModeKeys(now: Date) async throws -> Int {
        try await write { connection in
            try await connection.run(
                "UPDATE api_keys SET revoked_at = \(now) WHERE dev_mode AND revoked_at IS NULL RETURNING 1",
                logger: logger)
        }
    }
}
