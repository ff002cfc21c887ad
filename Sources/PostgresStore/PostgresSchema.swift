import CallPipeCore
import Logging
import PostgresNIO

/// The PostgreSQL schema as numbered migrations, each applied once in its own transaction. Nodes
/// that start together take turns on a session advisory lock, so however many start at once one
/// applies each migration and the others find it applied (docs/ARCHITECTURE.md §15). A migration
/// is frozen once released: a change is a new migration.
enum PostgresSchema {
    /// Any fixed number: the lock every CallPipe node takes while it migrates.
    static let advisoryLockKey: Int64 = 0x4361_6C6C_5069_7065  // "CallPipe"

    static let migrations: [(name: String, statements: [String])] = [
        ("v1: calls, recordings, jobs, outputs, search, usage, CRM outbox, keys", statements(v1)),
        ("v2: room events shared by the nodes", statements(v2)),
        ("v3: which node streams which live call", statements(v3)),
        ("v4: checkpoints of live recordings in shared storage", statements(v4)),
        ("v5: calls counted per day and filter value", v5),
        ("v6: call sources, connectors, sync runs, imported calls, archives", statements(v6)),
        ("v7: what the redaction took out of each recording", statements(v7)),
    ]

    /// As SQLite's v11 (docs/redaction.md): one row per redacted recording, `original_location`
    /// set until the original audio the redacted file replaced is deleted.
    static let v7 = """
        CREATE TABLE redactions (
          recording_id TEXT PRIMARY KEY, call_id TEXT NOT NULL REFERENCES calls ON DELETE CASCADE,
          json TEXT NOT NULL, original_location TEXT);
        CREATE INDEX redactions_by_call ON redactions (call_id);
        CREATE INDEX redactions_pending_originals ON redactions (recording_id) WHERE original_location IS NOT NULL
        """

    /// As SQLite's v9 (docs/connectors.md): the calls' source, and the connectors' tables.
    static let v6 = """
        ALTER TABLE calls ADD COLUMN source TEXT NOT NULL DEFAULT 'callpipe';
        CREATE INDEX calls_by_source ON calls (source, created_at);
        CREATE TABLE connector_settings (
          kind TEXT PRIMARY KEY, enabled BOOLEAN NOT NULL, sealed_api_key TEXT, api_key_mask TEXT, target_id TEXT,
          base_url TEXT, schedule TEXT NOT NULL, paused_reason TEXT, updated_at TIMESTAMPTZ NOT NULL);
        CREATE TABLE sync_runs (
          id TEXT PRIMARY KEY, kind TEXT NOT NULL, trigger TEXT NOT NULL, status TEXT NOT NULL,
          window_from TIMESTAMPTZ NOT NULL, window_to TIMESTAMPTZ NOT NULL, cursor TEXT, pages BIGINT NOT NULL,
          requests BIGINT NOT NULL, calls_new BIGINT NOT NULL, calls_updated BIGINT NOT NULL,
          calls_failed BIGINT NOT NULL, error TEXT, started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ,
          holder TEXT, lease_until TIMESTAMPTZ);
        CREATE INDEX sync_runs_by_time ON sync_runs (kind, started_at);
        CREATE UNIQUE INDEX sync_runs_one_running ON sync_runs (kind) WHERE status = 'running';
        CREATE TABLE imported_calls (
          vendor TEXT NOT NULL, vendor_id TEXT NOT NULL,
          call_id TEXT NOT NULL UNIQUE REFERENCES calls ON DELETE CASCADE,
          started_at TIMESTAMPTZ NOT NULL, started_day BIGINT NOT NULL, json TEXT NOT NULL, audio_state TEXT NOT NULL,
          audio_error TEXT,
          agent_id TEXT, agent_name TEXT, agent_email TEXT, direction TEXT NOT NULL, status TEXT NOT NULL,
          duration_s DOUBLE PRECISION NOT NULL, bot_outcome TEXT, bot_technical_error BOOLEAN, bot_transferred BOOLEAN,
          bot_dropped_out BOOLEAN, bot_messages BIGINT, bot_cost DOUBLE PRECISION, bot_rating DOUBLE PRECISION,
          bot_criteria TEXT,
          updated_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (vendor, vendor_id));
        CREATE INDEX imported_calls_by_time ON imported_calls (vendor, started_at);
        CREATE INDEX imported_calls_by_start ON imported_calls (started_at);
        CREATE INDEX imported_calls_awaiting_audio ON imported_calls (vendor, started_at) WHERE audio_state = 'pending';
        CREATE TABLE schedule_fires (
          name TEXT PRIMARY KEY, last_fire TIMESTAMPTZ NOT NULL, holder TEXT NOT NULL, claimed_at TIMESTAMPTZ NOT NULL);
        CREATE TABLE archives (
          month TEXT PRIMARY KEY, file_name TEXT NOT NULL, location TEXT NOT NULL, calls BIGINT NOT NULL,
          bytes BIGINT NOT NULL, sha256 TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL)
        """

