import AIClients
import Audio
import Foundation
import Logging
import ServiceLifecycle
import Testing

@testable import CallPipeCore
@testable import Pipeline
@testable import SQLiteStore

/// A transcriber that fails the first `failures` calls the way a busy API does.
actor FlakyCounter {
    var calls = 0
    func next() -> Int {
        calls += 1
        return calls
    }
}

struct FlakyTranscriber: Transcriber {
    let inner = ScriptedTranscriber()
    let counter = FlakyCounter()
    var failures: Int
    var error = AIClientError(.rateLimited, "rate limited by the AI server (HTTP 429)", status: 429)

    var name: String { "flaky:test" }

    func transcribe(_ data: Data, filename: String, duration: Double) async throws -> TranscriptionResult {
        if await counter.next() <= failures { throw error }
        return try await inner.transcribe(data, filename: filename, duration: duration)
    }
}

@Suite("Durable pipeline workers", .timeLimit(.minutes(3)))
struct PipelineWorkerTests {
    static let logger = Logger(label: "test")

    static func worker(
        _ store: any JobQueue & CallRepository, transcriber: any Transcriber = ScriptedTranscriber(), lease: Double = 60
    )
        -> PipelineWorkerService
    {
        var configuration = PipelineWorkerConfiguration()
        configuration.lease = lease
        configuration.retryDelay = 0.01
        configuration.pollInterval = 0.02
        return PipelineWorkerService(
            store: store,
            runner: StageRunner(
                store: store, transcriber: transcriber, analyzer: HeuristicCallAnalyzer(), logger: logger),
            configuration: configuration, logger: logger)
    }

    static func callWithRecording(_ store: SQLiteCallStore, file: String = "call.mp3", ended: Bool = true) async throws
    {
        let now = Date()
        try await store.insertCall(StoredCall(id: "c1", agentID: "ann", createdAt: now, endedAt: ended ? now : nil))
        _ = try await store.insertRecording(
            StoredRecording(
                id: "r1", callID: "c1", path: PipelineFixtures.path(file), bytes: 1, contentType: "audio/mpeg",
                format: "mp3",
                codec: "mp3", createdAt: now),
            firstStage: .analyze, now: now)
    }

    /// Runs jobs until none is due.
    static func drain(_ worker: PipelineWorkerService) async throws {
        for _ in 0..<50 where try await worker.processNextJob() {}
    }

    @Test func runsEveryStageAndFinishesTheCall() async throws {
        let store = try SQLiteCallStore()
        try await Self.callWithRecording(store)
        try await Self.drain(Self.worker(store))
        let call = try #require(try await store.call(id: "c1"))
        #expect(call.status == .done)
        let jobs = try await store.jobs(callID: "c1")
        #expect(
            jobs.map(\.stage) == PipelineJob.Stage.allCases && jobs.allSatisfy { $0.state == .done && $0.attempts == 1 }
        )
        let outputs = try await store.outputs(callID: "c1")
        #expect(outputs.analyses["r1"]?.speakers["agent"] != nil)
        #expect(Set(outputs.transcript.segments.map(\.speaker)) == ["agent", "customer"])
        #expect(outputs.transcript.segments.allSatisfy { $0.sentiment != nil })
        #expect(outputs.summaries.last?.isFinal == true && outputs.summaries.last?.insights.analyzer == "heuristic")
    }

    @Test func resumesAJobWhoseWorkerDied() async throws {
        let store = try SQLiteCallStore()
        try await Self.callWithRecording(store)
        // A worker claims the first job and dies without finishing it.
        let clock = TestClock()
        let lost = try #require(try await store.claimJob(now: clock.now(), lease: 60))
        let transcriber = ScriptedTranscriber()
        var worker = Self.worker(store, transcriber: transcriber)
        worker.now = { clock.now() }
        #expect(try await worker.processNextJob() == false, "the lease still holds")
        clock.advance(61)
        try await Self.drain(worker)
        #expect(try await store.call(id: "c1")?.status == .done)
        let analyze = try #require(try await store.jobs(callID: "c1").first { $0.id == lost.id })
        #expect(analyze.state == .done && analyze.attempts == 2)
        // The transcribe stage ran once: one request per chunk of each channel.
        #expect(await transcriber.log.files.count == 2)
    }

    @Test func retriesUpstreamFailuresWithBackoff() async throws {
        let store = try SQLiteCallStore()
        try await Self.callWithRecording(store)
        let worker = Self.worker(store, transcriber: FlakyTranscriber(failures: 2))
        for _ in 0..<20 {
            try await Self.drain(worker)
            if try await store.call(id: "c1")?.status == .done { break }
            try await Task.sleep(for: .milliseconds(30))
        }
        #expect(try await store.call(id: "c1")?.status == .done)
        let transcribe = try #require(try await store.jobs(callID: "c1").first { $0.stage == .transcribe })
        // Both channels' chunks are sent at once, so one attempt may use up one or two failures.
        #expect(transcribe.attempts >= 2 && transcribe.lastError?.contains("429") == true)
    }

    @Test func failsTheCallWithTheReasonOnAPermanentError() async throws {
        let store = try SQLiteCallStore()
        try await Self.callWithRecording(store)
        let quota = AIClientError(.quotaExceeded, "the AI account has no quota left (HTTP 429)", status: 429)
        try await Self.drain(Self.worker(store, transcriber: FlakyTranscriber(failures: 99, error: quota)))
        let call = try #require(try await store.call(id: "c1"))
        #expect(call.status == .failed)
        #expect(call.failureReason == "transcribe failed: the AI account has no quota left (HTTP 429)")
    }

    @Test func failsAnUnreadableRecordingAtOnce() async throws {
        let store = try SQLiteCallStore()
        try await Self.callWithRecording(store, file: "make_fixtures.py")
        try await Self.drain(Self.worker(store))
        let call = try #require(try await store.call(id: "c1"))
        #expect(call.status == .failed && call.failureReason?.contains("not an audio or video file") == true)
        #expect(try await store.jobs(callID: "c1").map(\.attempts) == [1])
    }

    @Test func failsARecordingWhoseTimestampsLeapPastTheLimitAtOnce() async throws {
        let store = try SQLiteCallStore()
        try await Self.callWithRecording(store, file: "hostile/timestamp-leap.mkv")
        try await Self.drain(Self.worker(store))
        let call = try #require(try await store.call(id: "c1"))
        #expect(call.status == .failed)
        #expect(
            call.failureReason?.contains("the recording is longer than the 4 h limit (CALLPIPE_MAX_AUDIO_SECONDS)")
                == true, "\(call.failureReason ?? "")")
        #expect(call.failureReason?.hasPrefix("analyze failed: recording r1: ") == true, "no server path")
        #expect(try await store.jobs(callID: "c1").map(\.attempts) == [1])
    }

    @Test func runsAsAServiceAndStopsOnShutdown() async throws {
        let store = try SQLiteCallStore()
        try await Self.callWithRecording(store)
        let group = ServiceGroup(
            configuration: .init(services: [Self.worker(store)], gracefulShutdownSignals: [], logger: Self.logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for _ in 0..<200 {
                if try await store.call(id: "c1")?.status == .done { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(try await store.call(id: "c1")?.status == .done)
    }
}
