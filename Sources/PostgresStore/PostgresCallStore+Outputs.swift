package import AIClients
import Audio
package import CallPipeCore
import Foundation
import Logging
import PostgresNIO

/// Stage outputs (analyses, transcript segments, summary versions) and full-text search over them,
/// on PostgreSQL: the same rows as on SQLite, with `call_search.words` a generated `tsvector`.
extension PostgresCallStore {
    static func save(
        _ output: StageOutput, callID: String, now: Date, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        switch output {
        case .none:
            return
        case .analysis(let recordingID, let analysis):
            let json = try jsonText(analysis)
            try await connection.run(
                """
                INSERT INTO analyses (recording_id, call_id, json) VALUES (\(recordingID), \(callID), \(json)::jsonb)
                ON CONFLICT (recording_id) DO UPDATE SET call_id = EXCLUDED.call_id, json = EXCLUDED.json
                """, logger: logger)
            try await refreshAudioMetrics(callID: callID, connection, logger)
            // Talk speed needs the talk time too: new talk time, new speed (once there is a transcript).
            let transcribed = try await connection.rows(
                "SELECT 1 FROM transcript_segments WHERE call_id = \(callID) LIMIT 1", logger: logger)
            if !transcribed.isEmpty { try await refreshConversationMetrics(callID: callID, connection, logger) }
        case .transcript(let recordingID, let transcript, let redaction):
            if let redaction {
                try await saveRedaction(redaction, recordingID: recordingID, callID: callID, connection, logger)
            }
            try await connection.run(
                "DELETE FROM transcript_segments WHERE recording_id = \(recordingID)", logger: logger)
            for (position, segment) in transcript.segments.enumerated() {
                let words = try segment.words.map(jsonText)
                try await connection.run(
                    """
                    INSERT INTO transcript_segments
                      (call_id, recording_id, position, speaker, start_s, end_s, text, confidence, sentiment, words_json)
                    VALUES (\(callID), \(recordingID), \(position), \(segment.speaker), \(segment.startS),
                      \(segment.endS), \(segment.text), \(segment.confidence), \(segment.sentiment), \(words))
                    """, logger: logger)
            }
            let texts = try await connection.rows(
                "SELECT text FROM transcript_segments WHERE call_id = \(callID) ORDER BY start_s", logger: logger
            ).map { try $0.value("text", as: String.self) }
            try await reindex(callID: callID, kind: "transcript", texts: texts, connection, logger)
            try await refreshConversationMetrics(callID: callID, connection, logger)
        case .summary(let insights, let isFinal):
            let json = try jsonText(insights)
            try await connection.run(
                """
                INSERT INTO summaries (call_id, version, is_final, json, created_at)
                SELECT \(callID), COALESCE(MAX(version), 0) + 1, \(isFinal), \(json)::jsonb, \(now)
                FROM summaries WHERE call_id = \(callID)
                """, logger: logger)
            try await saveSummaryMetrics(insights, callID: callID, connection, logger)
            try await reindex(
                callID: callID, kind: "summary",
                texts: [insights.summary] + insights.keyPoints + insights.issues + insights.topics, connection, logger)
        }
    }

    /// The redaction's record, and the redacted recording in the original's place (the same
    /// transaction as the redacted lines: never one without the other).
    private static func saveRedaction(
        _ redaction: RecordingRedaction, recordingID: String, callID: String, _ connection: PostgresConnection,
        _ logger: Logger
    ) async throws {
        let json = try jsonText(redaction)
        let original = redaction.replacement?.originalLocation
        try await connection.run(
            """
            INSERT INTO redactions (recording_id, call_id, json, original_location)
            VALUES (\(recordingID), \(callID), \(json), \(original))
            ON CONFLICT (recording_id) DO UPDATE SET json = EXCLUDED.json, original_location = EXCLUDED.original_location
            """, logger: logger)
        if let replacement = redaction.replacement {
            try await connection.run(
                """
                UPDATE recordings SET path = \(replacement.location), bytes = \(replacement.bytes),
                  content_type = \(replacement.contentType), format = \(replacement.format), codec = \(replacement.codec)
                WHERE id = \(recordingID)
                """, logger: logger)
        }
    }

    package func redactedOriginals() async throws -> [(recordingID: String, location: String)] {
        try await read { connection in
            try await connection.rows(
                "SELECT recording_id, original_location FROM redactions WHERE original_location IS NOT NULL",
                logger: logger
            ).map { (try $0.value("recording_id"), try $0.value("original_location")) }
        }
    }

