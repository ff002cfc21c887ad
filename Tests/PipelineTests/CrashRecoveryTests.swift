import AIClients
import Foundation
import GRDB
import Logging
import Testing

@testable import CRM
@testable import CallPipeCore
@testable import Pipeline
@testable import SQLiteStore

@Suite("A job that kills the process cannot kill it again", .timeLimit(.minutes(3)))
struct CrashRecoveryTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let reason = "the process stopped while processing this recording 3 times"

    static func store(recordings: [String] = ["r1"]) async throws -> SQLiteCallStore {
        let store = try SQLiteCallStore()
        try await store.insertCall(StoredCall(id: "c1", agentID: "ann", createdAt: now, endedAt: now))
        for (index, id) in recordings.enumerated() {
            _ = try await store.insertRecording(
                StoredRecording(
                    id: id, callID: "c1", path: "/data/recordings/c1/\(id).mp3", bytes: 1, contentType: "audio/mpeg",
                    format: "mp3", codec: "mp3", createdAt: now),
                firstStage: .analyze, now: now + Double(index))
        }
        return store
    }

    /// A process claims the next job and dies; the next one starts and recovers.
    static func crashAndRestart(_ store: SQLiteCallStore, maxCrashes: Int = 3) async throws
        -> InterruptedWork<PipelineJob>
    {
        _ = try #require(try await store.claimJob(now: now + 100, lease: 60))
        return try await store.requeueRunningJobs(now: now + 100, maxCrashes: maxCrashes)
    }

    @Test func aJobRunningWhenTheProcessDiedIsQueuedAgainWithTheCrashCounted() async throws {
        let store = try await Self.store()
        let found = try await Self.crashAndRestart(store)
        #expect(found.requeued.count == 1 && found.abandoned.isEmpty)
        let job = try #require(try await store.jobs(callID: "c1").first)
        #expect(job.state == .queued && job.attempts == 1 && job.crashes == 1 && job.finishedAttempts == 0)
        #expect(try await store.call(id: "c1")?.status == .processing)
    }

    @Test func aJobTheProcessDiedInThreeTimesFailsWithTheReasonAndSoDoesItsCall() async throws {
        let store = try await Self.store()
        _ = try await Self.crashAndRestart(store)
        _ = try await Self.crashAndRestart(store)
        let third = try await Self.crashAndRestart(store)
        #expect(third.requeued.isEmpty && third.abandoned.map(\.stage) == [.analyze])
        let job = try #require(try await store.jobs(callID: "c1").first)
        #expect(job.state == .failed && job.crashes == 3 && job.lastError == Self.reason)
        let call = try #require(try await store.call(id: "c1"))
        #expect(call.status == .failed && call.failureReason == "analyze failed: \(Self.reason)")
        #expect(try await store.claimJob(now: Self.now + 200, lease: 60) == nil, "the job never runs again")
    }

    @Test func theNumberOfCrashesAllowedIsConfigurable() async throws {
        let store = try await Self.store()
        let found = try await Self.crashAndRestart(store, maxCrashes: 1)
        #expect(found.abandoned.count == 1)
        let job = try #require(try await store.jobs(callID: "c1").first)
        #expect(job.lastError == "the process stopped while processing this recording 1 times")
    }

    @Test func theCallsLaterRecordingsStillRunAfterOneOfItsJobsFailedForCrashing() async throws {
        let store = try await Self.store(recordings: ["r1", "r2"])
        for _ in 0..<3 { _ = try await Self.crashAndRestart(store) }
        let next = try #require(try await store.claimJob(now: Self.now + 200, lease: 60))
        #expect(next.recordingID == "r2" && next.stage == .analyze)
        try await store.completeJob(next, output: .none, next: nil, now: Self.now + 201)
        #expect(try await store.call(id: "c1")?.status == .failed, "the call keeps the reason it failed for")
    }

    @Test func aGracefulShutdownQueuesItsJobsAgainWithoutCountingThem() async throws {
        let store = try await Self.store()
        _ = try #require(try await store.claimJob(now: Self.now, lease: 60))
        #expect(try await store.releaseRunningJobs(now: Self.now + 1) == 1)
        let job = try #require(try await store.jobs(callID: "c1").first)
        #expect(job.state == .queued && job.attempts == 0 && job.crashes == 0)
        #expect(try await store.requeueRunningJobs(now: Self.now + 2, maxCrashes: 3) == InterruptedWork())
    }

    @Test(.timeLimit(.minutes(1)))
    func crashesDoNotUseUpTheRetriesOfRateLimits() async throws {
        let store = try SQLiteCallStore()
        let now = Date()
        try await store.insertCall(StoredCall(id: "c1", agentID: "ann", createdAt: now, endedAt: now))
        _ = try await store.insertRecording(
            StoredRecording(
                id: "r1", callID: "c1", path: PipelineFixtures.path("call.mp3"), bytes: 1, contentType: "audio/mpeg",
                format: "mp3", codec: "mp3", createdAt: now),
            firstStage: .transcribe, now: now)
        // The transcribe job was running twice when the process died...
        for _ in 0..<2 {
            _ = try #require(try await store.claimJob(now: Date(), lease: 60))
            _ = try await store.requeueRunningJobs(now: Date(), maxCrashes: 3)
        }
        // ...and its next attempt is rate limited: with two attempts allowed, it is retried.
        var worker = PipelineWorkerTests.worker(store, transcriber: FlakyTranscriber(failures: 100))
        worker.configuration.maxAttempts = 2
        #expect(try await worker.processNextJob())
        let transcribe = try #require(try await store.jobs(callID: "c1").first)
        #expect(transcribe.attempts == 3 && transcribe.crashes == 2 && transcribe.finishedAttempts == 1)
        #expect(transcribe.state == .queued && transcribe.lastError?.contains("429") == true)
        #expect(try await store.call(id: "c1")?.status == .processing)
    }

    @Test func aRateLimitedJobThatCrashedStillRetriesOnItsOwnBudget() async throws {
        let store = try await Self.store()
        _ = try await Self.crashAndRestart(store)
        _ = try await Self.crashAndRestart(store)
        let job = try #require(try await store.claimJob(now: Self.now + 200, lease: 60))
        #expect(job.attempts == 3 && job.crashes == 2 && job.finishedAttempts == 1)
    }

    /// A call with one CRM delivery queued, the way a final summary queues it.
    static func storeWithDelivery() async throws -> SQLiteCallStore {
        let store = try SQLiteCallStore()
        try await store.insertCall(StoredCall(id: "c1", agentID: "ann", createdAt: now, endedAt: now))
        try await store.database.write { db in
            try SQLiteCallStore.queueDeliveries(
                callID: "c1", targets: [CRMTargetRef(id: "webhook", kind: .webhook)], db: db, now: now)
        }
        return store
    }

    @Test func aDeliveryTheProcessDiedSendingThreeTimesIsDeadLetteredWithTheReason() async throws {
        let store = try await Self.storeWithDelivery()
        for round in 1...3 {
            _ = try #require(try await store.claimDelivery(now: Self.now, lease: 60))
            let found = try await store.requeueSendingDeliveries(now: Self.now, maxCrashes: 3)
            #expect(found.requeued.count == (round < 3 ? 1 : 0) && found.abandoned.count == (round < 3 ? 0 : 1))
        }
        let delivery = try #require(try await store.deliveries(callID: "c1").first)
        #expect(delivery.state == .dead && delivery.crashes == 3)
        #expect(delivery.lastError == "the process stopped while sending this delivery 3 times")
        #expect(try await store.claimDelivery(now: Self.now + 1, lease: 60) == nil)
    }

    @Test func aDeliveryCutShortByAGracefulShutdownIsSentAgainWithoutCountingIt() async throws {
        let store = try await Self.storeWithDelivery()
        _ = try #require(try await store.claimDelivery(now: Self.now, lease: 60))
        #expect(try await store.releaseSendingDeliveries(now: Self.now) == 1)
        let delivery = try #require(try await store.claimDelivery(now: Self.now, lease: 60))
        #expect(delivery.attempts == 1 && delivery.crashes == 0)
    }

    @Test func theFileDatabaseFsyncsEveryCommit() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteCallStore(path: directory.appendingPathComponent("callpipe.sqlite").path)
        #expect(try await store.synchronousMode() == 2, "PRAGMA synchronous = FULL")
    }
}
