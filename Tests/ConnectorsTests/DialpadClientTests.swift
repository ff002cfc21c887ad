import AsyncHTTPClient
import CallPipeCore
import Connectors
import Foundation
import MockVendors
import Testing

/// The Dialpad client against the mock Dialpad over real HTTP (docs/connectors.md): Dialpad's
/// cursor pages, its string ids and millisecond times, its 429s, a wrong key, a broken page.
@Suite("Dialpad connector")
struct DialpadClientTests {
    /// 2025-12-01 00:00 UTC, ten days.
    static let tenDays = Date(timeIntervalSince1970: 1_764_547_200)..<Date(timeIntervalSince1970: 1_765_411_200)

    actor Waits {
        var seconds: [Double] = []
        func add(_ value: Double) { seconds.append(value) }
    }

    static func client(
        _ base: URL, key: String, department: String, policy: VendorRequestPolicy = .init(), waits: Waits
    )
        -> DialpadClient
    {
        var configuration = DialpadConfiguration(baseURL: base, apiKey: key, departmentID: department)
        configuration.policy = policy
        var client = DialpadClient(configuration: configuration)
        client.http.sleep = { seconds in await waits.add(seconds) }
        return client
    }

    /// Every page of a window, in order, until Dialpad gives no cursor.
    static func allCalls(_ client: DialpadClient, in window: Range<Date>) async throws -> (
        calls: [ImportedCall], pages: Int
    ) {
        let operators = try await client.operators()
        var calls: [ImportedCall] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = try await client.callPage(in: window, cursor: cursor)
            pages += 1
            calls += page.items.compactMap { $0.imported(operators: operators) }
            cursor = page.cursor
        } while cursor != nil
        return (calls, pages)
    }

    @Test func readsEveryCallOfAWindowOnceAcrossPages() async throws {
        let state = MockDialpadState(apiKey: "dp_live_key", calls: 600, window: Self.tenDays)
        try await MockDialpad.run(state: state) { _, base in
            let client = Self.client(base, key: "dp_live_key", department: state.departmentID, waits: Waits())
            let window =
                Self.tenDays.lowerBound.addingTimeInterval(
                    2 * 86_400)..<Self.tenDays.lowerBound.addingTimeInterval(6 * 86_400)
            let (calls, pages) = try await Self.allCalls(client, in: window)
            let expected = await state.calls(
                startedAfter: Int64(window.lowerBound.timeIntervalSince1970 * 1_000),
                startedBefore: Int64(window.upperBound.timeIntervalSince1970 * 1_000))
            #expect(expected.count > 200)
            #expect(calls.count == expected.count)
            #expect(Set(calls.map(\.vendorID)) == Set(expected.map { String($0.id) }))
            #expect(pages == (expected.count + 24) / 25)
            #expect(calls.allSatisfy { window.contains($0.startedAt) })
            // Mapped as CallPipe calls: the operator named, missed calls without talk time or recording.
            let operators = Set(await state.operators.map { "\($0.firstName) \($0.lastName)" })
            #expect(calls.allSatisfy { $0.agentName.map(operators.contains) == true && $0.agentEmail != nil })
            let missed = calls.filter { $0.status == .missed }
            #expect(!missed.isEmpty && missed.allSatisfy { $0.durationS == 0 && $0.recordingURL == nil })
            let byID = Dictionary(uniqueKeysWithValues: expected.map { (String($0.id), $0) })
            for call in calls where call.status == .completed {
                let source = try #require(byID[call.vendorID])
                #expect(abs(call.durationS - Double(source.durationMS) / 1_000) < 0.001)
                #expect(call.direction == source.direction)
                #expect((call.recordingURL != nil) == source.recorded)
            }
        }
    }

    @Test func waitsAsLongAsDialpadSaysOn429() async throws {
        let state = MockDialpadState(apiKey: "dp_live_key", calls: 50, window: Self.tenDays)
        try await MockDialpad.run(state: state) { _, base in
            let waits = Waits()
            let client = Self.client(base, key: "dp_live_key", department: state.departmentID, waits: waits)
            await state.rateLimitNext(3, retryAfter: "7")
            let page = try await client.callPage(in: Self.tenDays, cursor: nil)
            #expect(page.items.count == 25)
            let waited = await waits.seconds  // The pacer's shared wait, from when each 429 came.
            #expect(waited.count == 3 && waited.allSatisfy { abs($0 - 7) < 0.1 })
            #expect(await state.rateLimited == 3)

            var impatient = VendorRequestPolicy()
            impatient.maxAttempts = 2
            let short = Self.client(
                base, key: "dp_live_key", department: state.departmentID, policy: impatient, waits: waits)
            await state.rateLimitNext(5, retryAfter: "1")
            let error = await #expect(throws: ConnectorError.self) {
                try await short.callPage(in: Self.tenDays, cursor: nil)
            }
            #expect(error?.code == .rateLimited && error?.httpStatus == 429)
            #expect(error?.message.contains("after 2 attempts") == true)

            await state.rateLimitNext(1, retryAfter: "3600")
            let tooLong = await #expect(throws: ConnectorError.self) {
                try await client.callPage(in: Self.tenDays, cursor: nil)
            }
            #expect(tooLong?.code == .rateLimited && tooLong?.message.contains("longer than allowed") == true)
        }
    }

    @Test func aWrongKeyIsUnauthorizedAndNeverEchoed() async throws {
        let state = MockDialpadState(apiKey: "dp_live_key", calls: 10, window: Self.tenDays)
        try await MockDialpad.run(state: state) { _, base in
            let client = Self.client(base, key: "dp_wrong_secret_1234", department: state.departmentID, waits: Waits())
            let error = await #expect(throws: ConnectorError.self) {
                try await client.callPage(in: Self.tenDays, cursor: nil)
            }
            #expect(error?.code == .unauthorized && error?.httpStatus == 401)
            #expect(error?.message.contains("check the API key") == true)
            #expect(error?.message.contains("dp_wrong_secret_1234") == false)
            #expect(await state.requests == 1)  // Not retried: a wrong key stays wrong.
        }
    }

    @Test func aBrokenPageOrAnUnknownDepartmentIsAClearError() async throws {
        let state = MockDialpadState(apiKey: "dp_live_key", calls: 60, window: Self.tenDays)
        try await MockDialpad.run(state: state) { _, base in
            let client = Self.client(base, key: "dp_live_key", department: state.departmentID, waits: Waits())
            let first = try await client.callPage(in: Self.tenDays, cursor: nil)
            await state.malformNextPage()
            let broken = await #expect(throws: ConnectorError.self) {
                try await client.callPage(in: Self.tenDays, cursor: first.cursor)
            }
            #expect(broken?.code == .malformedResponse)
            #expect(broken?.message.hasPrefix("Dialpad sent a call page that is not its documented JSON") == true)
            // The same page again is whole: nothing was consumed by the failure.
            let again = try await client.callPage(in: Self.tenDays, cursor: first.cursor)
            #expect(again.items.count == 25 && again.cursor != nil)

            let elsewhere = Self.client(base, key: "dp_live_key", department: "42", waits: Waits())
            let unknown = await #expect(throws: ConnectorError.self) { try await elsewhere.operators() }
            #expect(unknown?.code == .rejected && unknown?.httpStatus == 404)
        }
    }

    @Test func aRunStopsAtItsRequestBudget() async throws {
        let state = MockDialpadState(apiKey: "dp_live_key", calls: 200, window: Self.tenDays)
        try await MockDialpad.run(state: state) { _, base in
            var policy = VendorRequestPolicy()
            policy.requestBudget = 3
            let client = Self.client(
                base, key: "dp_live_key", department: state.departmentID, policy: policy, waits: Waits())
            let error = await #expect(throws: ConnectorError.self) { try await Self.allCalls(client, in: Self.tenDays) }
            #expect(error?.code == .budgetExhausted)
            #expect(await state.requests == 3)
        }
    }

    /// Ids beyond a double's 53 bits keep every digit; numbers or strings, nulls, and a call that
    /// never connected read as Dialpad sends them.
    @Test func longIdsAndMixedTypesReadExactly() throws {
        let json = """
            {"items": [
              {"call_id": "9007199254740993", "direction": "outbound", "state": "hangup",
               "date_started": 1764590400000, "date_connected": "1764590405000", "date_ended": "1764590465000",
               "duration": 60000.0, "target": {"id": 9007199254740995, "name": "Ana Silva"},
               "contact": {"name": "Jordan Lee", "phone": "+14155550123"},
               "recording_details": [{"url": "https://dialpad.com/r/1", "recording_type": "voicemail"},
                                     {"url": "https://dialpad.com/r/2", "recording_type": "callrecording"}]},
              {"call_id": "17", "direction": "inbound", "state": "hangup", "date_started": "1764590400000",
               "date_connected": null, "date_ended": "1764590420000", "duration": 0}
            ], "cursor": ""}
            """
        let page = try JSONDecoder().decode(DialpadCallPage.self, from: Data(json.utf8))
        #expect(page.cursor == nil)
        let calls = page.items.compactMap { $0.imported() }
        #expect(calls.map(\.vendorID) == ["9007199254740993", "17"])
        #expect(calls[0].agentID == "9007199254740995" && calls[0].agentName == "Ana Silva")
        #expect(calls[0].status == .completed && calls[0].durationS == 60 && calls[0].direction == "outbound")
        #expect(calls[0].recordingURL?.absoluteString == "https://dialpad.com/r/2")
        #expect(calls[0].startedAt == Date(timeIntervalSince1970: 1_764_590_400))
        #expect(calls[1].status == .missed && calls[1].durationS == 0 && calls[1].recordingURL == nil)
    }
}
