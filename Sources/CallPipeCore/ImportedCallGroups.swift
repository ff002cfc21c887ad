/// What the stores count (in SQL, over the stored columns) for the voice-bot KPIs: the sessions
/// summed per day, direction and outcome, and counted per set of criteria results apart — every
/// KPI is a sum over one of the two, so a month of any size is a couple of hundred rows to the
/// server, not one per session (nor one per day × direction × outcome × criteria).
package struct VoiceBotGroups: Sendable, Equatable {
    package var days: [VoiceBotGroup]
    package var criteria: [VoiceBotCriteriaGroup]

    package init(days: [VoiceBotGroup] = [], criteria: [VoiceBotCriteriaGroup] = []) {
        self.days = days
        self.criteria = criteria
    }
}

/// Voice-bot sessions with the same evaluation-criteria results, counted.
package struct VoiceBotCriteriaGroup: Sendable, Equatable {
    /// Evaluation criterion → result, the same for every session of the group.
    package var criteria: [String: VoiceBotSession.Outcome]
    package var sessions: Int

    package init(criteria: [String: VoiceBotSession.Outcome], sessions: Int) {
        self.criteria = criteria
        self.sessions = sessions
    }
}

/// Voice-bot sessions of one UTC day, direction and outcome, summed (see `VoiceBotGroups`).
package struct VoiceBotGroup: Sendable, Equatable {
    /// `Date.utcDayNumber`.
    package var day: Int
    package var direction: String
    package var outcome: VoiceBotSession.Outcome
    package var sessions: Int
    package var durationSum: Double
    package var minS: Double
    package var maxS: Double
    package var short: Int
    package var long: Int
    package var transfers: Int
    package var dropOuts: Int
    package var technicalErrors: Int
    package var botMessages: Int
    package var costSum: Double
    package var costs: Int
    /// Over the ratings 1–5 only.
    package var ratingSum: Double
    package var ratings: Int

    package init(
        day: Int, direction: String, outcome: VoiceBotSession.Outcome, sessions: Int = 0, durationSum: Double = 0,
        minS: Double = .infinity, maxS: Double = -.infinity, short: Int = 0, long: Int = 0, transfers: Int = 0,
        dropOuts: Int = 0, technicalErrors: Int = 0, botMessages: Int = 0, costSum: Double = 0, costs: Int = 0,
        ratingSum: Double = 0, ratings: Int = 0
    ) {
        self.day = day
        self.direction = direction
        self.outcome = outcome
        self.sessions = sessions
        self.durationSum = durationSum
        self.minS = minS
        self.maxS = maxS
        self.short = short
        self.long = long
        self.transfers = transfers
        self.dropOuts = dropOuts
        self.technicalErrors = technicalErrors
        self.botMessages = botMessages
        self.costSum = costSum
        self.costs = costs
        self.ratingSum = ratingSum
        self.ratings = ratings
    }

    /// Adds one session (the same sums the stores' SQL makes).
    package mutating func add(_ session: VoiceBotSession) {
        sessions += 1
        durationSum += session.durationS
        minS = min(minS, session.durationS)
        maxS = max(maxS, session.durationS)
        if session.durationS < 30 { short += 1 }
        if session.durationS > 300 { long += 1 }
        if session.transferredToHuman { transfers += 1 }
        if session.droppedOut { dropOuts += 1 }
        if session.technicalError { technicalErrors += 1 }
        botMessages += session.botMessages
        if let cost = session.cost {
            costSum += cost
            costs += 1
        }
        if let rating = session.rating, (1...5).contains(rating) {
            ratingSum += rating
            ratings += 1
        }
    }
}

/// Imported calls of one agent, UTC day, direction and completion, counted: what the stores count
/// for agent activity.
package struct AgentActivityGroup: Sendable, Equatable {
    package var vendor: String
    package var agentID: String?
    package var agentName: String?
    package var agentEmail: String?
    /// `Date.utcDayNumber`.
    package var day: Int
    package var direction: String
    package var completed: Bool
    package var calls: Int
    /// Talk time of the group's calls, seconds.
    package var talkS: Double

    package init(
        vendor: String, agentID: String?, agentName: String?, agentEmail: String?, day: Int, direction: String,
        completed: Bool, calls: Int, talkS: Double
    ) {
        self.vendor = vendor
        self.agentID = agentID
        self.agentName = agentName
        self.agentEmail = agentEmail
        self.day = day
        self.direction = direction
        self.completed = completed
        self.calls = calls
        self.talkS = talkS
    }
}
