package import CallPipeCore
package import Foundation
import GRDB

/// API keys on SQLite.
extension SQLiteCallStore {
    package func insertAPIKey(_ key: StoredAPIKey) async throws {
        try await write { db in try key.insert(db) }
    }

    package func apiKey(hash: String) async throws -> StoredAPIKey? {
        try await read { db in
            try StoredAPIKey.filter(Column("hash") == hash).filter(Column("revoked_at") == nil).fetchOne(db)
        }
    }

    package func apiKeys() async throws -> [StoredAPIKey] {
        try await read { db in try StoredAPIKey.order(Column("created_at"), Column("id")).fetchAll(db) }
    }

    package func revokeAPIKey(idPrefix: String, now: Date) async throws -> StoredAPIKey? {
        try await write { db in
            let pattern = idPrefix.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
            let matches = try StoredAPIKey.filter(sql: "id LIKE ?", arguments: [pattern]).limit(2).fetchAll(db)
            guard !idPrefix.isEmpty, matches.count == 1, var key = matches.first else {
                if matches.count > 1 {
                    throw CallPipeError(.conflict, "more than one key id starts with \(idPrefix); give more of it")
                }
                return nil
            }
            if key.revokedAt == nil {
                key.revokedAt = now
                try key.update(db)
            }
            return key
        }
    }

    package func revokeDevModeKeys(now: Date) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: "UPDATE api_keys SET revoked_at = ? WHERE dev_mode = 1 AND revoked_at IS NULL", arguments: [now])
            return db.changesCount
        }
    }

    /// v6: keys may expire, and dev-mode keys are marked so the next start revokes them (keys
    /// printed by earlier dev-mode starts, recognised by their label, are marked too).
    static func migrateV6(_ db: Database) throws {
        try db.alter(table: "api_keys") { table in
            table.add(column: "expires_at", .datetime)
            table.add(column: "dev_mode", .boolean).notNull().defaults(to: false)
        }
        try db.execute(sql: "UPDATE api_keys SET dev_mode = 1 WHERE label = 'dev mode, printed at start'")
    }
}
