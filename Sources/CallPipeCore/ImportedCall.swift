package import AIClients
package import Foundation

/// A call as a vendor described it, mapped to CallPipe's terms: what a sync stores (unique by
/// `vendor` + `vendorID`, updated in place when seen again; docs/connectors.md).
package struct ImportedCall: Sendable, Equatable, Codable {
    package enum Status: String, Sendable, Codable { case completed, missed }

    package var vendor: String
    package var vendorID: String
    /// `inbound` or `outbound`.
    package var direction: String
    package var status: Status
    package var agentID: String?
    package var agentName: String?
    package var agentEmail: String?
    package var customerName: String?
    package var customerPhone: String?
    package var startedAt: Date
    package var endedAt: Date?
    /// Talk time in seconds (0 for a missed call).
    package var durationS: Double
    /// Where the vendor keeps the recording, when it has one.
    package var recordingURL: URL?
    /// The vendor has audio of the call that the sync imports (a recording URL, or a voice bot's
    /// conversation audio).
    package var hasAudio: Bool
    /// The vendor's own transcript (a voice-bot platform's), kept as the call's transcript.
    package var transcript: Transcript?
    /// The conversation as the voice-bot KPIs read it, for a voice-bot platform's call.
    package var session: VoiceBotSession?

    package init(
        vendor: String, vendorID: String, direction: String, status: Status, agentID: String? = nil,
        agentName: String? = nil, agentEmail: String? = nil, customerName: String? = nil,
        customerPhone: String? = nil, startedAt: Date, endedAt: Date? = nil, durationS: Double,
        recordingURL: URL? = nil, hasAudio: Bool? = nil, transcript: Transcript? = nil, session: VoiceBotSession? = nil
    ) {
        self.vendor = vendor
        self.vendorID = vendorID
        self.direction = direction
        self.status = status
        self.agentID = agentID
        self.agentName = agentName
        self.agentEmail = agentEmail
        self.customerName = customerName
        self.customerPhone = customerPhone
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.durationS = durationS
        self.recordingURL = recordingURL
        self.hasAudio = hasAudio ?? (recordingURL != nil)
        self.transcript = transcript
        self.session = session
    }

    /// The CallPipe agent id of an imported call: the vendor's agent id under the vendor's name
    /// (`dialpad:5001`), so two vendors' ids never meet; `<vendor>:unassigned` without one.
    package var callAgentID: String { "\(vendor):\(agentID ?? "unassigned")" }

    /// The recording id an imported call's audio gets: the same on every attempt, so importing
    /// it again after a crash finds the first one.
    package var recordingID: String {
        let safe = vendorID.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? String($0) : "_" }.joined()
        return "rec_\(vendor)_\(safe)"
    }

    /// What a sync stores of the call apart from its columns: the fields a CallPipe call has no
    /// column for, as the call's metadata.
    package var callMetadata: [String: String] {
        var metadata = ["vendor": vendor, "vendor_id": vendorID, "vendor_status": status.rawValue]
        if let agentName { metadata["agent_name"] = agentName }
        if let agentEmail { metadata["agent_email"] = agentEmail }
        if let customerName { metadata["customer_name"] = customerName }
        if let customerPhone { metadata["customer_phone"] = customerPhone }
        if transcript != nil { metadata["transcript_source"] = vendor }
        return metadata
    }
}

extension ImportedCall {
    /// The call as the stores keep it (a JSON column): dates as seconds since 1970, keys sorted,
    /// so the same call is the same text.
    package func storedJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    package init(storedJSON: String) throws {
        self = try Self.storedDecoder.decode(ImportedCall.self, from: Data(storedJSON.utf8))
    }

    static let storedDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    /// The CallPipe call a new imported call becomes: `ended` while its audio is to be fetched
    /// (the pipeline then takes it from there), else `done` (nothing to process).
    package func storedCall(id: String, now: Date, isDemo: Bool = false) -> StoredCall {
        StoredCall(
            id: id, agentID: callAgentID, customerID: customerPhone, direction: direction, metadata: callMetadata,
            status: hasAudio ? .ended : .done, createdAt: startedAt,
            endedAt: endedAt ?? startedAt.addingTimeInterval(durationS), updatedAt: now, isDemo: isDemo, source: vendor)
    }
}
