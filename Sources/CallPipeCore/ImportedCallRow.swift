package import Foundation

/// The columns an imported call is kept in beside its JSON (docs/connectors.md): what agent
/// activity and the voice-bot KPIs read, so a month of 10,000 calls is read without decoding a
/// transcript or a JSON document per call.
package struct ImportedCallRow: Sendable, Equatable {
    package var vendor: String
    package var vendorID: String
    package var startedAt: Date
    package var agentID: String?
    package var agentName: String?
    package var agentEmail: String?
    package var direction: String
    package var status: String
    package var durationS: Double
    /// The voice-bot session's fields, when the call is a bot's conversation.
    package var botOutcome: String?
    package var botTechnicalError: Bool?
    package var botTransferred: Bool?
    package var botDroppedOut: Bool?
    package var botMessages: Int?
    package var botCost: Double?
    package var botRating: Double?
    /// The evaluation criteria as lines of `id<TAB>outcome`, sorted by id.
    package var botCriteria: String?

    package init(_ call: ImportedCall) {
        vendor = call.vendor
        vendorID = call.vendorID
        startedAt = call.startedAt
        agentID = call.agentID
        agentName = call.agentName
        agentEmail = call.agentEmail
        direction = call.direction
        status = call.status.rawValue
        durationS = call.durationS
        guard let session = call.session else { return }
        botOutcome = session.outcome.rawValue
        botTechnicalError = session.technicalError
        botTransferred = session.transferredToHuman
        botDroppedOut = session.droppedOut
        botMessages = session.botMessages
        botCost = session.cost
        botRating = session.rating
        botCriteria = session.criteria.sorted { $0.key < $1.key }.map { id, outcome in
            let clean = id.map { $0 == "\t" || $0 == "\n" ? " " : String($0) }.joined()
            return "\(clean)\t\(outcome.rawValue)"
        }.joined(separator: "\n")
    }

    package init(
        vendor: String, vendorID: String, startedAt: Date, agentID: String?, agentName: String?, agentEmail: String?,
        direction: String, status: String, durationS: Double, botOutcome: String?, botTechnicalError: Bool?,
        botTransferred: Bool?, botDroppedOut: Bool?, botMessages: Int?, botCost: Double?, botRating: Double?,
        botCriteria: String?
    ) {
        self.vendor = vendor
        self.vendorID = vendorID
        self.startedAt = startedAt
        self.agentID = agentID
        self.agentName = agentName
        self.agentEmail = agentEmail
        self.direction = direction
        self.status = status
        self.durationS = durationS
        self.botOutcome = botOutcome
        self.botTechnicalError = botTechnicalError
        self.botTransferred = botTransferred
        self.botDroppedOut = botDroppedOut
        self.botMessages = botMessages
        self.botCost = botCost
        self.botRating = botRating
        self.botCriteria = botCriteria
    }

    /// The call as agent activity reads it: no transcript, no recording URL.
    package var call: ImportedCall {
        ImportedCall(
            vendor: vendor, vendorID: vendorID, direction: direction,
            status: ImportedCall.Status(rawValue: status) ?? .completed, agentID: agentID, agentName: agentName,
            agentEmail: agentEmail, startedAt: startedAt, durationS: durationS, hasAudio: false, session: session)
    }

    /// The voice-bot session, when the call is a bot's conversation.
    package var session: VoiceBotSession? {
        guard let botOutcome else { return nil }
        return VoiceBotSession(
            id: vendorID, startedAt: startedAt, durationS: durationS, direction: direction,
            outcome: VoiceBotSession.Outcome(rawValue: botOutcome) ?? .unknown,
            technicalError: botTechnicalError ?? false, transferredToHuman: botTransferred ?? false,
            droppedOut: botDroppedOut ?? false, botMessages: botMessages ?? 0, cost: botCost, rating: botRating,
            criteria: Self.criteria(botCriteria))
    }

    /// Evaluation criteria from their stored text.
    package static func criteria(_ text: String?) -> [String: VoiceBotSession.Outcome] {
        var criteria: [String: VoiceBotSession.Outcome] = [:]
        guard let text, !text.isEmpty else { return criteria }
        for line in text.split(separator: "\n") {
            guard let tab = line.firstIndex(of: "\t") else { continue }
            criteria[String(line[..<tab])] =
                VoiceBotSession.Outcome(rawValue: String(line[line.index(after: tab)...])) ?? .unknown
        }
        return criteria
    }
}
