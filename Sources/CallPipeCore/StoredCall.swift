package import Foundation

/// A call as the store keeps it: who, when, and where it is in its life
/// (`active` → `ended` → `processing` → `done` | `failed`, docs/ARCHITECTURE.md §4).
package struct StoredCall: Sendable, Codable, Equatable {
    package enum Status: String, Sendable, Codable, CaseIterable {
        case active, ended, processing, done, failed
    }

    package var id: String
    package var agentID: String
    package var customerID: String?
    /// `inbound` or `outbound`.
    package var direction: String
    /// The caller's own session id, if they sent one.
    package var sessionID: String?
    /// Speaker per channel, e.g. `["agent", "customer"]`.
    package var channelMap: [String]?
    /// Free-form metadata (CRM record ids, queue names).
    package var metadata: [String: String]
    package var status: Status
    /// Why the call failed, when it did.
    package var failureReason: String?
    package var createdAt: Date
    package var endedAt: Date?
    package var updatedAt: Date
    /// Seeded demo data, never mixed up with real calls.
    package var isDemo: Bool
    /// Where the call came from: `callpipe` (its own API or live streams) or the connector that
    /// imported it (`dialpad`, `elevenlabs`).
    package var source: String

    enum CodingKeys: String, CodingKey {
        case id
        case agentID = "agent_id"
        case customerID = "customer_id"
        case direction
        case sessionID = "session_id"
        case channelMap = "channel_map"
        case metadata, status
        case failureReason = "failure_reason"
        case createdAt = "created_at"
        case endedAt = "ended_at"
        case updatedAt = "updated_at"
        case isDemo = "is_demo"
        case source
    }

    package init(
        id: String, agentID: String, customerID: String? = nil, direction: String = "inbound", sessionID: String? = nil,
        channelMap: [String]? = nil, metadata: [String: String] = [:], status: Status = .active,
        failureReason: String? = nil, createdAt: Date, endedAt: Date? = nil, updatedAt: Date? = nil,
        isDemo: Bool = false, source: String = ConnectorKind.ownSource
    ) {
        self.id = id
        self.agentID = agentID
        self.customerID = customerID
        self.direction = direction
        self.sessionID = sessionID
        self.channelMap = channelMap
        self.metadata = metadata
        self.status = status
        self.failureReason = failureReason
        self.createdAt = createdAt
        self.endedAt = endedAt
        self.updatedAt = updatedAt ?? createdAt
        self.isDemo = isDemo
        self.source = source
    }
}

/// An uploaded or recorded audio file of a call, already on disk and fsynced.
package struct StoredRecording: Sendable, Codable, Equatable {
    package var id: String
    package var callID: String
    /// 1, 2, ... in upload order: recordings of a call are processed in this order.
    package var sequence: Int
    package var path: String
    package var bytes: Int64
    package var contentType: String
    /// What FFmpeg found when the upload was sniffed (`mp3`, `wav`, ...).
    package var format: String
    package var codec: String
    package var idempotencyKey: String?
    package var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case callID = "call_id"
        case sequence, path, bytes
        case contentType = "content_type"
        case format, codec
        case idempotencyKey = "idempotency_key"
        case createdAt = "created_at"
    }

    package init(
        id: String, callID: String, sequence: Int = 0, path: String, bytes: Int64, contentType: String, format: String,
        codec: String, idempotencyKey: String? = nil, createdAt: Date
    ) {
        self.id = id
        self.callID = callID
        self.sequence = sequence
        self.path = path
        self.bytes = bytes
        self.contentType = contentType
        self.format = format
        self.codec = codec
        self.idempotencyKey = idempotencyKey
        self.createdAt = createdAt
    }
}
