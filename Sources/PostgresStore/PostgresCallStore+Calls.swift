package import AIClients
package import CallPipeCore
package import Foundation
import Logging
import PostgresNIO

/// Calls and recordings on PostgreSQL: the `CallRepository` and `LiveCallSink` roles.
extension PostgresCallStore {
    package func insertCall(_ call: StoredCall) async throws {
        try await write { connection in try await Self.insert(call, connection, logger) }
    }

    static func insert(_ call: StoredCall, _ connection: PostgresConnection, _ logger: Logger) async throws {
        let channelMap = try call.channelMap.map(jsonText)
        let metadata = try jsonText(call.metadata)
        try await connection.run(
            """
            INSERT INTO calls (id, agent_id, customer_id, direction, session_id, channel_map, metadata, status,
              failure_reason, created_at, ended_at, updated_at, is_demo, source)
            VALUES (\(call.id), \(call.agentID), \(call.customerID), \(call.direction), \(call.sessionID),
              \(channelMap), \(metadata), \(call.status.rawValue), \(call.failureReason), \(call.createdAt),
              \(call.endedAt), \(call.updatedAt), \(call.isDemo), \(call.source))
            """, logger: logger)
    }

    package func call(id: String) async throws -> StoredCall? {
        try await read { connection in try await Self.call(id: id, connection, logger) }
    }

    static func call(id: String, _ connection: PostgresConnection, _ logger: Logger, lock: Bool = false) async throws
        -> StoredCall?
    {
        let query: PostgresQuery =
            lock ? "SELECT * FROM calls WHERE id = \(id) FOR UPDATE" : "SELECT * FROM calls WHERE id = \(id)"
        return try await connection.rows(query, logger: logger).first.map(StoredCall.init)
    }

    @discardableResult
    package func updateCall(id: String, status: StoredCall.Status, failureReason: String?, endedAt: Date?) async throws
        -> StoredCall
    {
        try await write { connection in
            let rows = try await connection.rows(
                """
                UPDATE calls SET status = \(status.rawValue), failure_reason = COALESCE(\(failureReason), failure_reason),
                  ended_at = COALESCE(\(endedAt), ended_at), updated_at = \(Date())
                WHERE id = \(id) RETURNING *
                """, logger: logger)
            guard let row = rows.first else { throw CallPipeError(.notFound, "no call \(id)") }
            return try StoredCall(row)
        }
    }

    package func endCall(id: String, now: Date) async throws -> StoredCall {
        try await write { connection in
            guard var call = try await Self.call(id: id, connection, logger, lock: true) else {
                throw CallPipeError(.notFound, "no call \(id)")
            }
            guard call.endedAt == nil else { return call }
            if call.status == .active { call.status = .ended }
            call.endedAt = now
            call.updatedAt = now
            try await connection.run(
                """
                UPDATE calls SET status = \(call.status.rawValue), ended_at = \(now), updated_at = \(now)
                WHERE id = \(id)
                """, logger: logger)
            let recordings = try await connection.rows(
                "SELECT 1 FROM recordings WHERE call_id = \(id) LIMIT 1", logger: logger)
            guard !recordings.isEmpty else { return call }
            try await Self.enqueue(callID: id, stage: .summarize, now: now, connection, logger)
            return try await Self.call(id: id, connection, logger) ?? call
        }
    }

    package func history(_ query: CallHistoryQuery) async throws -> CallHistoryPage {
        let pageSize = min(
            max(CallHistoryQuery.pageSizes.lowerBound, query.pageSize), CallHistoryQuery.pageSizes.upperBound)
        let page = min(max(CallHistoryQuery.pages.lowerBound, query.page), CallHistoryQuery.pages.upperBound)
        return try await read { connection in
            let total = try await Self.count(query.filter, connection, logger)
            var sql = SQLBuilder()
            let whereSQL = sql.filter(query.filter, table: nil)
            let limit = sql.bind(pageSize)
            let offset = sql.bind((page - 1) * pageSize)
            let rows = try await connection.rows(
                sql.query(
                    "SELECT * FROM calls WHERE \(whereSQL) ORDER BY created_at DESC, id LIMIT \(limit) OFFSET \(offset)"
                ),
                logger: logger)
            var calls: [StoredCall] = []
            var metrics: [String: CallRowMetrics] = [:]
            for row in rows {
                let call = try StoredCall(row)
                calls.append(call)
                metrics[call.id] = try CallRowMetrics(row)
            }
            return CallHistoryPage(calls: calls, total: total, page: page, pageSize: pageSize, metrics: metrics)
        }
    }

