package import CallPipeCore
package import Foundation
import PostgresNIO

/// The cluster's live calls on PostgreSQL (`live_calls`, migration v3).
extension PostgresCallStore: LiveCallRegistry {
    package func claimLiveCall(
        _ callID: String, node: String, clusterLimit: Int?, staleAfter: Double, now: Date
    ) async throws {
        try await write { connection in
            // One claim at a time across the cluster: the limit's count and the insert are one step.
            try await connection.run("SELECT pg_advisory_xact_lock(hashtext('callpipe_live_calls'))", logger: logger)
            let held = try await connection.run(
                "UPDATE live_calls SET node_id = \(node), heartbeat_at = \(now) WHERE call_id = \(callID) RETURNING 1",
                logger: logger)
            guard held == 0 else { return }
            if let clusterLimit {
                let cutoff = now.addingTimeInterval(-staleAfter)
                let live =
                    try await connection.rows(
                        "SELECT COUNT(*) AS n FROM live_calls WHERE heartbeat_at >= \(cutoff)", logger: logger
                    ).first?.value("n", as: Int.self) ?? 0
                guard live < clusterLimit else {
                    throw CallPipeError(
                        .capacity,
                        "the cluster is streaming its limit of \(clusterLimit) live calls (CALLPIPE_LIVE_CLUSTER_MAX_CALLS); try again later"
                    )
                }
            }
            try await connection.run(
                "INSERT INTO live_calls (call_id, node_id, heartbeat_at) VALUES (\(callID), \(node), \(now))",
                logger: logger)
        }
    }

    package func heartbeatLiveCalls(_ callIDs: [String], node: String, now: Date) async throws -> [String] {
        guard !callIDs.isEmpty else { return [] }
        let kept = try await write { connection in
            try await connection.rows(
                """
                UPDATE live_calls SET heartbeat_at = \(now)
                WHERE node_id = \(node) AND call_id = ANY(\(callIDs)) RETURNING call_id
                """, logger: logger
            ).map { try $0.value("call_id", as: String.self) }
        }
        return callIDs.filter { !kept.contains($0) }
    }

    package func releaseLiveCall(_ callID: String, node: String) async throws {
        try await write { connection in
            try await connection.run(
                "DELETE FROM live_calls WHERE call_id = \(callID) AND node_id = \(node)", logger: logger)
        }
    }

    package func takeStaleLiveCalls(staleAfter: Double, node: String, lease: Double, now: Date) async throws
        -> [String]
    {
        let cutoff = now.addingTimeInterval(-staleAfter)
        let until = now.addingTimeInterval(lease)
        return try await write { connection in
            try await connection.rows(
                """
                UPDATE live_calls SET node_id = \(node), heartbeat_at = \(until) WHERE call_id IN (
                  SELECT call_id FROM live_calls WHERE heartbeat_at < \(cutoff) FOR UPDATE SKIP LOCKED)
                RETURNING call_id
                """, logger: logger
            ).map { try $0.value("call_id", as: String.self) }
        }
    }

    package func addLiveCallPart(_ part: LiveCallPart) async throws {
        try await write { connection in
            try await connection.run(
                """
                INSERT INTO live_call_parts
                  (recording_id, part, call_id, location, start_frame, frames, sample_rate, channels, created_at)
                VALUES (\(part.recordingID), \(part.index), \(part.callID), \(part.location), \(part.startFrame),
                  \(part.frames), \(part.sampleRate), \(part.channels), \(part.createdAt))
                ON CONFLICT (recording_id, part) DO NOTHING
                """, logger: logger)
        }
    }

    package func liveCallParts(callID: String) async throws -> [LiveCallPart] {
        try await read { connection in
            try await connection.rows(
                "SELECT * FROM live_call_parts WHERE call_id = \(callID) ORDER BY recording_id, part", logger: logger
            ).map { row in
                LiveCallPart(
                    callID: try row.value("call_id"), recordingID: try row.value("recording_id"),
                    index: try row.value("part"), location: try row.value("location"),
                    startFrame: try row.value("start_frame"), frames: try row.value("frames"),
                    sampleRate: try row.value("sample_rate"), channels: try row.value("channels"),
                    createdAt: try row.value("created_at"))
            }
        }
    }

    package func removeLiveCallParts(recordingID: String) async throws {
        try await write { connection in
            try await connection.run(
                "DELETE FROM live_call_parts WHERE recording_id = \(recordingID)", logger: logger)
        }
    }
}
