package import Foundation

/// What the mock CRM has received and holds, and how it has been told to fail.
///
/// Objects are kept the way each vendor keys them (Salesforce Tasks by external id, Zendesk
/// tickets by number, HubSpot calls by id, webhook deliveries by `Idempotency-Key`), so a test
/// can count exactly how many records a call produced.
package actor MockCRMState {
    /// How an injected failure looks to the client.
    package enum FailureMode: String, Sendable, Codable, CaseIterable {
        /// 429 with `Retry-After: 1`.
        case tooManyRequests = "429"
        case serverError = "500"
        case unavailable = "503"
        case unauthorized = "401"
        /// No answer for `delay` seconds (the client times out first); nothing is applied.
        case timeout
        /// The request is applied, then no answer for `delay` seconds: the case that makes naive
        /// retries create duplicates.
        case applyThenTimeout = "apply_then_timeout"
    }

    package struct Recorded: Sendable, Codable, Equatable {
        package var seq: Int
        package var vendor: String
        package var method: String
        package var path: String
        package var query: String?
        /// Masked: the scheme and the last two characters.
        package var authorization: String?
        package var idempotencyKey: String?
        package var body: String
        package var status: Int
        package var injected: String?
        package var at: Date

        enum CodingKeys: String, CodingKey {
            case seq, vendor, method, path, query, authorization
            case idempotencyKey = "idempotency_key"
            case body, status, injected, at
        }
    }

    struct Plan {
        var failNext = 0
        var modes: [FailureMode] = [.serverError]
        var failRate = 0.0
        var delay = 30.0
        var vendors: Set<String>?
        var injected = 0
    }

    package let maxRecorded: Int
    private(set) var requests: [Recorded] = []
    private var seq = 0
    private var plan = Plan()

    var salesforceTasks: [String: (id: String, fields: [String: String])] = [:]
    var salesforceCreates = 0
    var zendeskTickets: [Int: (subject: String, externalID: String?, tags: [String], comments: [String])] = [:]
    var nextTicket = 1_000
    var hubspotCalls: [String: [String: String]] = [:]
    var nextHubSpotID = 50_000_000
    var webhooks: [String: String] = [:]
    var webhookReceipts = 0

    package init(maxRecorded: Int = 10_000) {
        self.maxRecorded = maxRecorded
    }

    // MARK: - Failures

    /// Fails the next `count` requests (to `vendors`, or any), cycling through `modes`, and then a
    /// random `rate` of requests.
    package func setFailures(
        next count: Int, modes: [FailureMode], rate: Double, delay: Double, vendors: Set<String>? = nil
    ) {
        plan = Plan(
            failNext: max(0, count), modes: modes.isEmpty ? [.serverError] : modes, failRate: min(1, max(0, rate)),
            delay: max(0, delay), vendors: vendors, injected: plan.injected)
    }

    /// The failure to inject into this request, if any.
    func failure(for vendor: String) -> (mode: FailureMode, delay: Double)? {
        if let vendors = plan.vendors, !vendors.contains(vendor) { return nil }
        let fail: Bool
        if plan.failNext > 0 {
            plan.failNext -= 1
            fail = true
        } else {
            fail = plan.failRate > 0 && Double.random(in: 0..<1) < plan.failRate
        }
        guard fail else { return nil }
        let mode = plan.modes[plan.injected % plan.modes.count]
        plan.injected += 1
        return (mode, plan.delay)
    }

    package var injectedFailures: Int { plan.injected }

    // MARK: - Records

    func record(
        vendor: String, method: String, path: String, query: String?, authorization: String?, idempotencyKey: String?,
        body: Data, status: Int, injected: FailureMode?
    ) {
        seq += 1
        requests.append(
            Recorded(
                seq: seq, vendor: vendor, method: method, path: path, query: query,
                authorization: authorization.map(Self.mask), idempotencyKey: idempotencyKey,
                body: String(decoding: body.prefix(65_536), as: UTF8.self), status: status,
                injected: injected?.rawValue,
                at: Date()))
        if requests.count > maxRecorded { requests.removeFirst(requests.count - maxRecorded) }
    }

    package func recorded(vendor: String? = nil) -> [Recorded] {
        vendor.map { name in requests.filter { $0.vendor == name } } ?? requests
    }

    /// Forgets every request, object and failure plan.
    package func reset() {
        requests = []
        plan = Plan()
        salesforceTasks = [:]
        salesforceCreates = 0
        zendeskTickets = [:]
        hubspotCalls = [:]
        webhooks = [:]
        webhookReceipts = 0
    }

    /// How many records each vendor holds, and per call id where the vendor keeps one.
    package func counts() -> MockCRMCounts {
        MockCRMCounts(
            salesforceTasks: salesforceTasks.count, zendeskTickets: zendeskTickets.count,
            zendeskComments: zendeskTickets.values.reduce(0) { $0 + $1.comments.count },
            hubspotCalls: hubspotCalls.count, webhooks: webhooks.count, webhookReceipts: webhookReceipts,
            salesforceByCall: salesforceTasks.mapValues { _ in 1 },
            zendeskByCall: Dictionary(
                zendeskTickets.values.flatMap(\.comments).compactMap(Self.callID(inComment:)), uniquingKeysWith: +),
            hubspotByCall: Dictionary(
                hubspotCalls.values.compactMap { call in call["callpipe_call_id"].map { ($0, 1) } }, uniquingKeysWith: +
            ),
            webhooksByKey: webhooks.mapValues { _ in 1 })
    }

    /// The call a comment is about: every CallPipe body ends with "CallPipe call <id>".
    static func callID(inComment body: String) -> (String, Int)? {
        guard let line = body.split(separator: "\n").last, line.hasPrefix("CallPipe call ") else { return nil }
        return (String(line.dropFirst("CallPipe call ".count)), 1)
    }

    static func mask(_ authorization: String) -> String {
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return "***" }
        return "\(parts[0]) …\(parts[1].suffix(2))"
    }
}

/// Record counts, for tests and the benchmark.
package struct MockCRMCounts: Sendable, Codable, Equatable {
    package var salesforceTasks: Int
    package var zendeskTickets: Int
    package var zendeskComments: Int
    package var hubspotCalls: Int
    package var webhooks: Int
    /// Webhook POSTs accepted, duplicates (same key) included.
    package var webhookReceipts: Int
    /// Per call id: Tasks, ticket comments (new tickets by external id), HubSpot calls.
    package var salesforceByCall: [String: Int]
    package var zendeskByCall: [String: Int]
    package var hubspotByCall: [String: Int]
    package var webhooksByKey: [String: Int]

    enum CodingKeys: String, CodingKey {
        case salesforceTasks = "salesforce_tasks"
        case zendeskTickets = "zendesk_tickets"
        case zendeskComments = "zendesk_comments"
        case hubspotCalls = "hubspot_calls"
        case webhooks
        case webhookReceipts = "webhook_receipts"
        case salesforceByCall = "salesforce_by_call"
        case zendeskByCall = "zendesk_by_call"
        case hubspotByCall = "hubspot_by_call"
        case webhooksByKey = "webhooks_by_key"
    }
}
