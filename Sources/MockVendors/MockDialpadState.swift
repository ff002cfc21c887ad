import Audio
import DemoData
package import Foundation
import MockCRM

/// The mock Dialpad's data and behaviour: a department with operators and calls made up from a
/// seed (the same seed, the same calls), cursor pagination as Dialpad pages (newest first, ended
/// calls only), and failures on request — 429 with `Retry-After`, a malformed page, slow pages.
package actor MockDialpadState {
    package struct Call: Sendable {
        package var id: Int64
        package var direction: String
        package var startedMS: Int64
        package var connectedMS: Int64?
        package var endedMS: Int64
        package var durationMS: Int64
        package var contactName: String
        package var contactPhone: String
        package var operatorID: Int64
        package var recorded: Bool
    }

    package struct Operator: Sendable {
        package var id: Int64
        package var firstName: String
        package var lastName: String
        package var email: String
    }

    package nonisolated let apiKey: String
    package nonisolated let departmentID: String
    package private(set) var operators: [Operator] = []
    /// Newest first, as Dialpad lists them.
    package private(set) var calls: [Call] = []
    package var pageSize = 25
    /// Where the mock's recordings are served (`<base URL>/r/<id>`): the mock's own base URL
    /// once it is listening; Dialpad's until then.
    package var recordingBaseURL = "https://dialpad.com"
    private var faults = MockFaults()
    /// Requests answered, and how many of them with 429.
    package var requests: Int { faults.requests }
    package var rateLimited: Int { faults.rateLimited }

    /// `calls` calls spread evenly at random over `window`, from `seed`.
    package init(
        apiKey: String, departmentID: String = "5220070760521728", calls count: Int, window: Range<Date>,
        seed: UInt64 = 1
    ) {
        self.apiKey = apiKey
        self.departmentID = departmentID
        var random = SplitMix64(seed: seed)
        let first = ["Ana", "Ben", "Chloe", "Dev", "Emma", "Farid", "Grace", "Hiro"]
        let last = ["Silva", "Okafor", "Martin", "Patel", "Novak", "Haddad", "Kim", "Tanaka"]
        operators = (0..<8).map { index in
            Operator(
                id: 4_800_000_000_000_000 + Int64(index) * 7_919, firstName: first[index], lastName: last[index],
                email: "\(first[index].lowercased()).\(last[index].lowercased())@example.com")
        }
        let start = Int64(window.lowerBound.timeIntervalSince1970 * 1_000)
        let span = max(1, Int64(window.upperBound.timeIntervalSince1970 * 1_000) - start)
        let customers = ["Jordan Lee", "Sam Rivera", "Alex Morgan", "Taylor Brooks", "Casey Quinn", "Riley Shah"]
        var made: [Call] = []
        for index in 0..<count {
            let started = start + Int64(random.next() % UInt64(span))
            let missed = random.next() % 5 == 0
            let ring = Int64(random.next() % 20_000)
            let talk = missed ? 0 : 15_000 + Int64(random.next() % 600_000)
            made.append(
                Call(
                    id: 5_000_000_000_000_000 + Int64(index) * 104_729,
                    direction: random.next() % 3 == 0 ? "outbound" : "inbound", startedMS: started,
                    connectedMS: missed ? nil : started + ring, endedMS: started + ring + talk, durationMS: talk,
                    contactName: customers[Int(random.next() % UInt64(customers.count))],
                    contactPhone: "+1415555\(String(format: "%04d", Int(random.next() % 10_000)))",
                    operatorID: operators[Int(random.next() % UInt64(operators.count))].id,
                    recorded: !missed && random.next() % 2 == 0))
        }
        calls = made.sorted { ($0.startedMS, $0.id) > ($1.startedMS, $1.id) }
    }

    /// The next `count` requests get 429 with `Retry-After: retryAfter`.
    package func rateLimitNext(_ count: Int, retryAfter: String = "1") {
        faults.rateLimitLeft = count
        faults.retryAfter = retryAfter
    }

    /// The next call page is cut off mid-JSON (a vendor's proxy failing half way).
    package func malformNextPage() { faults.malformLeft = 1 }

    /// At most `limit` requests a second from now on (0: no limit); the rest get 429.
    package func limitRate(toRequestsPerSecond limit: Int) { faults.requestsPerSecond = limit }

    /// The call page after the next `pages` ones is cut off mid-JSON (a failure mid-sync).
    package func malformPage(after pages: Int) {
        faults.malformLeft = 1
        faults.malformSkip = pages
    }

    /// Every call page takes this long to answer.
    package func delayPages(by delay: Duration) { faults.pageDelay = delay }

    /// The calls `GET /api/v2/call` lists for these parameters (no paging): for counting.
    package func calls(startedAfter: Int64, startedBefore: Int64) -> [Call] {
        calls.filter { $0.startedMS >= startedAfter && $0.startedMS < startedBefore }
    }

    /// What the mock answers to one request, after the key check and any injected 429.
    enum Route: Sendable {
        case callPage([String: String])
        case operators(departmentID: String)
        case recording(String)
    }

    package func setRecordingBaseURL(_ url: String) { recordingBaseURL = url }

    func serve(_ route: Route, authorization: String?, apiKeyParameter: String?) async -> MockAnswer {
        if let tooMany = faults.admit(tooManyRequests: ["error": ["code": 429, "message": "Rate limit exceeded"]]) {
            return tooMany
        }
        guard authorization == "Bearer \(apiKey)" || apiKeyParameter == apiKey else {
            return .json(401, ["error": ["code": 401, "message": "Invalid API key"]])
        }
        switch route {
        case .callPage(let query): return await callPage(query: query)
        case .operators(let departmentID): return operatorList(departmentID: departmentID)
        case .recording(let id):
            guard let number = Int64(id), calls.contains(where: { $0.recorded && $0.id + 1 == number }) else {
                return .json(404, ["error": ["code": 404, "message": "Recording not found"]])
            }
            // A second of silence at 8 kHz: a recording the pipeline can read.
            let audio = WAVEncoding.pcm16([Float](repeating: 0, count: 8_000), sampleRate: 8_000)
            return MockAnswer(status: 200, body: audio, headers: ["Content-Type": "audio/wav"])
        }
    }

    private func callPage(query: [String: String]) async -> MockAnswer {
        if faults.pageDelay > .zero { try? await Task.sleep(for: faults.pageDelay) }
        guard query["target_id"] == departmentID, query["target_type"] == "department" else {
            return .json(404, ["error": ["code": 404, "message": "Target not found"]])
        }
        let after = query["started_after"].flatMap { Int64($0) } ?? 0
        let before = query["started_before"].flatMap { Int64($0) } ?? Int64.max
        let listed = calls(startedAfter: after, startedBefore: before)
        let offset = query["cursor"].flatMap(MockPaging.offset(ofCursor:)) ?? 0
        guard offset <= listed.count else { return .json(400, ["error": ["code": 400, "message": "Invalid cursor"]]) }
        let page = listed[offset..<min(listed.count, offset + pageSize)]
        var body: [String: Any] = ["items": page.map(json)]
        if offset + pageSize < listed.count { body["cursor"] = MockPaging.cursor(ofOffset: offset + pageSize) }
        return faults.maybeBreak(.json(200, body))
    }

    private func operatorList(departmentID: String) -> MockAnswer {
        guard departmentID == self.departmentID else {
            return .json(404, ["error": ["code": 404, "message": "Department not found"]])
        }
        let users = operators.map { user -> [String: Any] in
            [
                "id": String(user.id), "first_name": user.firstName, "last_name": user.lastName,
                "display_name": "\(user.firstName) \(user.lastName)", "emails": [user.email], "state": "active",
            ]
        }
        return .json(200, ["users": users, "rooms": []])
    }

    /// A call as Dialpad's list shows it: ids and times as strings of digits.
    private func json(_ call: Call) -> [String: Any] {
        let user = operators.first { $0.id == call.operatorID }!
        var item: [String: Any] = [
            "call_id": String(call.id), "direction": call.direction, "state": "hangup",
            "date_started": String(call.startedMS), "date_ended": String(call.endedMS),
            "duration": Double(call.durationMS), "total_duration": Double(call.endedMS - call.startedMS),
            "contact": ["name": call.contactName, "phone": call.contactPhone, "type": "local"],
            "target": [
                "id": String(user.id), "name": "\(user.firstName) \(user.lastName)", "email": user.email,
                "type": "user", "phone": "+14155550100",
            ],
            "was_recorded": call.recorded,
        ]
        if let connected = call.connectedMS { item["date_connected"] = String(connected) }
        if call.recorded {
            item["recording_details"] = [
                [
                    "id": String(call.id + 1), "url": "\(recordingBaseURL)/r/\(call.id + 1)",
                    "duration": Double(call.durationMS), "recording_type": "callrecording",
                    "start_time": String(call.connectedMS ?? call.startedMS),
                ]
            ]
        }
        return item
    }
}
