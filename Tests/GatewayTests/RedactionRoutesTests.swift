import AIClients
import CallPipeCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLiteStore
import Testing

@testable import Gateway

/// What a call shows of its redaction, and the admin audit (docs/redaction.md).
@Suite("Redaction: the call's record and the admin audit", .timeLimit(.minutes(1)))
struct RedactionRoutesTests {
    static let redaction = RecordingRedaction(
        mode: "text+audio", counts: ["card_number": 1],
        spans: [.init(kind: "card_number", speaker: "customer", startS: 12.5, endS: 18.4, wordTimed: true)],
        audio: .init(mutedSpans: 1, mutedS: 6.5, fill: "silence", original: "deleted"),
        decisions: [
            .init(
                outcome: "card_number", reason: "card", speaker: "customer", startS: 12.06, length: 16,
                valueHash: "0123456789abcdef"),
            .init(
                outcome: "kept", reason: "decoy", speaker: "agent", startS: 31, length: 5, valueHash: "fedcba9876543210"
            ),
        ],
        replacement: .init(
            location: "/data/recordings/call_r/rec_r-redacted-1.flac", bytes: 10, contentType: "audio/flac",
            format: "flac", codec: "flac", originalLocation: "/data/recordings/call_r/rec_r.mp3", sealedOriginal: nil))

    func seeded() async throws -> GatewayTestApp {
        let app = try await GatewayTestApp()
        let now = Date()
        try await app.store.insertCall(StoredCall(id: "call_r", agentID: "ann", createdAt: now))
        _ = try await app.store.insertRecording(
            StoredRecording(
                id: "rec_r", callID: "call_r", path: "/data/recordings/call_r/rec_r.mp3", bytes: 1,
                contentType: "audio/mpeg", format: "mp3", codec: "mp3", createdAt: now),
            firstStage: .transcribe, now: now)
        let job = try #require(try await app.store.claimJob(now: now, lease: 60))
        let transcript = Transcript(segments: [
            TranscriptSegment(speaker: "customer", startS: 12.06, endS: 17.96, text: "It is [CARD_NUMBER].")
        ])
        try await app.store.completeJob(
            job, output: .transcript(recordingID: "rec_r", transcript, redaction: Self.redaction), next: nil, now: now)
        return app
    }

    @Test func theCallShowsKindsCountsAndSpansAndItsRecordingIsTheRedactedFile() async throws {
        let app = try await seeded()
        // Stored in the transaction of the lines: the recording's row points to the redacted file,
        // and the original waits in the store's list until the worker has deleted it.
        let recording = try #require(try await app.store.recordings(callID: "call_r").first)
        #expect(recording.path.hasSuffix("rec_r-redacted-1.flac") && recording.format == "flac")
        #expect(try await app.store.redactedOriginals().map(\.location) == ["/data/recordings/call_r/rec_r.mp3"])
        try await app.store.forgetRedactedOriginal(recordingID: "rec_r")
        #expect(try await app.store.redactedOriginals().isEmpty)
        try await app.test { client in
            try await client.execute(uri: "/api/calls/call_r", method: .get, headers: app.headers("ann")) { response in
                #expect(response.status == .ok)
                let body = try GatewayTestApp.json(response)
                let redaction = try #require(body["redaction"] as? [String: Any])
                #expect(redaction["mode"] as? String == "text+audio")
                #expect(redaction["counts"] as? [String: Int] == ["card_number": 1])
                let spans = try #require(redaction["spans"] as? [[String: Any]])
                #expect(spans.first?["kind"] as? String == "card_number")
                #expect(spans.first?["recording_id"] as? String == "rec_r")
                #expect((redaction["audio"] as? [[String: Any]])?.first?["original"] as? String == "deleted")
                // The audit is not in what agents and supervisors read.
                let text = String(buffer: response.body)
                #expect(
                    !text.contains("value_hash") && !text.contains("decisions") && !text.contains("original_location"))
            }
        }
    }

    @Test func onlyAdminsReadTheAudit() async throws {
        let app = try await seeded()
        try await app.test { client in
            for who in ["ann", "supervisor"] {
                try await client.execute(uri: "/api/calls/call_r/redactions", method: .get, headers: app.headers(who)) {
                    #expect($0.status == .forbidden, "\(who)")
                }
            }
            try await client.execute(
                uri: "/api/calls/call_nope/redactions", method: .get, headers: app.headers("admin")
            ) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/api/calls/call_r/redactions", method: .get, headers: app.headers("admin")) {
                response in
                #expect(response.status == .ok)
                let body = try GatewayTestApp.json(response)
                #expect(body["call_id"] as? String == "call_r")
                let recordings = try #require(body["recordings"] as? [[String: Any]])
                let decisions = try #require(recordings.first?["decisions"] as? [[String: Any]])
                #expect(decisions.compactMap { $0["outcome"] as? String } == ["card_number", "kept"])
                #expect(decisions.compactMap { $0["reason"] as? String } == ["card", "decoy"])
                #expect(recordings.first?["original_sealed"] as? Bool == false)
                #expect(!String(buffer: response.body).contains("/data/recordings"), "no server path")
            }
        }
    }

    @Test func aCallThatWasNotRedactedSaysNull() async throws {
        let app = try await GatewayTestApp()
        try await app.store.insertCall(StoredCall(id: "call_plain", agentID: "ann", createdAt: Date()))
        try await app.test { client in
            try await client.execute(uri: "/api/calls/call_plain", method: .get, headers: app.headers("ann")) {
                response in
                let body = try GatewayTestApp.json(response)
                #expect(body.keys.contains("redaction") && body["redaction"] is NSNull)
            }
        }
    }
}
