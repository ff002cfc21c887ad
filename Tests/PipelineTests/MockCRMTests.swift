import AsyncHTTPClient
import Foundation
import MockCRM
import Testing

@testable import CRM

@Suite("The mock CRM refuses what the real APIs refuse", .timeLimit(.minutes(3)))
struct MockCRMTests {
    static func send(
        _ method: String, _ url: String, headers: [String: String] = [:], json: String? = nil
    ) async throws -> CRMResponse {
        var headers = headers
        if json != nil { headers["Content-Type"] = "application/json" }
        return try await CRMHTTPClient(client: .shared, timeout: 30).send(
            CRMRequest(method: method, url: URL(string: url)!, headers: headers, body: json.map { Data($0.utf8) }))
    }

    @Test func checksCredentialsFieldsTypesAndSignatures() async throws {
        try await MockCRM.run { mock, base in
            let credentials = mock.credentials
            let task = "\(base)/salesforce/services/data/v60.0/sobjects/Task/CallPipe_Call_Id__c/c1"
            let bearer = ["Authorization": "Bearer \(credentials.salesforceToken)"]
            #expect(try await Self.send("PATCH", task, json: #"{"Subject":"x"}"#).status == 401)
            let unknown = try await Self.send("PATCH", task, headers: bearer, json: #"{"Subject":"x","Mood":"good"}"#)
            #expect(unknown.status == 400 && CRMHTTPClient.vendorMessage(unknown).contains("No such column 'Mood'"))
            let badType = try await Self.send(
                "PATCH", task, headers: bearer, json: #"{"Subject":"x","CallDurationInSeconds":"long"}"#)
            #expect(badType.status == 400)
            let created = try await Self.send(
                "PATCH", task, headers: bearer, json: #"{"Subject":"x","Status":"Completed"}"#)
            #expect(created.status == 201 && created.json?["created"] as? Bool == true)
            let updated = try await Self.send("PATCH", task, headers: bearer, json: #"{"Subject":"y"}"#)
            #expect(updated.status == 200 && updated.json?["id"] as? String == created.json?["id"] as? String)

            let hubspot = ["Authorization": "Bearer \(credentials.hubspotToken)"]
            let noTimestamp = try await Self.send(
                "POST", "\(base)/hubspot/crm/v3/objects/calls", headers: hubspot,
                json: #"{"properties":{"hs_call_title":"x"}}"#)
            #expect(noTimestamp.status == 400 && noTimestamp.json?["category"] as? String == "VALIDATION_ERROR")
            let wrongDirection = try await Self.send(
                "POST", "\(base)/hubspot/crm/v3/objects/calls", headers: hubspot,
                json: #"{"properties":{"hs_timestamp":"2026-11-02T09:00:00Z","hs_call_direction":"SIDEWAYS"}}"#)
            #expect(wrongDirection.status == 400)

            let zendesk = try await Self.send(
                "PUT", "\(base)/zendesk/api/v2/tickets/99999.json",
                headers: [
                    "Authorization": "Basic "
                        + Data("\(credentials.zendeskEmail)/token:\(credentials.zendeskToken)".utf8)
                        .base64EncodedString()
                ], json: #"{"ticket":{"comment":{"body":"hi","public":false}}}"#)
            #expect(zendesk.status == 404 && zendesk.json?["error"] as? String == "RecordNotFound")

            let body = Data(#"{"event":"call.completed"}"#.utf8)
            let stale = WebhookSignature.sign(
                body, secret: credentials.webhookSecret, timestamp: Int(Date().timeIntervalSince1970) - 3_600)
            let replayed = try await Self.send(
                "POST", "\(base)/webhook", headers: [WebhookSignature.header: stale, "Idempotency-Key": "k"],
                json: String(decoding: body, as: UTF8.self))
            #expect(replayed.status == 400, "a signature an hour old is a replay")
            let fresh = WebhookSignature.sign(
                body, secret: credentials.webhookSecret, timestamp: Int(Date().timeIntervalSince1970))
            let unkeyed = try await Self.send(
                "POST", "\(base)/webhook", headers: [WebhookSignature.header: fresh],
                json: String(decoding: body, as: UTF8.self))
            #expect(unkeyed.status == 400)
            for expected in [false, true] {
                let accepted = try await Self.send(
                    "POST", "\(base)/webhook", headers: [WebhookSignature.header: fresh, "Idempotency-Key": "k"],
                    json: String(decoding: body, as: UTF8.self))
                #expect(accepted.status == 200 && accepted.json?["duplicate"] as? Bool == expected)
            }

            let log = try await Self.send("GET", "\(base)/requests?vendor=salesforce")
            let recorded = log.json?["requests"] as? [[String: Any]] ?? []
            #expect(recorded.count == 5)
            #expect(!String(decoding: log.body, as: UTF8.self).contains(credentials.salesforceToken), "auth is masked")
            #expect(try await Self.send("POST", "\(base)/control", json: #"{"modes":["teapot"]}"#).status == 400)
            #expect(
                try await Self.send("POST", "\(base)/control", json: #"{"fail_next":1,"modes":["429"]}"#).status == 200)
            let limited = try await Self.send("PATCH", task, headers: bearer, json: #"{"Subject":"z"}"#)
            #expect(limited.status == 429 && limited.headers["retry-after"] == "1")
        }
    }
}
