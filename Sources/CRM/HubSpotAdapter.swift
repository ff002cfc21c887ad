import AIClients
import CallPipeCore
import Foundation

/// HubSpot: a call engagement (`POST /crm/v3/objects/calls`) with `hs_timestamp`,
/// `hs_call_title`, `hs_call_body`, `hs_call_duration` (ms), `hs_call_direction`,
/// `hs_call_status` and our own `callpipe_call_id` property, associated with the contact the
/// call's metadata names (`hubspot_contact_id`). Private-app bearer token.
///
/// HubSpot has no upsert for calls: a repeat searches `callpipe_call_id` first and updates the
/// call it finds (`PATCH /crm/v3/objects/calls/{id}`) instead of creating a second one.
package struct HubSpotAdapter: CRMAdapter {
    /// HubSpot's association type "call to contact".
    package static let callToContact = 194
    package static let callIDProperty = "callpipe_call_id"

    package var target: CRMTarget

    package init(target: CRMTarget) { self.target = target }

    struct Filter: Codable, Equatable {
        var propertyName: String
        var `operator`: String
        var value: String
    }

    struct FilterGroup: Codable, Equatable { var filters: [Filter] }

    struct Search: Codable, Equatable {
        var filterGroups: [FilterGroup]
        var properties: [String]
        var limit: Int
    }

    struct AssociationType: Codable, Equatable {
        var associationCategory: String
        var associationTypeId: Int
    }

    struct Association: Codable, Equatable {
        struct To: Codable, Equatable { var id: String }
        var to: To
        var types: [AssociationType]
    }

    struct Create: Codable, Equatable {
        var properties: [String: String]
        var associations: [Association]
    }

    struct Update: Codable, Equatable {
        var properties: [String: String]
    }

    var headers: [String: String] { ["Authorization": "Bearer \(target.token ?? "")"] }

    package func properties(for record: CRMCallRecord) -> [String: String] {
        [
            "hs_timestamp": record.call.createdAt.formatted(
                Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)),
            "hs_call_title": record.title,
            "hs_call_body": record.body,
            "hs_call_duration": "\(Int((record.durationS * 1_000).rounded()))",
            "hs_call_direction": record.call.direction == "outbound" ? "OUTBOUND" : "INBOUND",
            "hs_call_status": "COMPLETED",
            Self.callIDProperty: record.call.id,
        ]
    }

    package func searchRequest(for record: CRMCallRecord) throws(CRMError) -> CRMRequest {
        try CRMAdapters.build {
            try .json(
                "POST", base: target.url, path: "/crm/v3/objects/calls/search", headers: headers,
                body: Search(
                    filterGroups: [
                        FilterGroup(filters: [
                            Filter(propertyName: Self.callIDProperty, operator: "EQ", value: record.call.id)
                        ])
                    ], properties: [Self.callIDProperty], limit: 1))
        }
    }

    package func createRequest(for record: CRMCallRecord) throws(CRMError) -> CRMRequest {
        let associations = record.call.metadata["hubspot_contact_id"].map {
            [
                Association(
                    to: .init(id: $0),
                    types: [
                        AssociationType(associationCategory: "HUBSPOT_DEFINED", associationTypeId: Self.callToContact)
                    ])
            ]
        }
        return try CRMAdapters.build {
            try .json(
                "POST", base: target.url, path: "/crm/v3/objects/calls", headers: headers,
                body: Create(properties: properties(for: record), associations: associations ?? []))
        }
    }

    package func deliver(_ record: CRMCallRecord, idempotencyKey: String, via http: CRMHTTPClient)
        async throws(CRMError) -> String?
    {
        let found = try await http.sendExpectingSuccess(try searchRequest(for: record), vendor: "HubSpot")
        if let existing = (found.json?["results"] as? [[String: Any]])?.first, let id = existing["id"] as? String {
            let path = "/crm/v3/objects/calls/\(id)"
            _ = try await http.sendExpectingSuccess(
                try CRMAdapters.build {
                    try .json(
                        "PATCH", base: target.url, path: path, headers: headers,
                        body: Update(properties: properties(for: record)))
                }, vendor: "HubSpot")
            return id
        }
        let created = try await http.sendExpectingSuccess(try createRequest(for: record), vendor: "HubSpot")
        return created.json?["id"] as? String
    }
}
