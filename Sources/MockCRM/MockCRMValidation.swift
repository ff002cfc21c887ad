import Foundation

/// What each vendor's real API would refuse, checked on the mock's requests: required fields,
/// types, allowed values and unknown fields. Each function returns the problems found.
enum MockCRMValidation {
    static let salesforceFields: Set<String> = [
        "Subject", "Description", "Status", "Priority", "ActivityDate", "CallDurationInSeconds", "CallType",
        "CallDisposition", "TaskSubtype", "WhoId", "WhatId", "OwnerId", "Type",
    ]

    static func salesforceTask(_ fields: [String: Any]) -> [String] {
        var problems: [String] = []
        for name in fields.keys.sorted() where !salesforceFields.contains(name) {
            problems.append("No such column '\(name)' on sobject of type Task")
        }
        if let subject = fields["Subject"] {
            guard let text = subject as? String, !text.isEmpty, text.count <= 255 else {
                return problems + ["Subject: data value too large or not a string"]
            }
        } else {
            problems.append("Required fields are missing: [Subject]")
        }
        check(
            fields, "Status", in: ["Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred"],
            &problems)
        check(fields, "Priority", in: ["High", "Normal", "Low"], &problems)
        check(fields, "CallType", in: ["Inbound", "Outbound", "Internal"], &problems)
        if let date = fields["ActivityDate"] {
            if (date as? String).flatMap({ try? Date("\($0)T00:00:00Z", strategy: .iso8601) }) == nil {
                problems.append("ActivityDate: value not of required type: \(date)")
            }
        }
        if let duration = fields["CallDurationInSeconds"] {
            if !isInteger(duration) || (duration as? Int ?? -1) < 0 {
                problems.append("CallDurationInSeconds: value not of required type: \(duration)")
            }
        }
        if let description = fields["Description"], (description as? String)?.count ?? 40_000 > 32_000 {
            problems.append("Description: data value too large")
        }
        for name in ["WhoId", "WhatId"] {
            if let id = fields[name] {
                guard let text = id as? String, [15, 18].contains(text.count),
                    text.allSatisfy({ $0.isLetter || $0.isNumber })
                else {
                    problems.append("\(name): id value of incorrect type: \(id)")
                    continue
                }
            }
        }
        return problems
    }

    static func zendeskTicket(_ ticket: [String: Any], creating: Bool) -> [String] {
        var problems: [String] = []
        guard let comment = ticket["comment"] as? [String: Any], let body = comment["body"] as? String, !body.isEmpty
        else { return ["Comment: body is required"] }
        if let visibility = comment["public"], !(visibility is Bool) || isInteger(visibility) {
            problems.append("Comment: public must be true or false")
        }
        if creating {
            if let subject = ticket["subject"], !(subject is String) { problems.append("Subject: must be a string") }
            if let external = ticket["external_id"], !(external is String) {
                problems.append("External id: must be a string")
            }
            if let priority = ticket["priority"],
                !["urgent", "high", "normal", "low"].contains(priority as? String ?? "")
            {
                problems.append("Priority: is not valid")
            }
            if let requester = ticket["requester"] {
                if ((requester as? [String: Any])?["email"] as? String)?.contains("@") != true {
                    problems.append("Requester: email is invalid")
                }
            }
        }
        for key in ["tags", "additional_tags"] {
            if let tags = ticket[key] {
                guard let list = tags as? [Any], list.allSatisfy({ ($0 as? String).map { !$0.contains(" ") } ?? false })
                else {
                    problems.append("\(key): must be an array of strings without spaces")
                    continue
                }
            }
        }
        return problems
    }

    static let hubspotCallProperties: Set<String> = [
        "hs_timestamp", "hs_call_title", "hs_call_body", "hs_call_duration", "hs_call_direction", "hs_call_status",
        "hs_call_disposition", "hs_call_from_number", "hs_call_to_number", "hs_call_recording_url",
        "hubspot_owner_id", "callpipe_call_id",
    ]

    static func hubspotCall(_ object: [String: Any], creating: Bool) -> [String] {
        guard let properties = object["properties"] as? [String: Any] else { return ["properties: is required"] }
        var problems: [String] = []
        for name in properties.keys.sorted() where !hubspotCallProperties.contains(name) {
            problems.append("Property \"\(name)\" does not exist")
        }
        for (name, value) in properties where !(value is String) && !isNumber(value) {
            problems.append("Property \"\(name)\": must be a string or number")
        }
        if creating, properties["hs_timestamp"] == nil { problems.append("Property \"hs_timestamp\" is required") }
        if let timestamp = properties["hs_timestamp"] as? String, (try? Date(timestamp, strategy: .iso8601)) == nil,
            Int(timestamp) == nil
        {
            problems.append("Property \"hs_timestamp\": \(timestamp) is not a valid datetime")
        }
        if let duration = properties["hs_call_duration"], Int("\(duration)") == nil {
            problems.append("Property \"hs_call_duration\": \(duration) is not a whole number of milliseconds")
        }
        if let direction = properties["hs_call_direction"] as? String, !["INBOUND", "OUTBOUND"].contains(direction) {
            problems.append("Property \"hs_call_direction\": \(direction) is not a valid option")
        }
        let statuses = [
            "BUSY", "CALLING_CRM_USER", "CANCELED", "COMPLETED", "CONNECTING", "FAILED", "IN_PROGRESS", "NO_ANSWER",
            "QUEUED", "RINGING",
        ]
        if let status = properties["hs_call_status"] as? String, !statuses.contains(status) {
            problems.append("Property \"hs_call_status\": \(status) is not a valid option")
        }
        if let associations = object["associations"] {
            guard let list = associations as? [[String: Any]] else {
                return problems + ["associations: must be an array"]
            }
            for association in list {
                let to = (association["to"] as? [String: Any])?["id"]
                let types = association["types"] as? [[String: Any]] ?? []
                if to == nil || types.isEmpty
                    || !types.allSatisfy({
                        isInteger($0["associationTypeId"] as Any) && $0["associationCategory"] is String
                    })
                {
                    problems.append(
                        "associations: each needs to.id and types with associationCategory and associationTypeId")
                }
            }
        }
        return problems
    }

    private static func check(
        _ fields: [String: Any], _ name: String, in allowed: Set<String>, _ problems: inout [String]
    ) {
        guard let value = fields[name] else { return }
        if !allowed.contains(value as? String ?? "") {
            problems.append("\(name): bad value for restricted picklist field: \(value)")
        }
    }

    /// JSONSerialization gives numbers as NSNumber; booleans are NSNumber too.
    static func isInteger(_ value: Any) -> Bool {
        guard let number = value as? NSNumber, !isBoolean(number) else { return false }
        return number.doubleValue == number.doubleValue.rounded()
    }

    static func isNumber(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return !isBoolean(number)
    }

    static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c" || type(of: number) == type(of: NSNumber(value: true))
    }
}
