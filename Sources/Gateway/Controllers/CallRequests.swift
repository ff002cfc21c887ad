import Foundation

/// `POST /api/calls/start` (docs/ARCHITECTURE.md §4).
struct StartCallRequest: Decodable {
    var agentID: String?
    var customerID: String?
    var direction: String?
    var sessionID: String?
    var channelMap: [String]?
    var metadata: [String: String]?

    enum CodingKeys: String, CodingKey {
        case agentID = "agent_id"
        case customerID = "customer_id"
        case direction
        case sessionID = "session_id"
        case channelMap = "channel_map"
        case metadata
    }

    /// Checks the values a type cannot: lengths, the direction and the channel map's speakers.
    func validated() throws -> StartCallRequest {
        for (name, value) in [("agent_id", agentID), ("customer_id", customerID), ("session_id", sessionID)] {
            // Code points, as the OpenAPI document's lengths count them.
            if let value, value.isEmpty || value.unicodeScalars.count > 200 {
                throw APIError.badRequest("invalid_field", "\(name) must be 1 to 200 characters")
            }
        }
        if let direction, !["inbound", "outbound"].contains(direction) {
            throw APIError.badRequest("invalid_field", "direction must be inbound or outbound")
        }
        if let channelMap,
            channelMap.isEmpty || channelMap.count > 2
                || !channelMap.allSatisfy({ ["agent", "customer", "unknown"].contains($0) })
        {
            throw APIError.badRequest(
                "invalid_field", "channel_map lists agent, customer or unknown for each of 1 or 2 channels")
        }
        if let metadata,
            metadata.count > 50
                || metadata.contains(where: {
                    $0.key.unicodeScalars.count > 100 || $0.value.unicodeScalars.count > 1_000
                })
        {
            throw APIError.badRequest("invalid_field", "metadata holds at most 50 string values")
        }
        return self
    }
}
