package import CallPipeCore

/// Who is calling: the role and, for agents, the agent id their key belongs to.
package struct APIIdentity: Sendable, Equatable {
    package var keyID: String
    package var role: StoredAPIKey.Role
    package var agentID: String?

    /// Supervisors and admins read everything; an agent only their own calls.
    package func mayRead(_ call: StoredCall) -> Bool {
        role != .agent || call.agentID == agentID
    }

    /// Agents work on their own calls; admins on any (supervisors watch, they do not upload).
    package func mayWrite(_ call: StoredCall) -> Bool {
        role == .admin || (role == .agent && call.agentID == agentID)
    }
}
