import CallPipeCore
import Foundation

/// The keys a dev-mode `serve` prints: a supervisor's (the dashboard), an agent's (the dashboard's
/// uploads) and an admin's (the mounted mock CRM). Marked dev-mode, so the next start revokes them.
struct DevModeKeys: Sendable {
    var supervisor: String
    var agent: String
    var admin: String

    static func issue(in store: any APIKeyStore) async throws -> DevModeKeys {
        func make(_ role: StoredAPIKey.Role, agent: String? = nil) async throws -> String {
            let (key, record) = APIKeys.make(
                role: role, agentID: agent, label: "dev mode, printed at start", devMode: true)
            try await store.insertAPIKey(record)
            return key
        }
        return DevModeKeys(
            supervisor: try await make(.supervisor), agent: try await make(.agent, agent: "dev-agent"),
            admin: try await make(.admin))
    }
}
