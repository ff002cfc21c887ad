import AIClients
import Foundation
import Testing

@testable import CRM
@testable import CallPipeCore

@Suite("CRM adapters: each vendor's request shape", .timeLimit(.minutes(3)))
struct CRMAdapterTests {
    static let demo = CRMTestSupport.call(
        "call_abc", direction: "outbound", at: 9 * 3_600, duration: 125.4, agentTalk: 60, customerTalk: 50, silence: 10,
        interruptions: 1, outcome: .escalated, sentiment: -0.5, topics: ["Billing", "refund request"],
        metadata: [
            "salesforce_who_id": "003000000000001AAA", "salesforce_what_id": "500000000000002AAA",
            "hubspot_contact_id": "901", "zendesk_ticket_id": "4242",
        ])
    static let record = CRMTestSupport.record(demo)

    static func object(_ data: Data?) throws -> [String: Any] {
        let body = try #require(data)
        return try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
    }

    @Test func salesforceUpsertsATaskByTheCallIdWithTheCallFields() throws {
        let target = CRMTarget(
            id: "salesforce", kind: .salesforce, url: URL(string: "https://acme.my.salesforce.com")!,
            token: "00Dxx!secret")
        let request = try SalesforceAdapter(target: target).request(for: Self.record)
        #expect(request.method == "PATCH")
        #expect(
            request.url.absoluteString
                == "https://acme.my.salesforce.com/services/data/v60.0/sobjects/Task/CallPipe_Call_Id__c/call_abc")
        #expect(request.headers["Authorization"] == "Bearer 00Dxx!secret")
        let fields = try Self.object(request.body)
        #expect(fields["Subject"] as? String == "Outbound call with cust-call_abc: escalated")
        #expect(fields["Status"] as? String == "Completed")
        #expect(fields["Priority"] as? String == "High")
        #expect(fields["ActivityDate"] as? String == "2026-11-02")
        #expect(fields["CallDurationInSeconds"] as? Int == 125)
        #expect(fields["CallType"] as? String == "Outbound")
        #expect(fields["CallDisposition"] as? String == "escalated")
        #expect(fields["WhoId"] as? String == "003000000000001AAA")
        #expect(fields["WhatId"] as? String == "500000000000002AAA")
        let description = try #require(fields["Description"] as? String)
        #expect(description.contains("Action items:\n- Confirm the refund (agent)"))
        #expect(description.hasSuffix("CallPipe call call_abc"))
        #expect(fields["CallPipe_Call_Id__c"] == nil, "the external id is in the path, not the body")
    }

    @Test func zendeskCommentsOnTheNamedTicketOrOpensOneWithTheCallAsExternalID() throws {
        let target = CRMTarget(
            id: "zendesk", kind: .zendesk, url: URL(string: "https://acme.zendesk.com")!, token: "tok",
            email: "agent@acme.com")
        let adapter = ZendeskAdapter(target: target)
        let comment = try adapter.commentRequest(for: Self.record, ticket: "4242")
        #expect(comment.method == "PUT")
        #expect(comment.url.absoluteString == "https://acme.zendesk.com/api/v2/tickets/4242.json")
        #expect(
            comment.headers["Authorization"] == "Basic " + Data("agent@acme.com/token:tok".utf8).base64EncodedString())
        let update = try #require(try Self.object(comment.body)["ticket"] as? [String: Any])
        #expect((update["comment"] as? [String: Any])?["public"] as? Bool == false)
        #expect(
            update["additional_tags"] as? [String] == [
                "callpipe", "outcome_escalated", "sentiment_negative", "billing", "refund_request",
            ])
        let create = try adapter.ticketRequest(for: Self.record, idempotencyKey: "key-1")
        #expect(create.method == "POST" && create.url.path == "/api/v2/tickets.json")
        #expect(create.headers["Idempotency-Key"] == "key-1")
        let ticket = try #require(try Self.object(create.body)["ticket"] as? [String: Any])
        #expect(ticket["external_id"] as? String == "call_abc")
        #expect(ticket["priority"] as? String == "high")
        #expect(ticket["tags"] as? [String] == update["additional_tags"] as? [String])
    }

    @Test func hubSpotSearchesByCallIDThenCreatesACallAssociatedWithTheContact() throws {
        let target = CRMTarget(
            id: "hubspot", kind: .hubspot, url: URL(string: "https://api.hubapi.com")!, token: "pat-na1-x")
        let adapter = HubSpotAdapter(target: target)
        let search = try adapter.searchRequest(for: Self.record)
        #expect(
            search.method == "POST" && search.url.absoluteString == "https://api.hubapi.com/crm/v3/objects/calls/search"
        )
        let filter = try #require(
            ((try Self.object(search.body)["filterGroups"] as? [[String: Any]])?.first?["filters"] as? [[String: Any]])?
                .first)
        #expect(filter["propertyName"] as? String == "callpipe_call_id" && filter["value"] as? String == "call_abc")
        let create = try adapter.createRequest(for: Self.record)
        #expect(create.headers["Authorization"] == "Bearer pat-na1-x")
        let body = try Self.object(create.body)
        let properties = try #require(body["properties"] as? [String: String])
        #expect(properties["hs_timestamp"] == "2026-11-02T09:00:00.000Z")
        #expect(properties["hs_call_duration"] == "125400", "milliseconds")
        #expect(properties["hs_call_direction"] == "OUTBOUND")
        #expect(properties["hs_call_status"] == "COMPLETED")
        #expect(properties["callpipe_call_id"] == "call_abc")
        #expect(properties["hs_call_title"] == "Outbound call with cust-call_abc: escalated")
        let association = try #require((body["associations"] as? [[String: Any]])?.first)
        #expect((association["to"] as? [String: Any])?["id"] as? String == "901")
        #expect(
            (association["types"] as? [[String: Any]])?.first?["associationTypeId"] as? Int
                == HubSpotAdapter.callToContact)
    }

    @Test func webhooksCarryTheWholeReportAStableKeyAndAVerifiableSignature() throws {
        let target = CRMTarget(
            id: "webhook", kind: .webhook, url: URL(string: "https://hooks.example.com/callpipe?x=1")!,
            secret: "whsec_test")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let request = try WebhookAdapter(target: target).request(for: Self.record, idempotencyKey: "k-1", now: now)
        #expect(request.method == "POST" && request.url.absoluteString == "https://hooks.example.com/callpipe?x=1")
        #expect(request.headers["Idempotency-Key"] == "k-1")
        let signature = try #require(request.headers[WebhookSignature.header])
        #expect(signature.hasPrefix("t=1800000000,v1="))
        let body = try #require(request.body)
        let report = try Self.object(body)
        #expect(report["event"] as? String == "call.completed" && report["call_id"] as? String == "call_abc")
        #expect((report["insights"] as? [String: Any])?["outcome"] as? String == "escalated")
        #expect(report["transcript"] != nil && report["analysis"] != nil)
        // A receiver accepts it; a changed body, a wrong secret or an old signature it rejects.
        #expect(WebhookSignature.verify(signature, body: body, secret: "whsec_test", now: now))
        #expect(!WebhookSignature.verify(signature, body: body + Data(" ".utf8), secret: "whsec_test", now: now))
        #expect(!WebhookSignature.verify(signature, body: body, secret: "other", now: now))
        #expect(!WebhookSignature.verify(signature, body: body, secret: "whsec_test", now: now + 301))
        #expect(!WebhookSignature.verify("v1=abc", body: body, secret: "whsec_test", now: now))
        // The known vector, from Python's hmac: HMAC-SHA256("key", "1.body").
        #expect(
            WebhookSignature.sign(Data("body".utf8), secret: "key", timestamp: 1)
                == "t=1,v1=91b5374b153842ad05b2c4eab9349b8321b14703165bd3fb8b034dfb8be98ae5")
    }

    @Test func failuresMapToWhatTheServiceDoes() {
        let retry = CRMHTTPClient.failure(
            CRMResponse(status: 429, headers: ["retry-after": "7"], body: Data(#"{"message":"slow down"}"#.utf8)),
            vendor: "HubSpot")
        #expect(retry.code == .deliveryUnavailable && retry.retryAfter == 7 && retry.message.contains("slow down"))
        let rejected = CRMHTTPClient.failure(
            CRMResponse(status: 400, body: Data(#"[{"message":"bad Subject","errorCode":"INVALID_FIELD"}]"#.utf8)),
            vendor: "Salesforce")
        #expect(rejected.code == .deliveryRejected && rejected.message.contains("INVALID_FIELD: bad Subject"))
        let zendesk = CRMHTTPClient.failure(
            CRMResponse(
                status: 422, body: Data(#"{"error":"RecordInvalid","description":"Record validation errors"}"#.utf8)),
            vendor: "Zendesk")
        #expect(zendesk.message.hasSuffix("RecordInvalid: Record validation errors"))
        #expect(CRMHTTPClient.failure(CRMResponse(status: 403), vendor: "x").code == .deliveryUnauthorized)
        #expect(CRMHTTPClient.failure(CRMResponse(status: 503), vendor: "x").code == .deliveryUnavailable)
        #expect(CRMHTTPClient.failure(CRMResponse(status: 404), vendor: "x").code == .deliveryRejected)
        #expect(RetryAfter.seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0, "a date in the past: now")
    }

    @Test func backoffDoublesWithJitterAndHonoursRetryAfterUpToTheCap() {
        var configuration = CRMConfiguration()
        configuration.baseDelay = 2
        configuration.maxDelay = 60
        for attempt in 1...8 {
            let ceiling = min(60, 2 * pow(2, Double(attempt - 1)))
            let delay = CRMDeliveryService.retryDelay(attempt: attempt, retryAfter: nil, configuration: configuration)
            #expect(delay >= ceiling / 2 && delay <= ceiling, "attempt \(attempt): \(delay)")
        }
        #expect(CRMDeliveryService.retryDelay(attempt: 1, retryAfter: 30, configuration: configuration) == 30)
        #expect(CRMDeliveryService.retryDelay(attempt: 1, retryAfter: 3_600, configuration: configuration) == 60)
    }
}
