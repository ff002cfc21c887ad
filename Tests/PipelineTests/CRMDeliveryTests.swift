import AIClients
import AsyncHTTPClient
import Configuration
import Foundation
import Logging
import MockCRM
import Testing

@testable import CRM
@testable import CallPipeCore
@testable import DemoData
@testable import SQLiteStore

@Suite("CRM delivery against the mock CRM: exactly once, through failures and restarts", .timeLimit(.minutes(3)))
struct CRMDeliveryTests {
    /// Short timings, so retries and leases play out in seconds.
    static func configuration(timeout: Double = 0.5) -> CRMConfiguration {
        var configuration = CRMConfiguration()
        configuration.maxAttempts = 40
        configuration.baseDelay = 0.02
        configuration.maxDelay = 0.1
        configuration.timeout = timeout
        configuration.lease = 1
        configuration.pollInterval = 0.02
        configuration.concurrency = 4
        return configuration
    }

    /// Stores a call, its recording and analysis, and completes its summarize job with a final
    /// summary — the way the pipeline queues the call's deliveries.
    static func finish(_ demo: DemoCall, in store: SQLiteCallStore, targets: [CRMTarget]) async throws {
        var call = demo.call
        call.status = .processing
        try await store.insertCall(call)
        try await store.enqueue(callID: call.id, stage: .summarize, now: demo.call.createdAt)
        let job = try #require(try await store.claimJob(now: Date(), lease: 60))
        try await store.completeJob(
            job, output: .summary(demo.insights, isFinal: true), usage: nil, deliverTo: targets.map(\.ref), next: nil,
            now: Date())
    }

    /// `timeout` is short where a test makes the vendor time out, long where a timeout under load
    /// would change what the test sees (a retry where it expects one attempt).
    static func service(
        _ store: any CRMOutbox, targets: [CRMTarget], events: CallEventBus? = nil, timeout: Double = 0.5
    ) -> CRMDeliveryService {
        var logger = Logger(label: "crm-test")
        logger.logLevel = .critical
        return CRMDeliveryService(
            outbox: store, directory: CRMTargetDirectory(targets: targets),
            http: CRMHTTPClient(client: .shared, timeout: timeout), configuration: configuration(timeout: timeout),
            events: events, logger: logger)
    }

    /// Runs the service until `done` holds (or 30 s pass).
    static func run(
        _ service: CRMDeliveryService, until done: @escaping @Sendable () async throws -> Bool
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            let deadline = ContinuousClock.now + .seconds(30)
            while try await !done(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            group.cancelAll()
        }
    }

