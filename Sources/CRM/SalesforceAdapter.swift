import AIClients
import CallPipeCore
import Foundation

/// A Salesforce Task per call, upserted by the external id field `CallPipe_Call_Id__c`
/// (`PATCH /services/data/v60.0/sobjects/Task/CallPipe_Call_Id__c/{call id}`), so sending the
/// same call again updates the same Task. OAuth bearer token. Call metadata may name the
/// `salesforce_who_id` (Contact or Lead) and `salesforce_what_id` (Account, Case, ...).
package struct SalesforceAdapter: CRMAdapter {
    package static let apiVersion = "v60.0"
    package static let externalIDField = "CallPipe_Call_Id__c"

    package var target: CRMTarget

    package init(target: CRMTarget) { self.target = target }

    /// The Task's fields (Salesforce API names).
    package struct TaskFields: Codable, Equatable, Sendable {
        var Subject: String
        var Description: String
        var Status: String
        var Priority: String
        var ActivityDate: String
        var CallDurationInSeconds: Int
        var CallType: String
        var CallDisposition: String
        var TaskSubtype: String
        var WhoId: String?
        var WhatId: String?
    }

    package func request(for record: CRMCallRecord) throws(CRMError) -> CRMRequest {
        let insights = record.insights
        let fields = TaskFields(
            Subject: String(record.title.prefix(255)), Description: String(record.body.prefix(32_000)),
            Status: "Completed",
            Priority: insights.outcome == .escalated || insights.sentiment.label == .negative ? "High" : "Normal",
            ActivityDate: CRMAdapters.day(record.call.createdAt),
            CallDurationInSeconds: Int(record.durationS.rounded()),
            CallType: record.call.direction == "outbound" ? "Outbound" : "Inbound",
            CallDisposition: String(insights.outcome.rawValue.prefix(255)), TaskSubtype: "Call",
            WhoId: record.call.metadata["salesforce_who_id"], WhatId: record.call.metadata["salesforce_what_id"])
        let id = record.call.id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? record.call.id
        return try CRMAdapters.build {
            try .json(
                "PATCH", base: target.url,
                path: "/services/data/\(Self.apiVersion)/sobjects/Task/\(Self.externalIDField)/\(id)",
                headers: ["Authorization": "Bearer \(target.token ?? "")"], body: fields)
        }
    }

    package func deliver(_ record: CRMCallRecord, idempotencyKey: String, via http: CRMHTTPClient)
        async throws(CRMError) -> String?
    {
        // 201 with the new id when created, 200 (or 204) when the Task existed and was updated.
        let response = try await http.sendExpectingSuccess(try request(for: record), vendor: "Salesforce")
        return response.json?["id"] as? String
    }
}