    package func insertRecording(_ recording: StoredRecording, firstStage: PipelineJob.Stage, now: Date) async throws
        -> (recording: StoredRecording, created: Bool)
    {
        try await write { connection in
            // The call's row lock orders its recordings: two nodes adding one each get 1 and 2.
            guard try await Self.call(id: recording.callID, connection, logger, lock: true) != nil else {
                throw CallPipeError(.notFound, "no call \(recording.callID)")
            }
            if let key = recording.idempotencyKey,
                let existing = try await connection.rows(
                    "SELECT * FROM recordings WHERE call_id = \(recording.callID) AND idempotency_key = \(key)",
                    logger: logger
                ).first
            {
                return (try StoredRecording(existing), false)
            }
            return (try await Self.addRecording(recording, firstStage: firstStage, now: now, connection, logger), true)
        }
    }

    package func finishLiveCall(callID: String, recording: StoredRecording?, now: Date) async throws {
        try await write { connection in
            try await Self.finishCall(callID: callID, recording: recording, now: now, connection, logger)
        }
    }

    /// `finishLiveCall` in the caller's transaction (an imported call's audio is attached the same way).
    static func finishCall(
        callID: String, recording: StoredRecording?, now: Date, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        let changed = try await connection.run(
            """
            UPDATE calls SET status = CASE status WHEN 'active' THEN 'ended' ELSE status END,
              ended_at = COALESCE(ended_at, \(now)), updated_at = \(now) WHERE id = \(callID) RETURNING 1
            """, logger: logger)
        guard changed > 0 else { throw CallPipeError(.notFound, "no call \(callID)") }
        guard let recording else { return }
        let existing = try await connection.rows("SELECT 1 FROM recordings WHERE id = \(recording.id)", logger: logger)
        guard existing.isEmpty else { return }
        _ = try await Self.addRecording(recording, firstStage: .analyze, now: now, connection, logger)
    }

    /// Inserts a recording as the call's next one, with its first job (the caller holds the call's row lock).
    static func addRecording(
        _ recording: StoredRecording, firstStage: PipelineJob.Stage, now: Date, _ connection: PostgresConnection,
        _ logger: Logger
    ) async throws -> StoredRecording {
        var stored = recording
        let last = try await connection.rows(
            "SELECT MAX(sequence) AS n FROM recordings WHERE call_id = \(recording.callID)", logger: logger
        ).first?.value("n", as: Int?.self)
        stored.sequence = (last ?? 0) + 1
        try await connection.run(
            """
            INSERT INTO recordings (id, call_id, sequence, path, bytes, content_type, format, codec, idempotency_key,
              created_at)
            VALUES (\(stored.id), \(stored.callID), \(stored.sequence), \(stored.path), \(stored.bytes),
              \(stored.contentType), \(stored.format), \(stored.codec), \(stored.idempotencyKey), \(stored.createdAt))
            """, logger: logger)
        try await insertJob(
            PipelineJob(
                id: UUID().uuidString.lowercased(), callID: recording.callID, recordingID: stored.id, stage: firstStage,
                runAfter: now, createdAt: now), connection, logger)
        return stored
    }

    package func recordings(callID: String) async throws -> [StoredRecording] {
        try await read { connection in
            try await connection.rows(
                "SELECT * FROM recordings WHERE call_id = \(callID) ORDER BY sequence", logger: logger
            ).map(StoredRecording.init)
        }
    }

    package func statistics() async throws -> StoreStatistics {
        try await read { connection in
            var counts: [String: Int] = [:]
            for row in try await connection.rows(
                "SELECT state, COUNT(*) AS n FROM jobs GROUP BY state", logger: logger)
            {
                counts[try row.value("state")] = try row.value("n")
            }
            // From the per-day counts: `/health` and `/metrics` ask on every probe and scrape.
            let calls = try await Self.count(CallFilter(), connection, logger)
            return StoreStatistics(
                calls: calls, queuedJobs: counts["queued"] ?? 0, runningJobs: counts["running"] ?? 0,
                failedJobs: counts["failed"] ?? 0)
        }
    }

