import AIClients
import Audio
import CallPipeCore
import Foundation
import GRDB

/// The per-call figures analytics aggregate, kept on the `calls` row in the same transaction as the
/// stage output they come from, so `GROUP BY` over one indexed table answers the dashboard.
extension SQLiteCallStore {
    /// Duration, talk time, silence and interruptions: the sum over the call's recordings.
    static func refreshAudioMetrics(callID: String, db: Database) throws {
        try db.execute(
            sql: """
                UPDATE calls SET
                  duration_s = totals.duration, agent_talk_s = totals.agent, customer_talk_s = totals.customer,
                  silence_s = totals.silence, interruptions = totals.interruptions
                FROM (SELECT
                    SUM(json_extract(json, '$.duration_s')) AS duration,
                    SUM(COALESCE(json_extract(json, '$.speakers.agent.talk_s'), 0)) AS agent,
                    SUM(COALESCE(json_extract(json, '$.speakers.customer.talk_s'), 0)) AS customer,
                    SUM(COALESCE(json_extract(json, '$.non_talk.total_s'), 0)) AS silence,
                    SUM(COALESCE(json_extract(json, '$.interruptions.agent'), 0)
                        + COALESCE(json_extract(json, '$.interruptions.customer'), 0)) AS interruptions
                  FROM analyses WHERE call_id = :call) AS totals
                WHERE calls.id = :call
                """, arguments: ["call": callID])
    }

    /// Words, talk speed and questions per party (docs/ARCHITECTURE.md §8), from
    /// all of the call's transcript lines and its recordings' talk time; `NULL` without a
    /// transcript. Writes only the columns v7 added (its migration runs this).
    static func refreshConversationMetrics(callID: String, db: Database) throws {
        let metrics = try conversationMetrics(callID: callID, db: db)
        let agent = metrics.speakers[Speaker.agent.rawValue]
        let customer = metrics.speakers[Speaker.customer.rawValue]
        try db.execute(
            sql: """
                UPDATE calls SET
                  agent_words = ?, customer_words = ?, agent_talk_speed_wpm = ?, customer_talk_speed_wpm = ?,
                  agent_questions = ?, customer_questions = ?, customer_question_share = ?
                WHERE id = ?
                """,
            arguments: [
                agent?.words, customer?.words, agent?.talkSpeedWPM, customer?.talkSpeedWPM, agent?.questions,
                customer?.questions, metrics.customerQuestionShare, callID,
            ])
    }

    /// The call's conversation metrics. Talk time counts only the recordings with transcript lines
    /// (a recording still being transcribed would slow everyone down), or all of them before there
    /// is any transcript (talk time known, words not).
    static func conversationMetrics(callID: String, db: Database) throws -> ConversationMetrics {
        let segments = try Row.fetchAll(
            db, sql: "SELECT * FROM transcript_segments WHERE call_id = ? ORDER BY start_s, position",
            arguments: [callID]
        ).map(segment)
        let transcribed = Set(
            try String.fetchAll(
                db, sql: "SELECT DISTINCT recording_id FROM transcript_segments WHERE call_id = ?", arguments: [callID])
        )
        // Each recording's talk seconds per speaker, read from its analysis without decoding it all.
        var talk: [String: Double] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT a.recording_id, s.key AS speaker, json_extract(s.value, '$.talk_s') AS talk_s
                FROM analyses AS a, json_each(a.json, '$.speakers') AS s WHERE a.call_id = ?
                """, arguments: [callID])
        where transcribed.isEmpty || transcribed.contains(row["recording_id"]) {
            talk[row["speaker"], default: 0] += row["talk_s"] ?? 0
        }
        return ConversationMetrics(segments: segments, talkSeconds: talk)
    }

    /// Sentiment, outcome and topics from the call's newest summary.
    static func refreshSummaryMetrics(callID: String, db: Database) throws {
        guard
            let json = try String.fetchOne(
                db, sql: "SELECT json FROM summaries WHERE call_id = ? ORDER BY version DESC LIMIT 1",
                arguments: [callID])
        else { return }
        let insights = try JSONDecoder().decode(CallInsights.self, from: Data(json.utf8))
        try saveSummaryMetrics(insights, callID: callID, db: db)
    }

    static func saveSummaryMetrics(_ insights: CallInsights, callID: String, db: Database) throws {
        // Topics out first, while the call still has its old sentiment: the topic roll-up's
        // triggers file each topic under the call's sentiment at the time.
        try db.execute(sql: "DELETE FROM call_topics WHERE call_id = ?", arguments: [callID])
        try db.execute(
            sql: "UPDATE calls SET sentiment = ?, sentiment_label = ?, outcome = ? WHERE id = ?",
            arguments: [
                insights.sentiment.overall, insights.sentiment.label.rawValue, insights.outcome.rawValue, callID,
            ])
        let topics = Set(
            insights.topics.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
        for topic in topics {
            try db.execute(sql: "INSERT INTO call_topics (call_id, topic) VALUES (?, ?)", arguments: [callID, topic])
        }
    }

    /// Records what a job's AI requests used (replacing the job's earlier figures, if it ran
    /// before) and brings the call's total cost up to date.
    static func saveUsage(_ usage: StageUsage, job: PipelineJob, db: Database, now: Date) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO ai_usage
                  (job_id, call_id, stage, provider, input_tokens, output_tokens, audio_seconds, requests, cost_usd,
                   created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                job.id, job.callID, job.stage.rawValue, usage.provider, usage.usage.inputTokens,
                usage.usage.outputTokens, usage.usage.audioSeconds, usage.usage.requests, usage.costUSD, now,
            ])
        try db.execute(
            sql:
                "UPDATE calls SET cost_usd = (SELECT SUM(cost_usd) FROM ai_usage WHERE call_id = :call) WHERE id = :call",
            arguments: ["call": job.callID])
    }
}
