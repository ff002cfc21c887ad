import AIClients
import CallPipeCore
package import DemoData
import Foundation
import PostgresNIO

/// Demo data on PostgreSQL: whole calls written in batches, as the pipeline would have left them.
extension PostgresCallStore {
    /// Inserts generated calls (one transaction per batch of 2,000) with a placeholder recording,
    /// analysis, transcript, final summary and cost, as `SQLiteCallStore.insertDemoCalls` does.
    package func insertDemoCalls(_ calls: [DemoCall]) async throws {
        for start in stride(from: 0, to: calls.count, by: 2_000) {
            let batch = Array(calls[start..<min(calls.count, start + 2_000)])
            try await write { connection in
                for demo in batch {
                    try await Self.insert(demo.call, connection, logger)
                    let recording = "rec_\(demo.call.id)"
                    try await connection.run(
                        """
                        INSERT INTO recordings (id, call_id, sequence, path, bytes, content_type, format, codec, created_at)
                        VALUES (\(recording), \(demo.call.id), 1, '', 0, 'application/x-demo', 'demo', 'demo',
                          \(demo.call.createdAt))
                        """, logger: logger)
                    let now = demo.call.endedAt ?? demo.call.createdAt
                    try await Self.save(
                        .analysis(recordingID: recording, demo.analysis), callID: demo.call.id, now: now, connection,
                        logger)
                    if !demo.transcript.segments.isEmpty {
                        try await Self.save(
                            .transcript(recordingID: recording, demo.transcript), callID: demo.call.id, now: now,
                            connection, logger)
                    }
                    try await Self.save(
                        .summary(demo.insights, isFinal: true), callID: demo.call.id, now: now, connection, logger)
                    try await connection.run(
                        "UPDATE calls SET cost_usd = \(demo.costUSD) WHERE id = \(demo.call.id)", logger: logger)
                }
            }
        }
    }

    /// Removes every demo call and what hangs off it; returns how many.
    package func deleteDemoCalls() async throws -> Int {
        try await write { connection in
            let demo = "SELECT id FROM calls WHERE is_demo"
            for table in ["call_search", "transcript_segments", "analyses"] {
                try await connection.run(
                    PostgresQuery(unsafeSQL: "DELETE FROM \(table) WHERE call_id IN (\(demo))"), logger: logger)
            }
            return try await connection.run("DELETE FROM calls WHERE is_demo RETURNING 1", logger: logger)
        }
    }
}
