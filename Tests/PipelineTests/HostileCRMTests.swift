import AsyncHTTPClient
import Foundation
import MockCRM
import Testing

@testable import CRM

/// Hostile input, family "CRM answers and the mock's controls": numbers another system sends us.
@Suite("Hostile input: CRM answers and mock controls", .timeLimit(.minutes(1)))
struct HostileCRMTests {
    @Test(
        "A CRM's Retry-After never makes the delivery wait longer than the configured maximum",
        arguments: ["1e300", "99999999999999999999999", "inf", "nan", "-5", "Sat, 01 Jan 9999 00:00:00 GMT"])
    func retryAfterIsBounded(value: String) {
        let response = CRMResponse(status: 429, headers: ["retry-after": value])
        let failure = CRMHTTPClient.failure(response, vendor: "HubSpot")
        let configuration = CRMConfiguration()
        let delay = CRMDeliveryService.retryDelay(
            attempt: 1, retryAfter: failure.retryAfter, configuration: configuration)
        #expect(delay.isFinite && delay >= 0 && delay <= configuration.maxDelay)
    }

    @Test(
        "The mock CRM's control route refuses numbers that would overflow",
        arguments: [
            #"{"fail_next":1,"modes":["timeout"],"delay_s":1e300}"#, #"{"fail_next":-1}"#,
            #"{"fail_rate":2}"#, #"{"delay_s":-1}"#, #"{"fail_next":1e30}"#,
        ])
    func mockControlRangeChecks(body: String) async throws {
        try await MockCRM.run { _, base in
            let response = try await CRMHTTPClient(client: .shared, timeout: 5).send(
                CRMRequest(
                    method: "POST", url: URL(string: "\(base)/control")!, headers: ["Content-Type": "application/json"],
                    body: Data(body.utf8)))
            #expect(response.status == 400)
            // And the vendor routes still answer at once (nothing was planned).
            let after = try await CRMHTTPClient(client: .shared, timeout: 5).send(
                CRMRequest(method: "GET", url: URL(string: "\(base)/objects")!))
            #expect(after.status == 200)
        }
    }

    @Test func aPlannedDelayIsClampedEvenIfStored() {
        #expect(MockCRM.duration(1e300) == .seconds(600))
        #expect(MockCRM.duration(.nan) == .zero)
        #expect(MockCRM.duration(-3) == .zero)
    }
}