    package func forgetRedactedOriginal(recordingID: String) async throws {
        try await write { connection in
            try await connection.run(
                "UPDATE redactions SET original_location = NULL WHERE recording_id = \(recordingID)", logger: logger)
        }
    }

    private static func reindex(
        callID: String, kind: String, texts: [String], _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        try await connection.run("DELETE FROM call_search WHERE call_id = \(callID) AND kind = \(kind)", logger: logger)
        for text in texts where !text.isEmpty {
            try await connection.run(
                "INSERT INTO call_search (call_id, kind, content) VALUES (\(callID), \(kind), \(text))", logger: logger)
        }
    }

    package func transcript(recordingID: String) async throws -> Transcript {
        try await read { connection in
            Transcript(
                segments: try await connection.rows(
                    "SELECT * FROM transcript_segments WHERE recording_id = \(recordingID) ORDER BY position",
                    logger: logger
                ).map(TranscriptSegment.init))
        }
    }

    package func outputs(callID: String) async throws -> CallOutputs {
        try await read { connection in
            let decoder = JSONDecoder()
            var outputs = CallOutputs()
            for row in try await connection.rows(
                "SELECT recording_id, json::text AS json FROM analyses WHERE call_id = \(callID)", logger: logger)
            {
                outputs.analyses[try row.value("recording_id")] = try row.json("json", as: AudioAnalysis.self)
            }
            outputs.transcript.segments = try await Self.segments(callID: callID, connection, logger)
            outputs.summaries = try await connection.rows(
                """
                SELECT version, is_final, json::text AS json, created_at FROM summaries WHERE call_id = \(callID)
                ORDER BY version
                """, logger: logger
            ).map { row in
                StoredSummary(
                    version: try row.value("version"), isFinal: try row.value("is_final"),
                    insights: try decoder.decode(
                        CallInsights.self, from: Data(try row.value("json", as: String.self).utf8)),
                    createdAt: try row.value("created_at"))
            }
            outputs.conversation = try await Self.conversationMetrics(callID: callID, connection, logger)
            for row in try await connection.rows(
                "SELECT recording_id, json FROM redactions WHERE call_id = \(callID)", logger: logger)
            {
                outputs.redactions[try row.value("recording_id")] = try decoder.decode(
                    RecordingRedaction.self, from: Data(try row.value("json", as: String.self).utf8))
            }
            return outputs
        }
    }

    static func segments(callID: String, _ connection: PostgresConnection, _ logger: Logger) async throws
        -> [TranscriptSegment]
    {
        try await connection.rows(
            "SELECT * FROM transcript_segments WHERE call_id = \(callID) ORDER BY start_s, position", logger: logger
        ).map(TranscriptSegment.init)
    }

    /// Calls whose transcript or summary match the words of `text` (`SearchTerms`: whole words, the
    /// last as a prefix), newest first (the latest indexed rows first, as on SQLite), scoped to
    /// `agentID` before the limit.
    package func search(_ text: String, agentID: String?, limit: Int) async throws -> [SearchHit] {
        guard let terms = SearchTerms(text) else { return [] }
        let pattern = Self.tsquery(terms)
        let limit = max(1, min(limit, 200))
        return try await read { connection in
            try await connection.rows(
                """
                SELECT s.call_id, s.kind,
                  ts_headline('simple', s.content, q, 'StartSel=[, StopSel=], MaxWords=12, MinWords=6, MaxFragments=1,
                    FragmentDelimiter=…') AS snippet
                FROM call_search AS s, to_tsquery('simple', \(pattern)) AS q
                WHERE s.words @@ q
                  AND (\(agentID)::text IS NULL OR s.call_id IN (SELECT id FROM calls WHERE agent_id = \(agentID)))
                ORDER BY s.id DESC LIMIT \(limit)
                """, logger: logger
            ).map {
                SearchHit(callID: try $0.value("call_id"), kind: try $0.value("kind"), snippet: try $0.value("snippet"))
            }
        }
    }

    /// `word & word & last:*`: the words hold letters and digits only, so none needs quoting.
    /// With one prefix the planner's estimate stays close enough that a common word walks the
    /// newest rows and stops at the limit, while a rare one uses the GIN index.
    static func tsquery(_ terms: SearchTerms) -> String {
        (terms.whole + ["\(terms.prefix):*"]).joined(separator: " & ")
    }
}
