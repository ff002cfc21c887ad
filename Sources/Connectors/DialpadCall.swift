package import CallPipeCore
import Foundation

/// One call of Dialpad's `GET /api/v2/call` (the fields a sync uses; others are ignored). Ids and
/// millisecond timestamps are read as numbers or strings of digits, as Dialpad sends them.
package struct DialpadCall: Decodable, Sendable {
    struct Party: Decodable, Sendable {
        var id: FlexibleNumber?
        var name: String?
        var phone: String?
        var email: String?
        var type: String?
    }

    struct Recording: Decodable, Sendable {
        var id: FlexibleNumber?
        var url: String?
        var recording_type: String?
    }

    var call_id: FlexibleNumber
    var direction: String?
    var state: String?
    var date_started: FlexibleNumber?
    var date_connected: FlexibleNumber?
    var date_ended: FlexibleNumber?
    /// Talk time in milliseconds.
    var duration: FlexibleNumber?
    var contact: Party?
    var target: Party?
    var recording_details: [Recording]?

    /// The call in CallPipe's terms; `operators` (by id) name the agent when the target is one.
    /// Dialpad lists only ended calls and has no "missed" field in this list: a call that never
    /// connected (no `date_connected`, no talk time) counts as missed (docs/connectors.md).
    package func imported(operators: [String: DialpadOperator] = [:]) -> ImportedCall? {
        guard let started = date_started?.value else { return nil }
        let connected = date_connected != nil && (duration?.value ?? 0) > 0
        let agentID = target?.id?.idText
        let agent = agentID.flatMap { operators[$0] }
        let recording = recording_details?.first { $0.recording_type != "voicemail" }?.url.flatMap(URL.init(string:))
        return ImportedCall(
            vendor: "dialpad", vendorID: call_id.idText, direction: direction == "outbound" ? "outbound" : "inbound",
            status: state == "missed" || !connected ? .missed : .completed, agentID: agentID,
            agentName: agent?.name ?? target?.name, agentEmail: agent?.email ?? target?.email,
            customerName: contact?.name, customerPhone: contact?.phone,
            startedAt: Date(timeIntervalSince1970: started / 1_000),
            endedAt: date_ended.map { Date(timeIntervalSince1970: $0.value / 1_000) },
            durationS: connected ? (duration?.value ?? 0) / 1_000 : 0, recordingURL: connected ? recording : nil)
    }
}

/// A page of calls and the cursor of the next one (none on the last page).
package struct DialpadCallPage: Decodable, Sendable {
    package var items: [DialpadCall]
    package var cursor: String?

    enum CodingKeys: String, CodingKey { case items, cursor }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        items = try container.decodeIfPresent([DialpadCall].self, forKey: .items) ?? []
        cursor = try container.decodeIfPresent(String.self, forKey: .cursor).flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// An operator (user) of a Dialpad department: the agent a call's target names.
package struct DialpadOperator: Sendable, Equatable {
    package var id: String
    package var name: String?
    package var email: String?
}
