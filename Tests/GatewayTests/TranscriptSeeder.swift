import AIClients
import CallPipeCore
import Foundation
import SQLiteStore

/// Puts a transcript and a summary on a call through the store's own job path.
enum TranscriptSeeder {
    static func seed(_ store: SQLiteCallStore, callID: String) async throws {
        let now = Date()
        _ = try await store.insertRecording(
            StoredRecording(
                id: "rec_seed_\(callID)", callID: callID, path: "/dev/null", bytes: 1, contentType: "audio/wav",
                format: "wav",
                codec: "pcm_s16le", createdAt: now),
            firstStage: .transcribe, now: now)
        let transcript = Transcript(segments: [
            TranscriptSegment(speaker: "agent", startS: 0.6, endS: 5.38, text: "Thank you for calling."),
            TranscriptSegment(
                speaker: "customer", startS: 6, endS: 9, text: "My router keeps dropping the connection."),
        ])
        guard let job = try await store.claimJob(now: now, lease: 60) else { return }
        try await store.completeJob(
            job, output: .transcript(recordingID: "rec_seed_\(callID)", transcript), next: .summarize, now: now)
        guard let summarize = try await store.claimJob(now: now, lease: 60) else { return }
        let insights = try await HeuristicCallAnalyzer().analyze(transcript, context: .init(durationS: 10)).insights
        try await store.completeJob(summarize, output: .summary(insights, isFinal: false), next: nil, now: now)
    }
}
