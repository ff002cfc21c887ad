import AIClients
import CallPipeCore
import Foundation

/// Zendesk: a private comment on the ticket the call's metadata names (`zendesk_ticket_id`,
/// `PUT /api/v2/tickets/{id}.json`), or else a new ticket (`POST /api/v2/tickets.json`) with the
/// call id as `external_id`; tags from outcome, sentiment and topics. API-token basic auth
/// (`{email}/token:{token}`).
///
/// Zendesk has no upsert, so a repeat looks first: a new ticket is searched by `external_id`, a
/// comment by the `CallPipe call <id>` line every body ends with.
package struct ZendeskAdapter: CRMAdapter {
    package var target: CRMTarget

    package init(target: CRMTarget) { self.target = target }

    struct Comment: Codable, Equatable {
        var body: String
        var `public`: Bool
    }

    struct Requester: Codable, Equatable {
        var email: String
        var name: String?
    }

    struct TicketUpdate: Codable, Equatable {
        var comment: Comment
        var additional_tags: [String]
    }

    struct NewTicket: Codable, Equatable {
        var subject: String
        var comment: Comment
        var tags: [String]
        var external_id: String
        var priority: String
        var requester: Requester?
    }

    struct Envelope<Ticket: Codable & Equatable>: Codable, Equatable {
        var ticket: Ticket
    }

    var headers: [String: String] {
        let user = target.email.map { "\($0)/token:\(target.token ?? "")" } ?? (target.token ?? "")
        return ["Authorization": "Basic \(Data(user.utf8).base64EncodedString())"]
    }

    package func commentRequest(for record: CRMCallRecord, ticket: String) throws(CRMError) -> CRMRequest {
        try CRMAdapters.build {
            try .json(
                "PUT", base: target.url, path: "/api/v2/tickets/\(ticket).json", headers: headers,
                body: Envelope(
                    ticket: TicketUpdate(
                        comment: Comment(body: record.body, public: false), additional_tags: record.tags)))
        }
    }

    package func ticketRequest(for record: CRMCallRecord, idempotencyKey: String) throws(CRMError) -> CRMRequest {
        let insights = record.insights
        let requester = record.call.metadata["zendesk_requester_email"].map {
            Requester(email: $0, name: record.call.metadata["zendesk_requester_name"])
        }
        var request = try CRMAdapters.build {
            try .json(
                "POST", base: target.url, path: "/api/v2/tickets.json", headers: headers,
                body: Envelope(
                    ticket: NewTicket(
                        subject: record.title, comment: Comment(body: record.body, public: false), tags: record.tags,
                        external_id: record.call.id,
                        priority: insights.outcome == .escalated || insights.sentiment.label == .negative
                            ? "high" : "normal",
                        requester: requester)))
        }
        request.headers["Idempotency-Key"] = idempotencyKey
        return request
    }

    package func deliver(_ record: CRMCallRecord, idempotencyKey: String, via http: CRMHTTPClient)
        async throws(CRMError) -> String?
    {
        if let ticket = record.call.metadata["zendesk_ticket_id"] {
            guard ticket.allSatisfy(\.isNumber), !ticket.isEmpty else {
                throw CRMError(
                    .deliveryRejected, "zendesk_ticket_id \"\(ticket.prefix(40))\" is not a ticket number")
            }
            let marker = "CallPipe call \(record.call.id)"
            let comments = try await http.sendExpectingSuccess(
                try CRMAdapters.build {
                    try .json(
                        "GET", base: target.url, path: "/api/v2/tickets/\(ticket)/comments.json", headers: headers)
                }, vendor: "Zendesk")
            let existing = comments.json?["comments"] as? [[String: Any]] ?? []
            if existing.contains(where: { ($0["body"] as? String)?.contains(marker) == true }) { return ticket }
            _ = try await http.sendExpectingSuccess(try commentRequest(for: record, ticket: ticket), vendor: "Zendesk")
            return ticket
        }
        let found = try await http.sendExpectingSuccess(
            try CRMAdapters.build {
                try .json(
                    "GET", base: target.url, path: "/api/v2/tickets.json",
                    query: [URLQueryItem(name: "external_id", value: record.call.id)], headers: headers)
            }, vendor: "Zendesk")
        if let ticket = (found.json?["tickets"] as? [[String: Any]])?.first, let id = ticket["id"] {
            return "\(id)"
        }
        let created = try await http.sendExpectingSuccess(
            try ticketRequest(for: record, idempotencyKey: idempotencyKey), vendor: "Zendesk")
        return ((created.json?["ticket"] as? [String: Any])?["id"]).map { "\($0)" }
    }
}
