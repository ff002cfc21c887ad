import AIClients
import CallPipeCore
package import DemoData
import Foundation
import GRDB

/// Demo data: whole calls written in batches, as the pipeline would have left them.
extension SQLiteCallStore {
    /// Inserts generated calls (one transaction per batch): call, a placeholder recording (no
    /// audio: `format` "demo"), analysis, transcript, final summary and cost — so the dashboard,
    /// analytics, history and search all have something to show.
    package func insertDemoCalls(_ calls: [DemoCall]) async throws {
        for start in stride(from: 0, to: calls.count, by: 2_000) {
            let batch = Array(calls[start..<min(calls.count, start + 2_000)])
            try await write { db in
                for demo in batch {
                    try demo.call.insert(db)
                    let recording = "rec_\(demo.call.id)"
                    try db.execute(
                        sql: """
                            INSERT INTO recordings (id, call_id, sequence, path, bytes, content_type, format, codec, created_at)
                            VALUES (?, ?, 1, '', 0, 'application/x-demo', 'demo', 'demo', ?)
                            """, arguments: [recording, demo.call.id, demo.call.createdAt])
                    let now = demo.call.endedAt ?? demo.call.createdAt
                    try Self.save(
                        .analysis(recordingID: recording, demo.analysis), callID: demo.call.id, db: db, now: now)
                    if !demo.transcript.segments.isEmpty {
                        try Self.save(
                            .transcript(recordingID: recording, demo.transcript), callID: demo.call.id, db: db, now: now
                        )
                    }
                    try Self.save(.summary(demo.insights, isFinal: true), callID: demo.call.id, db: db, now: now)
                    try db.execute(
                        sql: "UPDATE calls SET cost_usd = ? WHERE id = ?", arguments: [demo.costUSD, demo.call.id])
                }
            }
        }
    }

    /// Removes every demo call (and, through the foreign keys, what hangs off it); returns how many.
    package func deleteDemoCalls() async throws -> Int {
        try await write { db in
            try db.execute(
                sql: """
                    DELETE FROM call_search WHERE rowid IN (SELECT fts_rowid FROM call_search_rows
                      WHERE call_id IN (SELECT id FROM calls WHERE is_demo = 1))
                    """)
            try db.execute(
                sql: "DELETE FROM call_search_rows WHERE call_id IN (SELECT id FROM calls WHERE is_demo = 1)")
            try db.execute(
                sql: "DELETE FROM transcript_segments WHERE call_id IN (SELECT id FROM calls WHERE is_demo = 1)")
            try db.execute(sql: "DELETE FROM analyses WHERE call_id IN (SELECT id FROM calls WHERE is_demo = 1)")
            try db.execute(sql: "DELETE FROM calls WHERE is_demo = 1")
            let removed = db.changesCount
            // The topic roll-up cannot follow topics deleted with their call: count it again.
            try Self.rebuildRollups(db)
            return removed
        }
    }
}
