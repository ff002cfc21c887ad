package import CallPipeCore
import Foundation

/// Agent activity of imported phone-system calls, as Dialpad's own dashboards show it
/// (docs/connectors.md): per agent and per UTC day, calls in total, inbound and outbound,
/// completed and missed, the average talk time of the completed ones and the efficiency (%
/// completed, one decimal).
package struct AgentActivity: Sendable, Equatable, Encodable {
    package struct Counts: Sendable, Equatable, Encodable {
        package var total = 0
        package var inbound = 0
        package var outbound = 0
        package var completed = 0
        package var missed = 0
        package var averageDurationS: Double?
        package var efficiencyPercent: Double?
        private var talkS = 0.0

        enum CodingKeys: String, CodingKey {
            case total, inbound, outbound, completed, missed
            case averageDurationS = "average_duration_s"
            case efficiencyPercent = "efficiency_percent"
        }

        package init() {}

        mutating func add(_ group: AgentActivityGroup) {
            total += group.calls
            if group.direction == "outbound" { outbound += group.calls } else { inbound += group.calls }
            if group.completed {
                completed += group.calls
                talkS += group.talkS
            } else {
                missed += group.calls
            }
            averageDurationS = completed == 0 ? nil : (talkS / Double(completed) * 10).rounded() / 10
            efficiencyPercent = (Double(completed) / Double(total) * 1_000).rounded() / 10
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(total, forKey: .total)
            try container.encode(inbound, forKey: .inbound)
            try container.encode(outbound, forKey: .outbound)
            try container.encode(completed, forKey: .completed)
            try container.encode(missed, forKey: .missed)
            try container.encode(averageDurationS, forKey: .averageDurationS)
            try container.encode(efficiencyPercent, forKey: .efficiencyPercent)
        }
    }

    package struct Agent: Sendable, Equatable, Encodable {
        package var agentID: String
        package var name: String?
        package var email: String?
        package var counts = Counts()

        enum CodingKeys: String, CodingKey {
            case agentID = "agent_id"
            case name, email
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(agentID, forKey: .agentID)
            try container.encode(name, forKey: .name)
            try container.encode(email, forKey: .email)
            try counts.encode(to: encoder)
        }
    }

    package struct Day: Sendable, Equatable, Encodable {
        /// `YYYY-MM-DD`, UTC.
        package var date: String
        package var counts = Counts()

        enum CodingKeys: String, CodingKey { case date }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(date, forKey: .date)
            try counts.encode(to: encoder)
        }
    }

    package var total = Counts()
    /// Busiest first (then by id).
    package var agents: [Agent] = []
    /// Oldest first.
    package var days: [Day] = []

    /// The activity of `calls` (the caller picks the period and the source).
    package init(calls: [ImportedCall]) {
        self.init(
            groups: calls.map { call in
                AgentActivityGroup(
                    vendor: call.vendor, agentID: call.agentID, agentName: call.agentName, agentEmail: call.agentEmail,
                    day: call.startedAt.utcDayNumber, direction: call.direction, completed: call.status == .completed,
                    calls: 1, talkS: call.status == .completed ? call.durationS : 0)
            })
    }

    /// The activity from the calls counted per agent, day, direction and completion (the stores
    /// count them in SQL).
    package init(groups: [AgentActivityGroup]) {
        struct Key: Hashable {
            var vendor: String
            var agentID: String?
        }
        var agents: [Key: Agent] = [:]
        var days: [Int: Counts] = [:]
        for group in groups where group.calls > 0 {
            total.add(group)
            let key = Key(vendor: group.vendor, agentID: group.agentID)
            var agent =
                agents[key]
                ?? Agent(
                    agentID: "\(group.vendor):\(group.agentID ?? "unassigned")", name: group.agentName,
                    email: group.agentEmail)
            agent.name = agent.name ?? group.agentName
            agent.email = agent.email ?? group.agentEmail
            agent.counts.add(group)
            agents[key] = agent
            days[group.day, default: Counts()].add(group)
        }
        self.agents = agents.values.sorted { ($0.counts.total, $1.agentID) > ($1.counts.total, $0.agentID) }
        self.days = days.keys.sorted().map { Day(date: Date.utcDayText($0), counts: days[$0]!) }
    }
}
