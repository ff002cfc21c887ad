import AIClients
import CRM
import CallPipeCore
import Foundation
import PostgresNIO

/// The store's records read from PostgreSQL rows, by column name (`SELECT *` or the same columns).
/// Lists and maps inside a record (`channel_map`, `metadata`) are JSON text, as on SQLite.
extension PostgresRandomAccessRow {
    func value<Value: PostgresDecodable>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
        try self[column].decode(Value.self)
    }

    func enumValue<Value: RawRepresentable>(_ column: String, as type: Value.Type = Value.self) throws -> Value
    where Value.RawValue == String {
        let raw = try value(column, as: String.self)
        guard let value = Value(rawValue: raw) else {
            throw CallPipeError(.invalid, "the database holds \(raw) in \(column), which this version does not know")
        }
        return value
    }

    func json<Value: Decodable>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
        try JSONDecoder().decode(Value.self, from: Data(try value(column, as: String.self).utf8))
    }
}

extension StoredCall {
    init(_ row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.value("id"), agentID: try row.value("agent_id"), customerID: try row.value("customer_id"),
            direction: try row.value("direction"), sessionID: try row.value("session_id"),
            channelMap: try row.value("channel_map", as: String?.self).map {
                try JSONDecoder().decode([String].self, from: Data($0.utf8))
            },
            metadata: try row.json("metadata"), status: try row.enumValue("status"),
            failureReason: try row.value("failure_reason"), createdAt: try row.value("created_at"),
            endedAt: try row.value("ended_at"), updatedAt: try row.value("updated_at"),
            isDemo: try row.value("is_demo"),
            source: try row.value("source")
        )
    }
}

extension StoredRecording {
    init(_ row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.value("id"), callID: try row.value("call_id"),
            sequence: Int(try row.value("sequence", as: Int64.self)),
            path: try row.value("path"), bytes: try row.value("bytes"), contentType: try row.value("content_type"),
            format: try row.value("format"), codec: try row.value("codec"),
            idempotencyKey: try row.value("idempotency_key"), createdAt: try row.value("created_at"))
    }
}

extension PipelineJob {
    init(_ row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.value("id"), callID: try row.value("call_id"), recordingID: try row.value("recording_id"),
            stage: try row.enumValue("stage"), state: try row.enumValue("state"), attempts: try row.value("attempts"),
            crashes: try row.value("crashes"), runAfter: try row.value("run_after"),
            leaseUntil: try row.value("lease_until"), lastError: try row.value("last_error"),
            createdAt: try row.value("created_at"), updatedAt: try row.value("updated_at"))
    }
}

extension StoredAPIKey {
    init(_ row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.value("id"), hash: try row.value("hash"), role: try row.enumValue("role"),
            agentID: try row.value("agent_id"), label: try row.value("label"), createdAt: try row.value("created_at"),
            revokedAt: try row.value("revoked_at"), expiresAt: try row.value("expires_at"),
            devMode: try row.value("dev_mode"))
    }
}

extension CRMDelivery {
    init(_ row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.value("id"), callID: try row.value("call_id"), target: try row.value("target"),
            kind: try row.enumValue("kind"), state: try row.enumValue("state"), attempts: try row.value("attempts"),
            runAfter: try row.value("run_after"), idempotencyKey: try row.value("idempotency_key"),
            createdAt: try row.value("created_at"))
        crashes = try row.value("crashes")
        leaseUntil = try row.value("lease_until")
        lastError = try row.value("last_error")
        lastStatus = try row.value("last_status")
        remoteID = try row.value("remote_id")
        updatedAt = try row.value("updated_at")
        deliveredAt = try row.value("delivered_at")
    }
}

extension CRMPausedTarget {
    init(_ row: PostgresRandomAccessRow) throws {
        self.init(
            target: try row.value("target"), reason: try row.value("reason"), pausedAt: try row.value("paused_at"))
    }
}

extension TranscriptSegment {
    init(_ row: PostgresRandomAccessRow) throws {
        // Words are an optional extra: a row whose words do not decode still gives its line.
        let words = try row.value("words_json", as: String?.self).flatMap {
            try? JSONDecoder().decode([TranscriptWord].self, from: Data($0.utf8))
        }
        self.init(
            speaker: try row.value("speaker"), startS: try row.value("start_s"), endS: try row.value("end_s"),
            text: try row.value("text"), confidence: try row.value("confidence"), sentiment: try row.value("sentiment"),
            words: words)
    }
}

extension CallRowMetrics {
    init(_ row: PostgresRandomAccessRow) throws {
        self.init(
            durationS: try row.value("duration_s"), agentTalkS: try row.value("agent_talk_s"),
            customerTalkS: try row.value("customer_talk_s"), silenceS: try row.value("silence_s"),
            interruptions: try row.value("interruptions"), sentiment: try row.value("sentiment"),
            sentimentLabel: try row.value("sentiment_label"), outcome: try row.value("outcome"),
            agentWords: try row.value("agent_words"), customerWords: try row.value("customer_words"),
            agentTalkSpeedWPM: try row.value("agent_talk_speed_wpm"),
            customerTalkSpeedWPM: try row.value("customer_talk_speed_wpm"),
            agentQuestions: try row.value("agent_questions"), customerQuestions: try row.value("customer_questions"),
            customerQuestionShare: try row.value("customer_question_share"))
    }
}

/// JSON text of a value, for the text and `jsonb` columns.
func jsonText(_ value: some Encodable) throws -> String {
    String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
}