    static func temporaryStorePath() throws -> (String, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory.appendingPathComponent("callpipe.sqlite").path, directory)
    }

    @Test(.timeLimit(.minutes(1)))
    func eachCallReachesEveryCRMExactlyOnceThoughHalfTheFirstAttemptsFailAndTheServerRestarts() async throws {
        let (path, directory) = try Self.temporaryStorePath()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await MockCRM.run { mock, base in
            let targets = mock.credentials.targets(baseURL: base)
            let ticket = await mock.state.addZendeskTicket(subject: "Help")
            let calls = (0..<4).map { index in
                CRMTestSupport.call(
                    "call_\(index)", at: Double(index) * 600, duration: 200, agentTalk: 90, customerTalk: 80,
                    silence: 30, interruptions: 1, outcome: .resolved, sentiment: 0.3, topics: ["billing"],
                    metadata: index == 0 ? ["zendesk_ticket_id": "\(ticket)"] : [:])
            }
            let first = try SQLiteCallStore(path: path)
            for call in calls { try await Self.finish(call, in: first, targets: targets) }
            // Half of the first requests fail: server errors, rate limits, and requests the mock
            // applies but answers too late (the retry must not make a second record).
            await mock.state.setFailures(
                next: 0, modes: [.serverError, .applyThenTimeout, .tooManyRequests, .timeout], rate: 0.5, delay: 0.8)
            try await Self.run(Self.service(first, targets: targets)) {
                await mock.state.recorded().count >= 12
            }
            // The "crash": the first process is gone with deliveries in flight. The next one
            // requeues what was being sent (as `serve` does at start) and carries on.
            await mock.state.setFailures(next: 0, modes: [.serverError], rate: 0.2, delay: 0)
            let second = try SQLiteCallStore(path: path)
            _ = try await second.requeueSendingDeliveries(now: Date(), maxCrashes: 3)
            try await Self.run(Self.service(second, targets: targets)) {
                try await second.deliveryCounts()[.delivered] == calls.count * targets.count
            }
            let counts = try await second.deliveryCounts()
            #expect(counts[.delivered] == 16, "\(counts)")
            let objects = await mock.state.counts()
            #expect(await mock.state.injectedFailures > 0)
            for call in calls {
                #expect(objects.salesforceByCall[call.call.id] == 1, "one Task for \(call.call.id)")
                #expect(objects.zendeskByCall[call.call.id] == 1, "one Zendesk comment for \(call.call.id)")
                #expect(objects.hubspotByCall[call.call.id] == 1, "one HubSpot call for \(call.call.id)")
                #expect(objects.webhooksByKey["callpipe-\(call.call.id)-webhook"] == 1)
            }
            #expect(objects.salesforceTasks == 4 && objects.hubspotCalls == 4 && objects.webhooks == 4)
            // call_0 commented on its existing ticket; the others opened one each.
            #expect(objects.zendeskTickets == 4)
            #expect(objects.zendeskComments == 5, "the ticket's own comment plus four from CallPipe")
            let deliveries = try await second.deliveries(callID: "call_1")
            #expect(deliveries.allSatisfy { $0.state == .delivered && $0.lastError == nil })
            #expect(deliveries.first { $0.kind == .salesforce }?.remoteID?.hasPrefix("00T") == true)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aRefusedPayloadIsDeadAtOnceAndRefusedCredentialsPauseTheTarget() async throws {
        let store = try SQLiteCallStore()
        try await MockCRM.run { mock, base in
            var targets = mock.credentials.targets(baseURL: base)
            // Salesforce refuses the payload (a WhoId that is no Salesforce id); HubSpot gets a wrong token.
            targets[2].token = "pat-wrong"
            let events = CallEventBus()
            let subscription = await events.subscribe()
            await events.joinFloor(subscription.id)
            let call = CRMTestSupport.call(
                "call_bad", at: 0, duration: 60, agentTalk: 30, customerTalk: 20, silence: 10, interruptions: 0,
                outcome: .resolved, sentiment: 0, topics: [], metadata: ["salesforce_who_id": "not-an-id"])
            try await Self.finish(call, in: store, targets: targets)
            // The room's events are part of the stop condition: the service writes a state and then
            // publishes it, so stopping it on the stored state alone can cancel it between the two.
            let seen = EventTypes()
            try await withThrowingTaskGroup(of: Void.self) { reader in
                reader.addTask { for await event in subscription.events { await seen.insert(event.type) } }
                try await Self.run(Self.service(store, targets: targets, events: events, timeout: 10)) {
                    let deliveries = try await store.deliveries(callID: "call_bad")
                    let paused = try await store.pausedTargets().count
                    guard
                        deliveries.filter({ $0.state == .delivered }).count == 2
                            && deliveries.contains(where: { $0.state == .dead }) && paused == 1
                    else { return false }
                    let alerted = await seen.contains("alert")
                    let reported = await seen.contains("crm_delivery")
                    return alerted && reported
                }
                await events.unsubscribe(subscription.id)
                reader.cancelAll()
            }
            let deliveries = Dictionary(
                uniqueKeysWithValues: try await store.deliveries(callID: "call_bad").map { ($0.target, $0) })
            let salesforce = try #require(deliveries["salesforce"])
            #expect(salesforce.state == .dead && salesforce.attempts == 1 && salesforce.lastStatus == 400)
            #expect(salesforce.lastError?.contains("WhoId: id value of incorrect type") == true, "the vendor's message")
            let hubspot = try #require(deliveries["hubspot"])
            #expect(hubspot.state == .pending && hubspot.attempts == 0 && hubspot.lastStatus == 401)
            #expect(try await store.pausedTargets().map(\.target) == ["hubspot"])
            // The paused target's delivery is not attempted again until it is resumed.
            let requestsBefore = await mock.state.recorded(vendor: "hubspot").count
            try await Task.sleep(for: .milliseconds(200))
            #expect(await mock.state.recorded(vendor: "hubspot").count == requestsBefore)
            // An alert and crm_delivery events went to the call's room.
            let alerted = await seen.contains("alert")
            let reported = await seen.contains("crm_delivery")
            #expect(alerted && reported)

            // Fixed credentials, resumed target, redelivered dead letter: all delivered, once.
            targets[2].token = mock.credentials.hubspotToken
            #expect(try await store.resumeTarget("hubspot"))
            _ = try await store.redeliver(id: salesforce.id, now: Date())
            try await Self.run(Self.service(store, targets: targets, timeout: 10)) {
                let delivered = try await store.deliveries(callID: "call_bad").filter { $0.state == .delivered }.count
                let again = try await store.delivery(id: salesforce.id)
                return delivered == 3 && again?.state == .dead && again?.attempts == 1
            }
            #expect(try await store.delivery(id: hubspot.id)?.state == .delivered)
            #expect(await mock.state.counts().hubspotCalls == 1)
        }
    }

    /// A claim is never shorter than three request timeouts (a lookup and a write, and room): a
    /// CRM timeout set above the lease must not let a second worker take a delivery whose first
    /// attempt is still waiting for the CRM.
    @Test func aClaimOutlastsTheAttemptsRequests() throws {
        #expect(CRMConfiguration().claimLease == 120)
        let reader = ConfigReader(provider: InMemoryProvider(values: ["callpipe.crm.timeout.s": "300"]))
        let slow = try CRMConfiguration(reader: reader)
        #expect(slow.timeout == 300 && slow.claimLease == 900)
    }

    @Test func aDeliveryForATargetNoLongerConfiguredIsDeadWithTheReason() async throws {
        let store = try SQLiteCallStore()
        let gone = CRMTarget(id: "old", kind: .webhook, url: URL(string: "http://127.0.0.1:9/x")!, secret: "s")
        let call = CRMTestSupport.call(
            "call_x", at: 0, duration: 60, agentTalk: 30, customerTalk: 20, silence: 10, interruptions: 0,
            outcome: .resolved, sentiment: 0, topics: [])
        try await Self.finish(call, in: store, targets: [gone])
        #expect(try await Self.service(store, targets: []).sendNext())
        let delivery = try #require(try await store.deliveries(callID: "call_x").first)
        #expect(delivery.state == .dead && delivery.lastError?.contains("no longer configured") == true)
    }

    @Test func aSecondFinalSummaryDoesNotQueueASecondDelivery() async throws {
        let store = try SQLiteCallStore()
        let target = CRMTarget(id: "hook", kind: .webhook, url: URL(string: "http://127.0.0.1:9/x")!, secret: "s")
        let call = CRMTestSupport.call(
            "call_y", at: 0, duration: 60, agentTalk: 30, customerTalk: 20, silence: 10, interruptions: 0,
            outcome: .resolved, sentiment: 0, topics: [])
        try await Self.finish(call, in: store, targets: [target])
        try await store.enqueue(callID: "call_y", stage: .summarize, now: Date())
        let job = try #require(try await store.claimJob(now: Date(), lease: 60))
        try await store.completeJob(
            job, output: .summary(call.insights, isFinal: true), usage: nil, deliverTo: [target.ref], next: nil,
            now: Date())
        #expect(try await store.deliveries(callID: "call_y").count == 1)
        // A provisional summary queues none.
        let other = CRMTestSupport.call(
            "call_z", at: 0, duration: 60, agentTalk: 30, customerTalk: 20, silence: 10, interruptions: 0,
            outcome: .resolved, sentiment: 0, topics: [])
        try await store.insertCall(other.call)
        try await store.enqueue(callID: "call_z", stage: .summarize, now: Date())
        let provisional = try #require(try await store.claimJob(now: Date(), lease: 60))
        try await store.completeJob(
            provisional, output: .summary(other.insights, isFinal: false), usage: nil, deliverTo: [target.ref],
            next: nil, now: Date())
        #expect(try await store.deliveries(callID: "call_z").isEmpty)
    }
}

/// The event types a room subscriber has seen so far.
actor EventTypes {
    private var types: Set<String> = []

    func insert(_ type: String) { types.insert(type) }

    func contains(_ type: String) -> Bool { types.contains(type) }
}
