import Foundation

/// The vendors' record-keeping: what each endpoint does with a valid request.
extension MockCRMState {
    // MARK: Salesforce

    func salesforceUpsert(externalID: String, body: Data) -> MockAnswer {
        guard let fields = MockAnswer.object(body) else {
            return .json(400, [["message": "The request body is not a JSON object", "errorCode": "JSON_PARSER_ERROR"]])
        }
        let problems = MockCRMValidation.salesforceTask(fields)
        if !problems.isEmpty {
            return .json(400, problems.map { ["message": $0, "errorCode": "INVALID_FIELD", "fields": [String]()] })
        }
        let strings = fields.mapValues { "\($0)" }
        if var task = salesforceTasks[externalID] {
            task.fields.merge(strings) { $1 }
            salesforceTasks[externalID] = task
            return .json(200, ["id": task.id, "success": true, "errors": [String](), "created": false])
        }
        salesforceCreates += 1
        let id = "00T" + String(format: "%012d", salesforceCreates) + "AAA"
        salesforceTasks[externalID] = (id, strings)
        return .json(201, ["id": id, "success": true, "errors": [String](), "created": true])
    }

    // MARK: Zendesk

    func zendeskCreate(body: Data) -> MockAnswer {
        guard let ticket = MockAnswer.object(body)?["ticket"] as? [String: Any] else {
            return Self.zendeskInvalid("The request must be {\"ticket\": {...}}")
        }
        let problems = MockCRMValidation.zendeskTicket(ticket, creating: true)
        guard problems.isEmpty else { return Self.zendeskInvalid(problems.joined(separator: "; ")) }
        nextTicket += 1
        let comment = (ticket["comment"] as? [String: Any])?["body"] as? String ?? ""
        let subject = ticket["subject"] as? String ?? String(comment.prefix(50))
        let external = ticket["external_id"] as? String
        zendeskTickets[nextTicket] = (subject, external, ticket["tags"] as? [String] ?? [], [comment])
        return .json(201, ["ticket": Self.zendeskTicketJSON(nextTicket, zendeskTickets[nextTicket]!)])
    }

    func zendeskUpdate(ticketID: Int, body: Data) -> MockAnswer {
        guard var existing = zendeskTickets[ticketID] else {
            return .json(404, ["error": "RecordNotFound", "description": "Not found"])
        }
        guard let ticket = MockAnswer.object(body)?["ticket"] as? [String: Any] else {
            return Self.zendeskInvalid("The request must be {\"ticket\": {...}}")
        }
        let problems = MockCRMValidation.zendeskTicket(ticket, creating: false)
        guard problems.isEmpty else { return Self.zendeskInvalid(problems.joined(separator: "; ")) }
        existing.comments.append((ticket["comment"] as? [String: Any])?["body"] as? String ?? "")
        for tag in ticket["additional_tags"] as? [String] ?? [] where !existing.tags.contains(tag) {
            existing.tags.append(tag)
        }
        zendeskTickets[ticketID] = existing
        return .json(200, ["ticket": Self.zendeskTicketJSON(ticketID, existing), "audit": ["id": ticketID * 10]])
    }

    func zendeskComments(ticketID: Int) -> MockAnswer {
        guard let ticket = zendeskTickets[ticketID] else {
            return .json(404, ["error": "RecordNotFound", "description": "Not found"])
        }
        let comments = ticket.comments.enumerated().map { index, body in
            ["id": ticketID * 100 + index, "body": body, "public": false] as [String: Any]
        }
        return .json(200, ["comments": comments, "count": comments.count])
    }

    func zendeskTickets(externalID: String) -> MockAnswer {
        let found = zendeskTickets.filter { $0.value.externalID == externalID }.sorted { $0.key < $1.key }
        return .json(200, ["tickets": found.map { Self.zendeskTicketJSON($0.key, $0.value) }, "count": found.count])
    }

