package import CallPipeCore
package import Foundation

/// A connector as the API and the dashboard show it (docs/connectors.md, "HTTP API"): the key
/// only masked.
package struct ConnectorStatus: Sendable, Encodable {
    package var kind: ConnectorKind
    package var enabled: Bool
    package var apiKey: String?
    package var targetID: String?
    package var baseURL: String
    package var schedule: String
    package var pausedReason: String?
    package var lastRun: SyncRun?
    package var nextRunAt: Date?

    enum CodingKeys: String, CodingKey {
        case kind, enabled
        case apiKey = "api_key"
        case targetID = "target_id"
        case baseURL = "base_url"
        case schedule
        case pausedReason = "paused_reason"
        case lastRun = "last_run"
        case nextRunAt = "next_run_at"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(apiKey, forKey: .apiKey)
        try container.encode(targetID, forKey: .targetID)
        try container.encode(baseURL, forKey: .baseURL)
        try container.encode(schedule, forKey: .schedule)
        try container.encode(pausedReason, forKey: .pausedReason)
        try container.encode(lastRun, forKey: .lastRun)
        try container.encode(nextRunAt, forKey: .nextRunAt)
    }
}

/// A change to a connector's settings (`PUT /api/connectors/{kind}`): a field left out keeps
/// its value; an empty `apiKey` removes the key.
package struct ConnectorUpdate: Sendable, Decodable {
    package var apiKey: String?
    package var targetID: String?
    package var baseURL: String?
    package var schedule: String?
    package var enabled: Bool?

    enum CodingKeys: String, CodingKey {
        case apiKey = "api_key"
        case targetID = "target_id"
        case baseURL = "base_url"
        case schedule, enabled
    }

    package init(
        apiKey: String? = nil, targetID: String? = nil, baseURL: String? = nil, schedule: String? = nil,
        enabled: Bool? = nil
    ) {
        self.apiKey = apiKey
        self.targetID = targetID
        self.baseURL = baseURL
        self.schedule = schedule
        self.enabled = enabled
    }
}
