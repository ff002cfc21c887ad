import CallPipeCore
import GRDB

extension SQLiteCallStore {
    /// v9: the calls' source, and the connectors' tables. At most one running sync per connector,
    /// kept by a partial unique index. The columns the KPIs and agent activity count are also in
    /// two covering indexes, in the order they group by: a month is read from the index alone, in
    /// order, never from the table, whose rows carry the vendor's whole JSON (a bot conversation's
    /// transcript; a scan of 13,000 calls took 100 ms).
    static func migrateV9(_ db: Database) throws {
        try db.alter(table: "calls") { table in
            table.add(column: "source", .text).notNull().defaults(to: ConnectorKind.ownSource)
        }
        try db.create(index: "calls_by_source", on: "calls", columns: ["source", "created_at"])
        try db.execute(
            sql: """
                CREATE TABLE connector_settings (
                  kind TEXT PRIMARY KEY, enabled BOOLEAN NOT NULL, sealed_api_key TEXT, api_key_mask TEXT,
                  target_id TEXT, base_url TEXT, schedule TEXT NOT NULL, paused_reason TEXT,
                  updated_at DATETIME NOT NULL);
                CREATE TABLE sync_runs (
                  id TEXT PRIMARY KEY, kind TEXT NOT NULL, trigger TEXT NOT NULL, status TEXT NOT NULL,
                  window_from DATETIME NOT NULL, window_to DATETIME NOT NULL, cursor TEXT,
                  pages INTEGER NOT NULL, requests INTEGER NOT NULL, calls_new INTEGER NOT NULL,
                  calls_updated INTEGER NOT NULL, calls_failed INTEGER NOT NULL, error TEXT,
                  started_at DATETIME NOT NULL, finished_at DATETIME, holder TEXT, lease_until DATETIME);
                CREATE INDEX sync_runs_by_time ON sync_runs (kind, started_at);
                CREATE UNIQUE INDEX sync_runs_one_running ON sync_runs (kind) WHERE status = 'running';
                CREATE TABLE imported_calls (
                  vendor TEXT NOT NULL, vendor_id TEXT NOT NULL,
                  call_id TEXT NOT NULL UNIQUE REFERENCES calls ON DELETE CASCADE,
                  started_at DATETIME NOT NULL, started_day INTEGER NOT NULL, json TEXT NOT NULL,
                  audio_state TEXT NOT NULL, audio_error TEXT,
                  agent_id TEXT, agent_name TEXT, agent_email TEXT, direction TEXT NOT NULL, status TEXT NOT NULL,
                  duration_s REAL NOT NULL, bot_outcome TEXT, bot_technical_error BOOLEAN, bot_transferred BOOLEAN,
                  bot_dropped_out BOOLEAN, bot_messages INTEGER, bot_cost REAL, bot_rating REAL, bot_criteria TEXT,
                  updated_at DATETIME NOT NULL, PRIMARY KEY (vendor, vendor_id));
                CREATE INDEX imported_calls_by_time ON imported_calls (vendor, started_at);
                CREATE INDEX imported_calls_bot_figures ON imported_calls (
                  started_day, direction, bot_outcome, bot_criteria, started_at, duration_s, bot_transferred,
                  bot_dropped_out, bot_technical_error, bot_messages, bot_cost, bot_rating);
                CREATE INDEX imported_calls_agent_figures ON imported_calls (
                  started_day, vendor, agent_id, direction, status, started_at, duration_s, agent_name, agent_email);
                CREATE INDEX imported_calls_awaiting_audio ON imported_calls (vendor, started_at)
                  WHERE audio_state = 'pending';
                CREATE TABLE schedule_fires (
                  name TEXT PRIMARY KEY, last_fire DATETIME NOT NULL, holder TEXT NOT NULL,
                  claimed_at DATETIME NOT NULL);
                CREATE TABLE archives (
                  month TEXT PRIMARY KEY, file_name TEXT NOT NULL, location TEXT NOT NULL, calls INTEGER NOT NULL,
                  bytes INTEGER NOT NULL, sha256 TEXT NOT NULL, created_at DATETIME NOT NULL);
                """)
    }
}
