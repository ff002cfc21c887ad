package import AIClients
import Audio
package import CallPipeCore
import Foundation
import GRDB

/// Stage outputs (analyses, transcript segments, summary versions) and full-text search over them.
extension SQLiteCallStore {
    static func save(_ output: StageOutput, callID: String, db: Database, now: Date) throws {
        let encoder = JSONEncoder()
        switch output {
        case .none:
            return
        case .analysis(let recordingID, let analysis):
            try db.execute(
                sql: "INSERT OR REPLACE INTO analyses (recording_id, call_id, json) VALUES (?, ?, ?)",
                arguments: [recordingID, callID, String(decoding: try encoder.encode(analysis), as: UTF8.self)])
            try refreshAudioMetrics(callID: callID, db: db)
            // Talk speed needs the talk time too: new talk time, new speed (once there is a transcript).
            if try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM transcript_segments WHERE call_id = ?)", arguments: [callID])
                == true
            {
                try refreshConversationMetrics(callID: callID, db: db)
            }
        case .transcript(let recordingID, let transcript, let redaction):
            if let redaction { try saveRedaction(redaction, recordingID: recordingID, callID: callID, db: db) }
            try db.execute(sql: "DELETE FROM transcript_segments WHERE recording_id = ?", arguments: [recordingID])
            for (position, segment) in transcript.segments.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO transcript_segments
                          (call_id, recording_id, position, speaker, start_s, end_s, text, confidence, sentiment,
                           words_json)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        callID, recordingID, position, segment.speaker, segment.startS, segment.endS, segment.text,
                        segment.confidence, segment.sentiment,
                        try segment.words.map { String(decoding: try encoder.encode($0), as: UTF8.self) },
                    ])
            }
            try reindex(callID: callID, kind: "transcript", db: db) { db in
                try String.fetchAll(
                    db, sql: "SELECT text FROM transcript_segments WHERE call_id = ? ORDER BY start_s",
                    arguments: [callID])
            }
            try refreshConversationMetrics(callID: callID, db: db)
        case .summary(let insights, let isFinal):
            let last = try Int.fetchOne(
                db, sql: "SELECT MAX(version) FROM summaries WHERE call_id = ?", arguments: [callID])
            try db.execute(
                sql: "INSERT INTO summaries (call_id, version, is_final, json, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    callID, (last ?? 0) + 1, isFinal, String(decoding: try encoder.encode(insights), as: UTF8.self),
                    now,
                ])
            try saveSummaryMetrics(insights, callID: callID, db: db)
            try reindex(callID: callID, kind: "summary", db: db) { _ in
                [insights.summary] + insights.keyPoints + insights.issues + insights.topics
            }
        }
    }

    /// The redaction's record, and the redacted recording in the original's place (the same
    /// transaction as the redacted lines: never one without the other).
    private static func saveRedaction(
        _ redaction: RecordingRedaction, recordingID: String, callID: String, db: Database
    ) throws {
        try db.execute(
            sql:
                "INSERT OR REPLACE INTO redactions (recording_id, call_id, json, original_location) VALUES (?, ?, ?, ?)",
            arguments: [
                recordingID, callID, String(decoding: try JSONEncoder().encode(redaction), as: UTF8.self),
                redaction.replacement?.originalLocation,
            ])
        if let replacement = redaction.replacement {
            try db.execute(
                sql: "UPDATE recordings SET path = ?, bytes = ?, content_type = ?, format = ?, codec = ? WHERE id = ?",
                arguments: [
                    replacement.location, replacement.bytes, replacement.contentType, replacement.format,
                    replacement.codec, recordingID,
                ])
        }
    }

    package func redactedOriginals() async throws -> [(recordingID: String, location: String)] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT recording_id, original_location FROM redactions WHERE original_location IS NOT NULL"
            ).map { ($0["recording_id"], $0["original_location"]) }
        }
    }

    package func forgetRedactedOriginal(recordingID: String) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE redactions SET original_location = NULL WHERE recording_id = ?", arguments: [recordingID])
        }
    }

    private static func reindex(callID: String, kind: String, db: Database, texts: (Database) throws -> [String]) throws
    {
        // FTS5 cannot index call_id: call_search_rows finds the call's rows without a full scan.
        try db.execute(
            sql:
                "DELETE FROM call_search WHERE rowid IN (SELECT fts_rowid FROM call_search_rows WHERE call_id = ? AND kind = ?)",
            arguments: [callID, kind])
        try db.execute(sql: "DELETE FROM call_search_rows WHERE call_id = ? AND kind = ?", arguments: [callID, kind])
        for text in try texts(db) where !text.isEmpty {
            try db.execute(
                sql: "INSERT INTO call_search (call_id, kind, content) VALUES (?, ?, ?)",
                arguments: [callID, kind, text])
            try db.execute(
                sql: "INSERT INTO call_search_rows (fts_rowid, call_id, kind) VALUES (?, ?, ?)",
                arguments: [db.lastInsertedRowID, callID, kind])
        }
    }

    package func transcript(recordingID: String) async throws -> Transcript {
        try await read { db in
            Transcript(
                segments: try Row.fetchAll(
                    db, sql: "SELECT * FROM transcript_segments WHERE recording_id = ? ORDER BY position",
                    arguments: [recordingID]
                ).map(Self.segment))
        }
    }

    static func segment(_ row: Row) -> TranscriptSegment {
        // Words are an optional extra: a row whose words do not decode still gives its line.
        let words = (row["words_json"] as String?).flatMap {
            try? JSONDecoder().decode([TranscriptWord].self, from: Data($0.utf8))
        }
        return TranscriptSegment(
            speaker: row["speaker"], startS: row["start_s"], endS: row["end_s"], text: row["text"],
            confidence: row["confidence"], sentiment: row["sentiment"], words: words)
    }

    package func outputs(callID: String) async throws -> CallOutputs {
        try await read { db in
            let decoder = JSONDecoder()
            var outputs = CallOutputs()
            for row in try Row.fetchAll(
                db, sql: "SELECT recording_id, json FROM analyses WHERE call_id = ?", arguments: [callID])
            {
                let json: String = row["json"]
                outputs.analyses[row["recording_id"]] = try decoder.decode(AudioAnalysis.self, from: Data(json.utf8))
            }
            outputs.transcript.segments = try Row.fetchAll(
                db, sql: "SELECT * FROM transcript_segments WHERE call_id = ? ORDER BY start_s, position",
                arguments: [callID]
            ).map(Self.segment)
            outputs.summaries = try Row.fetchAll(
                db, sql: "SELECT * FROM summaries WHERE call_id = ? ORDER BY version", arguments: [callID]
            ).map { row in
                let json: String = row["json"]
                return StoredSummary(
                    version: row["version"], isFinal: row["is_final"],
                    insights: try decoder.decode(CallInsights.self, from: Data(json.utf8)), createdAt: row["created_at"]
                )
            }
            outputs.conversation = try Self.conversationMetrics(callID: callID, db: db)
            for row in try Row.fetchAll(
                db, sql: "SELECT recording_id, json FROM redactions WHERE call_id = ?", arguments: [callID])
            {
                let json: String = row["json"]
                outputs.redactions[row["recording_id"]] = try decoder.decode(
                    RecordingRedaction.self, from: Data(json.utf8))
            }
            return outputs
        }
    }

    package func search(_ text: String, agentID: String?, limit: Int) async throws -> [SearchHit] {
        guard let terms = SearchTerms(text) else { return [] }
        return try await read { db in
            // `"word" "word" "last"*`: the words hold letters and digits only.
            let pattern = try db.makeFTS5Pattern(
                rawPattern: (terms.whole.map { "\"\($0)\"" } + ["\"\(terms.prefix)\"*"]).joined(separator: " "),
                forTable: "call_search")
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT call_id, kind, snippet(call_search, 2, '[', ']', '…', 12) AS snippet
                    FROM call_search WHERE call_search MATCH ?
                    AND (? IS NULL OR call_id IN (SELECT id FROM calls WHERE agent_id = ?))
                    ORDER BY rowid DESC LIMIT ?
                    """,
                arguments: [pattern, agentID, agentID, max(1, min(limit, 200))]
            ).map { SearchHit(callID: $0["call_id"], kind: $0["kind"], snippet: $0["snippet"]) }
        }
    }
}
