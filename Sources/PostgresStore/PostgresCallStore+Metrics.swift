import AIClients
import Audio
import CallPipeCore
import Foundation
import Logging
import PostgresNIO

/// The per-call figures analytics aggregate, kept on the `calls` row in the same transaction as the
/// stage output they come from (as on SQLite, docs/ARCHITECTURE.md §8).
extension PostgresCallStore {
    /// Duration, talk time, silence and interruptions: the sum over the call's recordings.
    static func refreshAudioMetrics(callID: String, _ connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.run(
            """
            UPDATE calls SET
              duration_s = totals.duration, agent_talk_s = totals.agent, customer_talk_s = totals.customer,
              silence_s = totals.silence, interruptions = totals.interruptions
            FROM (SELECT
                SUM((json->>'duration_s')::float8) AS duration,
                SUM(COALESCE((json#>>'{speakers,agent,talk_s}')::float8, 0)) AS agent,
                SUM(COALESCE((json#>>'{speakers,customer,talk_s}')::float8, 0)) AS customer,
                SUM(COALESCE((json#>>'{non_talk,total_s}')::float8, 0)) AS silence,
                SUM(COALESCE((json#>>'{interruptions,agent}')::bigint, 0)
                    + COALESCE((json#>>'{interruptions,customer}')::bigint, 0)) AS interruptions
              FROM analyses WHERE call_id = \(callID)) AS totals
            WHERE calls.id = \(callID)
            """, logger: logger)
    }

    /// Words, talk speed and questions per party, from all of the call's transcript lines and its
    /// recordings' talk time; `NULL` without a transcript.
    static func refreshConversationMetrics(callID: String, _ connection: PostgresConnection, _ logger: Logger)
        async throws
    {
        let metrics = try await conversationMetrics(callID: callID, connection, logger)
        let agent = metrics.speakers[Speaker.agent.rawValue]
        let customer = metrics.speakers[Speaker.customer.rawValue]
        try await connection.run(
            """
            UPDATE calls SET
              agent_words = \(agent?.words), customer_words = \(customer?.words),
              agent_talk_speed_wpm = \(agent?.talkSpeedWPM), customer_talk_speed_wpm = \(customer?.talkSpeedWPM),
              agent_questions = \(agent?.questions), customer_questions = \(customer?.questions),
              customer_question_share = \(metrics.customerQuestionShare)
            WHERE id = \(callID)
            """, logger: logger)
    }

    /// The call's conversation metrics. Talk time counts only the recordings with transcript lines,
    /// or all of them before there is any transcript.
    static func conversationMetrics(callID: String, _ connection: PostgresConnection, _ logger: Logger) async throws
        -> ConversationMetrics
    {
        let segments = try await segments(callID: callID, connection, logger)
        let transcribed = Set(
            try await connection.rows(
                "SELECT DISTINCT recording_id FROM transcript_segments WHERE call_id = \(callID)", logger: logger
            ).map { try $0.value("recording_id", as: String.self) })
        var talk: [String: Double] = [:]
        for row in try await connection.rows(
            """
            SELECT a.recording_id, s.key AS speaker, (s.value->>'talk_s')::float8 AS talk_s
            FROM analyses AS a, jsonb_each(a.json->'speakers') AS s WHERE a.call_id = \(callID)
            """, logger: logger)
        {
            let recording = try row.value("recording_id", as: String.self)
            guard transcribed.isEmpty || transcribed.contains(recording) else { continue }
            talk[try row.value("speaker"), default: 0] += try row.value("talk_s", as: Double?.self) ?? 0
        }
        return ConversationMetrics(segments: segments, talkSeconds: talk)
    }

    static func saveSummaryMetrics(
        _ insights: CallInsights, callID: String, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        try await connection.run("DELETE FROM call_topics WHERE call_id = \(callID)", logger: logger)
        try await connection.run(
            """
            UPDATE calls SET sentiment = \(insights.sentiment.overall), sentiment_label = \(insights.sentiment.label.rawValue),
              outcome = \(insights.outcome.rawValue)
            WHERE id = \(callID)
            """, logger: logger)
        let topics = Set(
            insights.topics.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
        for topic in topics.sorted() {
            try await connection.run(
                "INSERT INTO call_topics (call_id, topic) VALUES (\(callID), \(topic))", logger: logger)
        }
    }

    /// Records what a job's AI requests used (replacing the job's earlier figures) and brings the
    /// call's total cost up to date.
    static func saveUsage(
        _ usage: StageUsage, job: PipelineJob, now: Date, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        try await connection.run(
            """
            INSERT INTO ai_usage
              (job_id, call_id, stage, provider, input_tokens, output_tokens, audio_seconds, requests, cost_usd,
               created_at)
            VALUES (\(job.id), \(job.callID), \(job.stage.rawValue), \(usage.provider), \(usage.usage.inputTokens),
              \(usage.usage.outputTokens), \(usage.usage.audioSeconds), \(usage.usage.requests), \(usage.costUSD), \(now))
            ON CONFLICT (job_id) DO UPDATE SET call_id = EXCLUDED.call_id, stage = EXCLUDED.stage,
              provider = EXCLUDED.provider, input_tokens = EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens,
              audio_seconds = EXCLUDED.audio_seconds, requests = EXCLUDED.requests, cost_usd = EXCLUDED.cost_usd,
              created_at = EXCLUDED.created_at
            """, logger: logger)
        try await connection.run(
            """
            UPDATE calls SET cost_usd = (SELECT SUM(cost_usd) FROM ai_usage WHERE call_id = \(job.callID))
            WHERE id = \(job.callID)
            """, logger: logger)
    }
}