    /// After a bulk load (benchmarks): what autovacuum does within a minute or so of one (PostgreSQL
    /// 13+ vacuums tables that only grow), done now: the visibility map set, so that counts are
    /// index-only scans, and fresh statistics.
    package func vacuumAfterBulkLoad() async throws {
        for table in ["calls", "call_search", "transcript_segments"] {
            do {
                _ = try await client.query(PostgresQuery(unsafeSQL: "VACUUM ANALYZE \(table)"), logger: logger)
                    .collect()
            } catch {
                throw Self.storageError(error, doing: "vacuuming \(table)")
            }
        }
    }

    /// Inserts many finished calls with their transcripts in one transaction (demo data and
    /// benchmarks), indexed for search and with their conversation metrics, as the stages would
    /// leave them: a few statements over arrays (`UNNEST`) for the whole batch, not a round trip
    /// per row.
    package func insertFinishedCalls(_ calls: [(StoredCall, Transcript)]) async throws {
        guard !calls.isEmpty else { return }
        try await write { connection in
            for (call, _) in calls { try await Self.insert(call, connection, logger) }
            let ids = calls.map(\.0.id)
            let recordings = ids.map { "rec_\($0)" }
            let created = calls.map(\.0.createdAt)
            try await connection.run(
                """
                INSERT INTO recordings (id, call_id, sequence, path, bytes, content_type, format, codec, created_at)
                SELECT r, c, 1, '', 0, 'audio/wav', 'wav', 'pcm_s16le', t
                FROM UNNEST(\(recordings)::text[], \(ids)::text[], \(created)::timestamptz[]) AS u(r, c, t)
                """, logger: logger)
            var segment = (call: [String](), recording: [String](), position: [Int](), speaker: [String]())
            var timing = (start: [Double](), end: [Double](), text: [String]())
            var search = (call: [String](), text: [String]())
            // Arrays of PostgreSQL cannot carry a Swift nil: -1 stands for none (no count or share is negative).
            var metrics = (call: [String](), agentWords: [Int](), customerWords: [Int](), agentQuestions: [Int]())
            var more = (customerQuestions: [Int](), share: [Double]())
            for (call, transcript) in calls {
                let ordered = transcript.segments.enumerated().sorted { $0.element.startS < $1.element.startS }
                for (position, line) in transcript.segments.enumerated() {
                    segment.call.append(call.id)
                    segment.recording.append("rec_\(call.id)")
                    segment.position.append(position)
                    segment.speaker.append(line.speaker)
                    timing.start.append(line.startS)
                    timing.end.append(line.endS)
                    timing.text.append(line.text)
                }
                for (_, line) in ordered where !line.text.isEmpty {
                    search.call.append(call.id)
                    search.text.append(line.text)
                }
                let conversation = ConversationMetrics(segments: ordered.map(\.element), talkSeconds: [:])
                metrics.call.append(call.id)
                metrics.agentWords.append(conversation.speakers["agent"]?.words ?? -1)
                metrics.customerWords.append(conversation.speakers["customer"]?.words ?? -1)
                metrics.agentQuestions.append(conversation.speakers["agent"]?.questions ?? -1)
                more.customerQuestions.append(conversation.speakers["customer"]?.questions ?? -1)
                more.share.append(conversation.customerQuestionShare ?? -1)
            }
            try await connection.run(
                """
                INSERT INTO transcript_segments (call_id, recording_id, position, speaker, start_s, end_s, text)
                SELECT * FROM UNNEST(\(segment.call)::text[], \(segment.recording)::text[], \(segment.position)::bigint[],
                  \(segment.speaker)::text[], \(timing.start)::float8[], \(timing.end)::float8[], \(timing.text)::text[])
                """, logger: logger)
            try await connection.run(
                """
                INSERT INTO call_search (call_id, kind, content)
                SELECT c, 'transcript', t FROM UNNEST(\(search.call)::text[], \(search.text)::text[]) AS u(c, t)
                """, logger: logger)
            try await connection.run(
                """
                UPDATE calls SET agent_words = NULLIF(u.aw, -1), customer_words = NULLIF(u.cw, -1),
                  agent_questions = NULLIF(u.aq, -1), customer_questions = NULLIF(u.cq, -1),
                  customer_question_share = NULLIF(u.qs, -1)
                FROM UNNEST(\(metrics.call)::text[], \(metrics.agentWords)::bigint[], \(metrics.customerWords)::bigint[],
                  \(metrics.agentQuestions)::bigint[], \(more.customerQuestions)::bigint[], \(more.share)::float8[])
                  AS u(id, aw, cw, aq, cq, qs)
                WHERE calls.id = u.id
                """, logger: logger)
        }
    }
}