    /// One statement per query (the extended protocol takes no more): a migration's text split
    /// at the ends of its statements.
    private static func statements(_ sql: String) -> [String] {
        sql.split(separator: ";\n").map(String.init).filter { !$0.allSatisfy(\.isWhitespace) }
    }

    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withConnection { connection in
            _ = try await connection.query("SELECT pg_advisory_lock(\(advisoryLockKey))", logger: logger).collect()
            do {
                try await apply(connection, logger: logger)
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(advisoryLockKey))", logger: logger)
                    .collect()
                throw error
            }
            _ = try await connection.query("SELECT pg_advisory_unlock(\(advisoryLockKey))", logger: logger).collect()
        }
    }

    private static func apply(_ connection: PostgresConnection, logger: Logger) async throws {
        _ = try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS callpipe_migrations (
              name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
            """, logger: logger
        ).collect()
        var applied = Set<String>()
        for try await name in try await connection.query("SELECT name FROM callpipe_migrations", logger: logger)
            .decode(String.self)
        {
            applied.insert(name)
        }
        for migration in migrations where !applied.contains(migration.name) {
            try await connection.withTransaction(logger: logger) { connection in
                for statement in migration.statements {
                    _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger).collect()
                }
                _ = try await connection.query(
                    "INSERT INTO callpipe_migrations (name) VALUES (\(migration.name))", logger: logger
                ).collect()
            }
            logger.info("PostgreSQL migration applied", metadata: ["migration": "\(migration.name)"])
        }
    }

    /// The schema of SQLite's v1–v8 in one step (a PostgreSQL database starts at this version),
    /// in PostgreSQL's own types: `timestamptz`, `jsonb` for the stage outputs, a `tsvector`
    /// column with a GIN index for search instead of FTS5; and the node that holds a claimed job
    /// or delivery (`claimed_by`), so a node that stops releases its own work and no one else's.
    static let v1 = """
        CREATE TABLE calls (
          id TEXT PRIMARY KEY, agent_id TEXT NOT NULL, customer_id TEXT, direction TEXT NOT NULL, session_id TEXT,
          channel_map TEXT, metadata TEXT NOT NULL, status TEXT NOT NULL, failure_reason TEXT,
          created_at TIMESTAMPTZ NOT NULL, ended_at TIMESTAMPTZ, updated_at TIMESTAMPTZ NOT NULL,
          is_demo BOOLEAN NOT NULL DEFAULT false,
          duration_s DOUBLE PRECISION, agent_talk_s DOUBLE PRECISION, customer_talk_s DOUBLE PRECISION,
          silence_s DOUBLE PRECISION, interruptions BIGINT, sentiment DOUBLE PRECISION, sentiment_label TEXT,
          outcome TEXT, cost_usd DOUBLE PRECISION,
          agent_words BIGINT, customer_words BIGINT, agent_talk_speed_wpm DOUBLE PRECISION,
          customer_talk_speed_wpm DOUBLE PRECISION, agent_questions BIGINT, customer_questions BIGINT,
          customer_question_share DOUBLE PRECISION);
        CREATE INDEX calls_by_time ON calls (created_at);
        CREATE INDEX calls_by_agent ON calls (agent_id, created_at);
        CREATE INDEX calls_by_status ON calls (status, created_at);
        CREATE INDEX calls_by_direction ON calls (direction, created_at);
        CREATE TABLE recordings (
          id TEXT PRIMARY KEY, call_id TEXT NOT NULL REFERENCES calls ON DELETE CASCADE, sequence BIGINT NOT NULL,
          path TEXT NOT NULL, bytes BIGINT NOT NULL, content_type TEXT NOT NULL, format TEXT NOT NULL,
          codec TEXT NOT NULL, idempotency_key TEXT, created_at TIMESTAMPTZ NOT NULL,
          UNIQUE (call_id, sequence), UNIQUE (call_id, idempotency_key));
        CREATE TABLE jobs (
          id TEXT PRIMARY KEY, call_id TEXT NOT NULL REFERENCES calls ON DELETE CASCADE,
          recording_id TEXT REFERENCES recordings ON DELETE CASCADE, stage TEXT NOT NULL, state TEXT NOT NULL,
          attempts BIGINT NOT NULL, crashes BIGINT NOT NULL DEFAULT 0, run_after TIMESTAMPTZ NOT NULL,
          lease_until TIMESTAMPTZ, last_error TEXT, created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL,
          claimed_by TEXT);
        CREATE INDEX jobs_runnable ON jobs (state, run_after);
        CREATE INDEX jobs_by_call ON jobs (call_id);
        CREATE TABLE analyses (
          recording_id TEXT PRIMARY KEY REFERENCES recordings ON DELETE CASCADE, call_id TEXT NOT NULL,
          json JSONB NOT NULL);
        CREATE INDEX analyses_by_call ON analyses (call_id);
        CREATE TABLE transcript_segments (
          id BIGSERIAL PRIMARY KEY, call_id TEXT NOT NULL,
          recording_id TEXT NOT NULL REFERENCES recordings ON DELETE CASCADE, position BIGINT NOT NULL,
          speaker TEXT NOT NULL, start_s DOUBLE PRECISION NOT NULL, end_s DOUBLE PRECISION NOT NULL,
          text TEXT NOT NULL, confidence DOUBLE PRECISION, sentiment DOUBLE PRECISION, words_json TEXT);
        CREATE INDEX segments_by_call ON transcript_segments (call_id, start_s);
        CREATE INDEX segments_by_recording ON transcript_segments (recording_id);
        CREATE TABLE summaries (
          call_id TEXT NOT NULL REFERENCES calls ON DELETE CASCADE, version BIGINT NOT NULL,
          is_final BOOLEAN NOT NULL, json JSONB NOT NULL, created_at TIMESTAMPTZ NOT NULL,
          PRIMARY KEY (call_id, version));
        CREATE TABLE call_search (
          id BIGSERIAL PRIMARY KEY, call_id TEXT NOT NULL, kind TEXT NOT NULL, content TEXT NOT NULL,
          words TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', content)) STORED);
        CREATE INDEX call_search_words ON call_search USING GIN (words);
        CREATE INDEX call_search_by_call ON call_search (call_id, kind);
        CREATE TABLE call_topics (
          call_id TEXT NOT NULL REFERENCES calls ON DELETE CASCADE, topic TEXT NOT NULL,
          PRIMARY KEY (call_id, topic));
        CREATE TABLE ai_usage (
          job_id TEXT PRIMARY KEY, call_id TEXT NOT NULL REFERENCES calls ON DELETE CASCADE, stage TEXT NOT NULL,
          provider TEXT NOT NULL, input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL,
          audio_seconds DOUBLE PRECISION NOT NULL, requests BIGINT NOT NULL, cost_usd DOUBLE PRECISION NOT NULL,
          created_at TIMESTAMPTZ NOT NULL);
        CREATE INDEX ai_usage_by_call ON ai_usage (call_id);
        CREATE TABLE crm_deliveries (
          id TEXT PRIMARY KEY, call_id TEXT NOT NULL REFERENCES calls ON DELETE CASCADE, target TEXT NOT NULL,
          kind TEXT NOT NULL, state TEXT NOT NULL, attempts BIGINT NOT NULL, crashes BIGINT NOT NULL DEFAULT 0,
          run_after TIMESTAMPTZ NOT NULL, lease_until TIMESTAMPTZ, last_error TEXT, last_status BIGINT,
          remote_id TEXT, idempotency_key TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL,
          updated_at TIMESTAMPTZ NOT NULL, delivered_at TIMESTAMPTZ, claimed_by TEXT, UNIQUE (call_id, target));
        CREATE INDEX deliveries_due ON crm_deliveries (state, run_after);
        CREATE TABLE crm_paused_targets (
          target TEXT PRIMARY KEY, reason TEXT NOT NULL, paused_at TIMESTAMPTZ NOT NULL);
        CREATE TABLE api_keys (
          id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL, agent_id TEXT, label TEXT,
          created_at TIMESTAMPTZ NOT NULL, revoked_at TIMESTAMPTZ, expires_at TIMESTAMPTZ,
          dev_mode BOOLEAN NOT NULL DEFAULT false);
        """

    /// Every node's room events, for the other nodes (`PostgresEventRelay`): a row per event, its
    /// id announced by `NOTIFY callpipe_events`; kept a day.
    static let v2 = """
        CREATE TABLE call_events (
          id BIGSERIAL PRIMARY KEY, node TEXT NOT NULL, call_id TEXT NOT NULL, type TEXT NOT NULL, seq BIGINT NOT NULL,
          at TIMESTAMPTZ NOT NULL, data TEXT NOT NULL);
        CREATE INDEX call_events_by_time ON call_events (at);
        """

    static let v3 = """
        CREATE TABLE live_calls (
          call_id TEXT PRIMARY KEY REFERENCES calls ON DELETE CASCADE, node_id TEXT NOT NULL,
          heartbeat_at TIMESTAMPTZ NOT NULL);
        CREATE INDEX live_calls_by_heartbeat ON live_calls (heartbeat_at);
        """

    static let v4 = """
        CREATE TABLE live_call_parts (
          recording_id TEXT NOT NULL, part INTEGER NOT NULL,
          call_id TEXT NOT NULL REFERENCES calls ON DELETE CASCADE, location TEXT NOT NULL,
          start_frame BIGINT NOT NULL, frames BIGINT NOT NULL, sample_rate INTEGER NOT NULL, channels INTEGER NOT NULL,
          created_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (recording_id, part));
        CREATE INDEX live_call_parts_by_call ON live_call_parts (call_id);
        """

    /// The history's total without counting every call (docs/ARCHITECTURE.md §15, history):
    /// `call_counts` holds how many calls started on each UTC day with each value of the columns
    /// a `CallFilter` compares for equality (`''` for no outcome or sentiment, which no filter
    /// asks for), kept by triggers on `calls` in the writing transaction, so it is exact. An
    /// update that moves a call between two rows takes them in one order (the smaller key first)
    /// whichever way the call moves, so two calls moving opposite ways cannot deadlock.
    static let v5 = [
        """
        CREATE TABLE call_counts (
          day DATE NOT NULL, agent_id TEXT NOT NULL, direction TEXT NOT NULL, status TEXT NOT NULL,
          is_demo BOOLEAN NOT NULL, outcome TEXT NOT NULL, sentiment_label TEXT NOT NULL, n BIGINT NOT NULL,
          PRIMARY KEY (day, agent_id, direction, status, is_demo, outcome, sentiment_label))
        """,
        """
        CREATE FUNCTION call_counts_add(c calls, delta BIGINT) RETURNS void LANGUAGE sql AS $$
          INSERT INTO call_counts AS counts VALUES ((c.created_at AT TIME ZONE 'UTC')::date, c.agent_id, c.direction,
            c.status, c.is_demo, COALESCE(c.outcome, ''), COALESCE(c.sentiment_label, ''), delta)
          ON CONFLICT (day, agent_id, direction, status, is_demo, outcome, sentiment_label)
          DO UPDATE SET n = counts.n + delta
        $$
        """,
        """
        CREATE FUNCTION call_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            PERFORM call_counts_add(NEW, 1);
          ELSIF TG_OP = 'DELETE' THEN
            PERFORM call_counts_add(OLD, -1);
          ELSIF ROW((OLD.created_at AT TIME ZONE 'UTC')::date, OLD.agent_id, OLD.direction, OLD.status, OLD.is_demo,
              COALESCE(OLD.outcome, ''), COALESCE(OLD.sentiment_label, ''))
            < ROW((NEW.created_at AT TIME ZONE 'UTC')::date, NEW.agent_id, NEW.direction, NEW.status, NEW.is_demo,
              COALESCE(NEW.outcome, ''), COALESCE(NEW.sentiment_label, '')) THEN
            PERFORM call_counts_add(OLD, -1);
            PERFORM call_counts_add(NEW, 1);
          ELSE
            PERFORM call_counts_add(NEW, 1);
            PERFORM call_counts_add(OLD, -1);
          END IF;
          RETURN NULL;
        END
        $$
        """,
        """
        CREATE TRIGGER call_counts_insert_delete AFTER INSERT OR DELETE ON calls
          FOR EACH ROW EXECUTE FUNCTION call_counts_apply()
        """,
        """
        CREATE TRIGGER call_counts_update AFTER UPDATE OF created_at, agent_id, direction, status, is_demo, outcome,
          sentiment_label ON calls FOR EACH ROW
          WHEN ((OLD.created_at, OLD.agent_id, OLD.direction, OLD.status, OLD.is_demo, OLD.outcome, OLD.sentiment_label)
            IS DISTINCT FROM
            (NEW.created_at, NEW.agent_id, NEW.direction, NEW.status, NEW.is_demo, NEW.outcome, NEW.sentiment_label))
          EXECUTE FUNCTION call_counts_apply()
        """,
        """
        INSERT INTO call_counts
          SELECT (created_at AT TIME ZONE 'UTC')::date, agent_id, direction, status, is_demo, COALESCE(outcome, ''),
            COALESCE(sentiment_label, ''), COUNT(*)
          FROM calls GROUP BY 1, 2, 3, 4, 5, 6, 7
        """,
    ]
}
