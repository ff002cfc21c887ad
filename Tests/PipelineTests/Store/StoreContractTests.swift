import AIClients
import Audio
import Foundation
import Testing

@testable import CallPipeCore

@Suite("Store contract: every backend gives the same answers", .timeLimit(.minutes(3)))
struct StoreContractTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func call(_ id: String, agent: String = "agent-1", at offset: TimeInterval = 0) -> StoredCall {
        StoredCall(
            id: id, agentID: agent, customerID: "cust-9", metadata: ["zendesk_ticket": "42"], createdAt: now + offset)
    }

    static func recording(_ id: String, call: String, key: String? = nil) -> StoredRecording {
        StoredRecording(
            id: id, callID: call, path: "/data/recordings/\(id).mp3", bytes: 1_000, contentType: "audio/mpeg",
            format: "mp3",
            codec: "mp3", idempotencyKey: key, createdAt: now)
    }

    @Test(arguments: StoreBackend.allCases)
    func pagesAndFiltersHistory(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            for index in 0..<25 {
                try await store.insertCall(
                    Self.call("c\(index)", agent: index % 2 == 0 ? "ann" : "bob", at: Double(index) * 60))
            }
            try await store.updateCall(id: "c3", status: .done, failureReason: nil, endedAt: Self.now + 500)
            let first = try await store.history(.init(page: 1, pageSize: 10))
            #expect(first.total == 25 && first.calls.count == 10 && first.calls.first?.id == "c24")
            let third = try await store.history(.init(page: 3, pageSize: 10))
            #expect(third.calls.map(\.id) == ["c4", "c3", "c2", "c1", "c0"])
            #expect(try await store.history(.init(filter: .init(agentID: "bob"))).total == 12)
            #expect(try await store.history(.init(filter: .init(status: .done))).calls.map(\.id) == ["c3"])
            let window = try await store.history(.init(filter: .init(from: Self.now + 60, to: Self.now + 180)))
            #expect(window.calls.map(\.id) == ["c2", "c1"])
            await #expect(throws: CallPipeError.self) {
                try await store.updateCall(id: "nope", status: .done, failureReason: nil, endedAt: nil)
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func numbersRecordingsAndHonoursIdempotencyKeys(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.insertCall(Self.call("c1"))
            let first = try await store.insertRecording(
                Self.recording("r1", call: "c1", key: "upload-1"), firstStage: .analyze, now: Self.now)
            let again = try await store.insertRecording(
                Self.recording("r2", call: "c1", key: "upload-1"), firstStage: .analyze, now: Self.now)
            let second = try await store.insertRecording(
                Self.recording("r3", call: "c1"), firstStage: .analyze, now: Self.now)
            #expect(first.created && first.recording.sequence == 1)
            #expect(!again.created && again.recording.id == "r1")
            #expect(second.recording.sequence == 2)
            #expect(try await store.recordings(callID: "c1").map(\.id) == ["r1", "r3"])
            #expect(try await store.jobs(callID: "c1").count == 2)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func runsEachStageOnceAndResumesAfterALostWorker(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.insertCall(Self.call("c1"))
            _ = try await store.insertRecording(Self.recording("r1", call: "c1"), firstStage: .analyze, now: Self.now)
            let claimed = try #require(try await store.claimJob(now: Self.now, lease: 60))
            #expect(claimed.stage == .analyze && claimed.state == .running && claimed.attempts == 1)
            #expect(try await store.call(id: "c1")?.status == .processing)
            #expect(try await store.claimJob(now: Self.now + 30, lease: 60) == nil)
            // The worker died: after the lease the job is claimed again, and the dead worker's late
            // completion is refused so the stage's output is written once.
            let reclaimed = try #require(try await store.claimJob(now: Self.now + 61, lease: 60))
            #expect(reclaimed.id == claimed.id && reclaimed.attempts == 2)
            await #expect(throws: CallPipeError.self) {
                try await store.completeJob(claimed, output: .none, next: .transcribe, now: Self.now + 62)
            }
            let analysis = try await RecordingAnalyzer().analyze(PipelineFixtures.path("excerpt-s16.wav"))
            try await store.completeJob(
                reclaimed, output: .analysis(recordingID: "r1", analysis), next: .transcribe, now: Self.now + 62)
            let next = try #require(try await store.claimJob(now: Self.now + 63, lease: 60))
            #expect(next.stage == .transcribe && next.recordingID == "r1")
            #expect(try await store.outputs(callID: "c1").analyses["r1"] == analysis)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func retriesThenFailsTheCallWithTheReason(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.insertCall(Self.call("c1"))
            _ = try await store.insertRecording(
                Self.recording("r1", call: "c1"), firstStage: .transcribe, now: Self.now)
            let job = try #require(try await store.claimJob(now: Self.now, lease: 60))
            try await store.failJob(job, error: "rate limited", retryAt: Self.now + 30, now: Self.now)
            #expect(try await store.claimJob(now: Self.now + 10, lease: 60) == nil)
            let retry = try #require(try await store.claimJob(now: Self.now + 31, lease: 60))
            // A worker whose claim was lost (its lease ran out and the job was claimed again) can
            // neither fail nor complete the job.
            await #expect(throws: CallPipeError.self) {
                try await store.failJob(job, error: "late", retryAt: nil, now: Self.now + 32)
            }
            await #expect(throws: CallPipeError.self) {
                try await store.completeJob(job, output: .none, next: nil, now: Self.now + 32)
            }
            try await store.failJob(retry, error: "quota exceeded", retryAt: nil, now: Self.now + 32)
            let call = try #require(try await store.call(id: "c1"))
            #expect(call.status == .failed && call.failureReason == "transcribe failed: quota exceeded")
            #expect(try await store.jobs(callID: "c1").first?.state == .failed)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func processesACallsRecordingsInOrder(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.insertCall(Self.call("c1"))
            _ = try await store.insertRecording(
                Self.recording("r1", call: "c1"), firstStage: .analyze, now: Self.now + 5)
            _ = try await store.insertRecording(Self.recording("r2", call: "c1"), firstStage: .analyze, now: Self.now)
            let first = try #require(try await store.claimJob(now: Self.now + 10, lease: 60))
            #expect(first.recordingID == "r1")
            #expect(try await store.claimJob(now: Self.now + 10, lease: 60) == nil)
            try await store.completeJob(first, output: .none, next: nil, now: Self.now + 11)
            #expect(try await store.claimJob(now: Self.now + 12, lease: 60)?.recordingID == "r2")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func storesTranscriptsAndSummaryVersionsAndSearchesThem(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.insertCall(Self.call("c1"))
            try await store.insertCall(Self.call("c2"))
            _ = try await store.insertRecording(
                Self.recording("r1", call: "c1"), firstStage: .transcribe, now: Self.now)
            let job = try #require(try await store.claimJob(now: Self.now, lease: 60))
            let transcript = Transcript(segments: [
                TranscriptSegment(
                    speaker: "customer", startS: 6, endS: 9, text: "My internet keeps dropping every evening.",
                    confidence: 0.8),
                TranscriptSegment(
                    speaker: "agent", startS: 0.6, endS: 5, text: "Thank you for calling Acme support.",
                    words: [
                        TranscriptWord(word: "Thank", startS: 0.6, endS: 0.9),
                        TranscriptWord(word: "you", startS: 0.9, endS: 1.1),
                    ]),
            ])
            try await store.completeJob(
                job, output: .transcript(recordingID: "r1", transcript), next: .summarize, now: Self.now)
            let summarize = try #require(try await store.claimJob(now: Self.now, lease: 60))
            let insights = try await HeuristicCallAnalyzer().analyze(transcript, context: .init(durationS: 10)).insights
            try await store.completeJob(summarize, output: .summary(insights, isFinal: true), next: nil, now: Self.now)
            let outputs = try await store.outputs(callID: "c1")
            #expect(outputs.transcript.segments.map(\.speaker) == ["agent", "customer"])
            #expect(outputs.transcript.segments.map(\.words) == [transcript.segments[1].words, nil])
            #expect(try await store.transcript(recordingID: "r1") == transcript)
            #expect(
                outputs.summaries.map(\.version) == [1] && outputs.summaries[0].isFinal
                    && outputs.summaries[0].insights == insights)
            #expect(try await store.call(id: "c1")?.status == .done)
            let hits = try await store.search("dropp", limit: 10)
            #expect(hits.first?.callID == "c1" && hits.first?.snippet.contains("[dropping]") == true)
            #expect(
                try await store.search("acme supp", limit: 10).contains {
                    $0.callID == "c1" && $0.kind == "transcript"
                })
            // Only the last word is a prefix (the one being typed): "acm" is not a word of the call.
            #expect(try await store.search("acm support", limit: 10).isEmpty)
            #expect(try await store.search("\"unbalanced NEAR( * quote", limit: 10).isEmpty)
            #expect(try await store.search("", limit: 10).isEmpty)
        }
    }

    /// The redaction's record and the redacted recording are stored with the lines, in one
    /// transaction; the enrich stage's lines (no record) leave it; the original waits in the list
    /// until it is forgotten (docs/redaction.md).
    @Test(arguments: StoreBackend.allCases)
    func storesTheRedactionWithTheLinesAndListsTheOriginalUntilDeleted(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.insertCall(Self.call("c1"))
            _ = try await store.insertRecording(
                Self.recording("r1", call: "c1"), firstStage: .transcribe, now: Self.now)
            let original = try #require(try await store.recordings(callID: "c1").first).path
            let redaction = RecordingRedaction(
                mode: "text+audio", counts: ["card_number": 1],
                spans: [.init(kind: "card_number", speaker: "customer", startS: 6, endS: 9, wordTimed: false)],
                audio: .init(mutedSpans: 1, mutedS: 3.6, fill: "silence", original: "deleted"),
                decisions: [
                    .init(
                        outcome: "card_number", reason: "card", speaker: "customer", startS: 6, length: 16,
                        valueHash: "00112233445566ff")
                ],
                replacement: .init(
                    location: "/tmp/r1-redacted.flac", bytes: 42, contentType: "audio/flac", format: "flac",
                    codec: "flac", originalLocation: original, sealedOriginal: nil))
            let transcript = Transcript(segments: [
                TranscriptSegment(speaker: "customer", startS: 6, endS: 9, text: "It's [CARD_NUMBER].")
            ])
            let job = try #require(try await store.claimJob(now: Self.now, lease: 60))
            try await store.completeJob(
                job, output: .transcript(recordingID: "r1", transcript, redaction: redaction), next: .enrich,
                now: Self.now)
            let recording = try #require(try await store.recordings(callID: "c1").first)
            #expect(recording.path == "/tmp/r1-redacted.flac" && recording.bytes == 42 && recording.format == "flac")
            #expect(try await store.outputs(callID: "c1").redactions == ["r1": redaction])
            #expect(try await store.redactedOriginals().map(\.location) == [original])
            // The enrich stage stores the lines again without a record: the record stays.
            let enrich = try #require(try await store.claimJob(now: Self.now, lease: 60))
            try await store.completeJob(
                enrich, output: .transcript(recordingID: "r1", transcript), next: nil, now: Self.now)
            #expect(try await store.outputs(callID: "c1").redactions["r1"] == redaction)
            try await store.forgetRedactedOriginal(recordingID: "r1")
            #expect(try await store.redactedOriginals().isEmpty)
            #expect(try await store.outputs(callID: "c1").redactions["r1"]?.counts == ["card_number": 1])
        }
    }

    /// An agent's search is scoped before the limit: 150 newer matching calls of another agent
    /// do not hide the agent's own match (they did when the scope was applied to the first 100).
    @Test(arguments: StoreBackend.allCases)
    func searchScopesToAnAgentBeforeItsLimit(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let line = { (text: String) in
                Transcript(segments: [TranscriptSegment(speaker: "agent", startS: 0, endS: 2, text: text)])
            }
            var rows = [(Self.call("ann-1", agent: "ann"), line("the router keeps dropping"))]
            rows += (0..<150).map { (Self.call("bob-\($0)", agent: "bob", at: Double($0) + 1), line("a router reset")) }
            try await store.insertFinishedCalls(rows)
            let annHits = try await store.search("router", agentID: "ann", limit: 100)
            #expect(annHits.map(\.callID) == ["ann-1"])
            let everyone = try await store.search("router", limit: 100)
            #expect(everyone.count == 100 && !everyone.contains { $0.callID == "ann-1" })
            #expect(try await store.search("router", agentID: "carol", limit: 100).isEmpty)
            #expect(
                try await store.search("router", agentID: "bob", limit: 10).allSatisfy { $0.callID.hasPrefix("bob-") })
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func findsActiveAPIKeysByHashOnly(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.insertAPIKey(
                StoredAPIKey(id: "k1", hash: "abc", role: .agent, agentID: "ann", createdAt: Self.now))
            try await store.insertAPIKey(
                StoredAPIKey(
                    id: "k2", hash: "def", role: .admin, agentID: nil, createdAt: Self.now, revokedAt: Self.now))
            #expect(try await store.apiKey(hash: "abc")?.agentID == "ann")
            #expect(try await store.apiKey(hash: "def") == nil)
            #expect(try await store.apiKey(hash: "nope") == nil)
        }
    }
}
