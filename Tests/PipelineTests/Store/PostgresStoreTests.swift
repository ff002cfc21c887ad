import AIClients
import EngineTestSupport
import Foundation
import Logging
import MockCRM
import PostgresNIO
import Testing

@testable import CRM
@testable import CallPipeCore
@testable import DemoData
@testable import PostgresStore

/// What only the PostgreSQL store has: several nodes on one database (migrations once, claims
/// shared), its URL, its errors.
@Suite("PostgreSQL store: several nodes on one database", .timeLimit(.minutes(3)))
struct PostgresStoreTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    /// Runs `body` with `count` stores (nodes) on one new database, started together.
    static func nodes<Result: Sendable>(
        _ count: Int, _ body: @Sendable ([PostgresCallStore]) async throws -> Result
    ) async throws -> Result {
        let url = try await PostgresTestServer.shared.newDatabase()
        let stores = try (0..<count).map {
            try PostgresCallStore(url: url, nodeID: "node-\($0)", logger: StoreBackend.logger)
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for store in stores { group.addTask { try await store.run() } }
            defer { group.cancelAll() }
            // Every node migrates at start, at the same time: the advisory lock makes it once.
            try await withThrowingTaskGroup(of: Void.self) { migrations in
                for store in stores { migrations.addTask { try await store.migrate() } }
                try await migrations.waitForAll()
            }
            return try await body(stores)
        }
    }

    @Test func nodesStartingTogetherApplyEachMigrationOnce() async throws {
        try await Self.nodes(4) { stores in
            let applied = try await stores[0].read { connection in
                try await connection.rows("SELECT name FROM callpipe_migrations", logger: StoreBackend.logger)
                    .map { try $0.value("name", as: String.self) }
            }
            #expect(applied == PostgresSchema.migrations.map(\.name))
            // A node started later finds everything applied.
            try await stores[1].migrate()
            try await stores[0].insertCall(StoredCall(id: "c1", agentID: "ann", createdAt: Self.now))
            #expect(try await stores[3].call(id: "c1")?.agentID == "ann")
        }
    }

    /// The cluster's live calls: a claim moves a call between nodes, the cluster limit counts
    /// only fresh claims, a stale call is taken by one node only, and the parts of a recording
    /// are kept once each, listed in order and forgotten together.
    @Test func liveCallsAreClaimedOnceAndTheirPartsKeptInOrder() async throws {
        try await Self.nodes(2) { stores in
            for id in ["c1", "c2", "c3"] {
                try await stores[0].insertCall(StoredCall(id: id, agentID: "ann", createdAt: Self.now))
            }
            try await stores[0].claimLiveCall("c1", node: "a", clusterLimit: 2, staleAfter: 10, now: Self.now)
            try await stores[1].claimLiveCall("c2", node: "b", clusterLimit: 2, staleAfter: 10, now: Self.now)
            await #expect(throws: CallPipeError.self) {
                try await stores[1].claimLiveCall("c3", node: "b", clusterLimit: 2, staleAfter: 10, now: Self.now)
            }
            // A reconnect to node b takes c1 over: node a learns it at its next heartbeat.
            try await stores[1].claimLiveCall("c1", node: "b", clusterLimit: 2, staleAfter: 10, now: Self.now + 1)
            #expect(try await stores[0].heartbeatLiveCalls(["c1"], node: "a", now: Self.now + 2) == ["c1"])
            // Node b stops beating: both its calls go stale, and only one taker gets them.
            let taken = try await withThrowingTaskGroup(of: [String].self) { group in
                for (index, store) in stores.enumerated() {
                    group.addTask {
                        try await store.takeStaleLiveCalls(
                            staleAfter: 10, node: "ender-\(index)", lease: 60, now: Self.now + 20)
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(taken.sorted() == ["c1", "c2"])
            // The taker holds them while it ends them: nobody takes them meanwhile; if it dies
            // before letting go, they go stale again after the lease and another node takes them.
            #expect(
                try await stores[0].takeStaleLiveCalls(staleAfter: 10, node: "x", lease: 60, now: Self.now + 70).isEmpty
            )
            let again = try await stores[1].takeStaleLiveCalls(staleAfter: 10, node: "y", lease: 60, now: Self.now + 91)
            #expect(again.sorted() == ["c1", "c2"])
            try await stores[1].releaseLiveCall("c1", node: "y")
            try await stores[1].releaseLiveCall("c2", node: "y")
            #expect(
                try await stores[0].takeStaleLiveCalls(staleAfter: 10, node: "z", lease: 60, now: Self.now + 999)
                    .isEmpty)
            // Parts: added out of order and twice (the second time elsewhere: the first one stays),
            // listed by recording and in order.
            for (index, copy) in [(1, 0), (0, 0), (1, 1)] {
                try await stores[index % 2].addLiveCallPart(
                    LiveCallPart(
                        callID: "c1", recordingID: "rec_a", index: index,
                        location: "s3://b/c1/part-\(index)\(copy == 0 ? "" : "-again").wav",
                        startFrame: index * 8_000, frames: 8_000, sampleRate: 8_000, channels: 2, createdAt: Self.now))
            }
            try await stores[0].addLiveCallPart(
                LiveCallPart(
                    callID: "c1", recordingID: "rec_b", index: 0, location: "s3://b/c1/b-0.wav", startFrame: 0,
                    frames: 4_000, sampleRate: 8_000, channels: 2, createdAt: Self.now))
            let parts = try await stores[1].liveCallParts(callID: "c1")
            #expect(parts.map { "\($0.recordingID)/\($0.index)" } == ["rec_a/0", "rec_a/1", "rec_b/0"])
            #expect(parts[1].startFrame == 8_000 && parts[1].location == "s3://b/c1/part-1.wav")
            try await stores[1].removeLiveCallParts(recordingID: "rec_a")
            #expect(try await stores[0].liveCallParts(callID: "c1").map(\.recordingID) == ["rec_b"])
            #expect(try await stores[0].liveCallParts(callID: "c2").isEmpty)
        }
    }

    /// The history's total comes from per-day counts kept by triggers: it stays equal to counting
    /// the calls through inserts, updates that move calls between counts (two nodes moving calls
    /// opposite ways at once, which would deadlock if the counts were taken in either order) and
    /// deletes, for filters with and without whole days.
    @Test func historyTotalsStayExactThroughEveryChangeOfACall() async throws {
        try await Self.nodes(2) { stores in
            let midnight = Date(
                timeIntervalSince1970: (Self.now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
            for index in 0..<60 {
                try await stores[index % 2].insertCall(
                    StoredCall(
                        id: "c\(index)", agentID: index % 3 == 0 ? "ann" : "bob",
                        direction: index % 4 == 0 ? "outbound" : "inbound",
                        status: index % 2 == 0 ? .active : .done,
                        createdAt: midnight.addingTimeInterval(Double(index) * 5_000),
                        isDemo: index % 5 == 0))
            }
            // Node 0 moves even calls active → done while node 1 moves odd calls done → active: the
            // same two count rows of a day and agent, taken from both sides.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (node, store) in stores.enumerated() {
                    group.addTask {
                        for index in stride(from: node, to: 60, by: 2) {
                            let status = node == 0 ? "done" : "active"
                            _ = try await store.write { connection in
                                try await connection.run(
                                    """
                                    UPDATE calls SET status = \(status) WHERE id = \("c\(index)")
                                    """, logger: StoreBackend.logger)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            _ = try await stores[1].write { connection in
                try await connection.run(
                    """
                    UPDATE calls SET outcome = 'resolved', sentiment_label = 'positive', created_at = created_at + interval '1 day'
                    WHERE id IN ('c1', 'c4', 'c7', 'c10', 'c13')
                    """, logger: StoreBackend.logger)
            }
            _ = try await stores[1].deleteDemoCalls()
            try await stores[0].insertCall(StoredCall(id: "late", agentID: "ann", createdAt: midnight + 3_600))
            let filters: [CallFilter] = [
                CallFilter(), CallFilter(agentID: "ann"), CallFilter(status: .done), CallFilter(status: .active),
                CallFilter(outcome: .resolved, sentiment: .positive),
                CallFilter(direction: .outbound, includeDemo: false),
                CallFilter(from: midnight + 86_400),
                CallFilter(from: midnight + 3_600, to: midnight + 2 * 86_400 + 7_200),
                CallFilter(to: midnight + 86_400 + 1),
                CallFilter(from: midnight + 600, to: midnight + 4_000, agentID: "ann"),
            ]
            for filter in filters {
                let total = try await stores[1].history(CallHistoryQuery(filter: filter)).total
                let counted = try await stores[0].read { connection in
                    var sql = SQLBuilder()
                    let whereSQL = sql.filter(filter, table: nil)
                    return try await connection.rows(
                        sql.query("SELECT COUNT(*) AS n FROM calls WHERE \(whereSQL)"), logger: StoreBackend.logger
                    ).first?.value("n", as: Int.self)
                }
                #expect(total == counted, "\(filter)")
            }
            #expect(try await stores[0].history(CallHistoryQuery(filter: CallFilter(status: .done))).total == 24)
        }
    }

    /// Three nodes claiming from one queue at once: every job is claimed exactly once, and a
    /// call's recordings still go in order.
    @Test func nodesClaimingTogetherTakeEachJobOnce() async throws {
        try await Self.nodes(3) { stores in
            for call in 0..<20 {
                try await stores[0].insertCall(StoredCall(id: "c\(call)", agentID: "ann", createdAt: Self.now))
                _ = try await stores[call % 3].insertRecording(
                    StoredRecording(
                        id: "r\(call)", callID: "c\(call)", path: "/r\(call).wav", bytes: 1, contentType: "audio/wav",
                        format: "wav", codec: "pcm_s16le", createdAt: Self.now), firstStage: .analyze, now: Self.now)
            }
            let claims = try await withThrowingTaskGroup(of: (Int, [PipelineJob]).self) { group in
                for (node, store) in stores.enumerated() {
                    group.addTask {
                        var mine: [PipelineJob] = []
                        while let job = try await store.claimJob(now: Self.now + 1, lease: 60) { mine.append(job) }
                        return (node, mine)
                    }
                }
                return try await group.reduce(into: [Int: [PipelineJob]]()) { $0[$1.0] = $1.1 }
            }
            let claimed = claims.values.flatMap { $0 }
            #expect(claimed.count == 20 && Set(claimed.map(\.id)).count == 20)
            #expect(claimed.allSatisfy { $0.attempts == 1 })
            // A graceful stop releases the stopping node's jobs and no one else's.
            let released = try await stores[0].releaseRunningJobs(now: Self.now + 2)
            #expect(released == claims[0, default: []].count)
            #expect(try await stores[1].statistics().runningJobs == 20 - released)
        }
    }

    /// A node killed mid-job: its lease runs out and another node finishes the job; the dead
    /// node's late answer is refused; at start, a node counts the expired claim as a crash.
    @Test func anotherNodeTakesOverAJobWhoseLeaseRanOut() async throws {
        try await Self.nodes(2) { stores in
            try await stores[0].insertCall(StoredCall(id: "c1", agentID: "ann", createdAt: Self.now))
            _ = try await stores[0].insertRecording(
                StoredRecording(
                    id: "r1", callID: "c1", path: "/r1.wav", bytes: 1, contentType: "audio/wav", format: "wav",
                    codec: "pcm_s16le", createdAt: Self.now), firstStage: .summarize, now: Self.now)
            let lost = try #require(try await stores[0].claimJob(now: Self.now, lease: 30))
            #expect(try await stores[1].claimJob(now: Self.now + 10, lease: 30) == nil, "held under its lease")
            let recovered = try await stores[1].requeueRunningJobs(now: Self.now + 31, maxCrashes: 3)
            #expect(recovered.requeued.map(\.id) == [lost.id])
            let taken = try #require(try await stores[1].claimJob(now: Self.now + 31, lease: 30))
            #expect(taken.id == lost.id && taken.attempts == 2)
            await #expect(throws: CallPipeError.self) {
                try await stores[0].completeJob(lost, output: .none, next: nil, now: Self.now + 32)
            }
            try await stores[1].completeJob(taken, output: .none, next: nil, now: Self.now + 33)
            #expect(try await stores[0].call(id: "c1")?.status == .done)
        }
    }

    /// Three nodes, each finishing some calls and each running the CRM outbox worker, against the
    /// mock CRM: every call reaches every CRM exactly once, whichever node wrote its final summary
    /// and whichever claimed its delivery.
    @Test func threeNodesDeliverEachCallToEachCRMOnce() async throws {
        try await Self.nodes(3) { stores in
            try await MockCRM.run { mock, base in
                let targets = mock.credentials.targets(baseURL: base)
                let calls = (0..<12).map { index in
                    CRMTestSupport.call(
                        "call_\(index)", at: Double(index) * 60, duration: 60, agentTalk: 30, customerTalk: 20,
                        silence: 10, interruptions: 0, outcome: .resolved, sentiment: 0.2, topics: ["billing"])
                }
                for (index, demo) in calls.enumerated() {
                    let store = stores[index % 3]
                    var call = demo.call
                    call.status = .processing
                    try await store.insertCall(call)
                    try await store.enqueue(callID: call.id, stage: .summarize, now: call.createdAt)
                    let job = try #require(try await store.claimJob(now: Date(), lease: 60))
                    // Two nodes completing the same final summary: the second is refused.
                    try await store.completeJob(
                        job, output: .summary(demo.insights, isFinal: true), usage: nil, deliverTo: targets.map(\.ref),
                        next: nil, now: Date())
                    await #expect(throws: CallPipeError.self) {
                        try await stores[(index + 1) % 3].completeJob(
                            job, output: .summary(demo.insights, isFinal: true), usage: nil,
                            deliverTo: targets.map(\.ref), next: nil, now: Date())
                    }
                }
                let expected = calls.count * targets.count
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for store in stores {
                        group.addTask { try await CRMDeliveryTests.service(store, targets: targets, timeout: 10).run() }
                    }
                    let deadline = ContinuousClock.now + .seconds(60)
                    while try await stores[0].deliveryCounts()[.delivered, default: 0] < expected,
                        ContinuousClock.now < deadline
                    {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    group.cancelAll()
                }
                let deliveries = try await stores[1].deliveries(state: nil, limit: 1_000)
                #expect(deliveries.count == expected)
                #expect(deliveries.allSatisfy { $0.state == .delivered && $0.attempts == 1 })
                // What the CRMs hold: one record per call in each.
                let counts = await mock.state.counts()
                let ids = Set(calls.map(\.call.id))
                #expect(counts.salesforceTasks == calls.count && Set(counts.salesforceByCall.keys) == ids)
                #expect(counts.zendeskByCall == Dictionary(uniqueKeysWithValues: ids.map { ($0, 1) }))
                #expect(counts.hubspotByCall == Dictionary(uniqueKeysWithValues: ids.map { ($0, 1) }))
                #expect(counts.webhooks == calls.count && counts.webhookReceipts == calls.count)
            }
        }
    }

    @Test func readsItsURLAndNeverShowsThePassword() throws {
        let url = try PostgresDatabaseURL(
            "postgres://cp:s%40cret@db.internal:6432/calls?sslmode=require&max_connections=8")
        #expect(url.host == "db.internal" && url.port == 6432 && url.username == "cp" && url.password == "s@cret")
        #expect(url.database == "calls" && url.tlsMode == .require && url.maximumConnections == 8)
        #expect(url.description == "postgres://cp:***@db.internal:6432/calls?sslmode=require")
        #expect(try PostgresDatabaseURL("postgresql://cp@localhost/calls").port == 5432)
        for bad in [
            "mysql://a@b/c", "postgres://host/db", "postgres://u@/db", "postgres://u@h",
            "postgres://u@h/d?sslmode=maybe",
            "postgres://u@h/d?max_connections=0", "postgres://u@h/d?colour=blue",
        ] {
            #expect(throws: CallPipeError.self, "\(bad)") { try PostgresDatabaseURL(bad) }
        }
    }

    /// An unreachable server and a wrong password: a storage error that names the server
    /// (never the password), not a hang.
    @Test func aServerThatCannotBeReachedIsAStorageError() async throws {
        let good = try await PostgresTestServer.shared.newDatabase()
        var wrong = good
        wrong.password = "not-the-password"
        let error = await #expect(throws: CallPipeError.self) {
            try await PostgresCallStore.withStore(url: wrong, logger: StoreBackend.logger) { _ in }
        }
        #expect(error?.code == .storage && error?.message.contains("not-the-password") == false)
        #expect(error?.message.contains(good.host) == true)
    }
}