    /// Adds a ticket, as if an agent had opened it (tests deliver comments to it).
    package func addZendeskTicket(subject: String) -> Int {
        nextTicket += 1
        zendeskTickets[nextTicket] = (subject, nil, [], ["Opened by the customer"])
        return nextTicket
    }

    private static func zendeskTicketJSON(
        _ id: Int, _ ticket: (subject: String, externalID: String?, tags: [String], comments: [String])
    ) -> [String: Any] {
        var json: [String: Any] = ["id": id, "subject": ticket.subject, "tags": ticket.tags, "status": "open"]
        json["external_id"] = ticket.externalID
        return json
    }

    private static func zendeskInvalid(_ description: String) -> MockAnswer {
        .json(
            422,
            [
                "error": "RecordInvalid", "description": "Record validation errors",
                "details": ["base": [["description": description]]],
            ])
    }

    // MARK: HubSpot

    func hubspotCreate(body: Data) -> MockAnswer {
        guard let object = MockAnswer.object(body) else { return Self.hubspotInvalid("Invalid input JSON") }
        let problems = MockCRMValidation.hubspotCall(object, creating: true)
        guard problems.isEmpty else { return Self.hubspotInvalid(problems.joined(separator: "; ")) }
        nextHubSpotID += 1
        let id = "\(nextHubSpotID)"
        hubspotCalls[id] = (object["properties"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
        return .json(201, Self.hubspotCallJSON(id, hubspotCalls[id]!))
    }

    func hubspotUpdate(id: String, body: Data) -> MockAnswer {
        guard var properties = hubspotCalls[id] else {
            return .json(
                404,
                [
                    "status": "error", "message": "Object not found.  objectId are usually numeric.",
                    "category": "OBJECT_NOT_FOUND",
                ])
        }
        guard let object = MockAnswer.object(body) else { return Self.hubspotInvalid("Invalid input JSON") }
        let problems = MockCRMValidation.hubspotCall(object, creating: false)
        guard problems.isEmpty else { return Self.hubspotInvalid(problems.joined(separator: "; ")) }
        properties.merge((object["properties"] as? [String: Any] ?? [:]).mapValues { "\($0)" }) { $1 }
        hubspotCalls[id] = properties
        return .json(200, Self.hubspotCallJSON(id, properties))
    }

    func hubspotSearch(body: Data) -> MockAnswer {
        guard let object = MockAnswer.object(body), let groups = object["filterGroups"] as? [[String: Any]] else {
            return Self.hubspotInvalid("filterGroups is required")
        }
        let filters = groups.flatMap { $0["filters"] as? [[String: Any]] ?? [] }
        guard
            filters.allSatisfy({
                $0["propertyName"] is String && ($0["operator"] as? String) == "EQ" && $0["value"] != nil
            })
        else {
            return Self.hubspotInvalid("each filter needs propertyName, operator EQ and value")
        }
        let matches = hubspotCalls.filter { _, properties in
            filters.allSatisfy { properties[$0["propertyName"] as! String] == "\($0["value"]!)" }
        }.sorted { $0.key < $1.key }
        return .json(200, ["total": matches.count, "results": matches.map { Self.hubspotCallJSON($0.key, $0.value) }])
    }

    private static func hubspotCallJSON(_ id: String, _ properties: [String: String]) -> [String: Any] {
        let now = Date().formatted(.iso8601)
        return ["id": id, "properties": properties, "createdAt": now, "updatedAt": now, "archived": false]
    }

    private static func hubspotInvalid(_ message: String) -> MockAnswer {
        .json(
            400,
            [
                "status": "error", "message": message, "correlationId": UUID().uuidString.lowercased(),
                "category": "VALIDATION_ERROR",
            ])
    }

    // MARK: Webhook

    func webhookReceive(key: String, body: Data) -> MockAnswer {
        webhookReceipts += 1
        if webhooks[key] != nil { return .json(200, ["received": true, "duplicate": true]) }
        webhooks[key] = String(decoding: body, as: UTF8.self)
        return .json(200, ["received": true, "duplicate": false])
    }
}
