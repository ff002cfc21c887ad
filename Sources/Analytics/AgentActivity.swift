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

        mutating func add(_ call: ImportedCallRow) {
            total += 1
            if call.direction == "outbound" { outbound += 1 } else { inbound += 1 }
            if call.status == ImportedCall.Status.completed.rawValue {
                completed += 1
                talkS += call.durationS
            } else {
                missed += 1
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
        self.init(rows: calls.map(ImportedCallRow.init))
    }

    /// The activity of the calls' stored columns, in one pass.
    package init(rows: [ImportedCallRow]) {
        struct Key: Hashable {
            var vendor: String
            var agentID: String?
        }
        var agents: [Key: Agent] = [:]
        var days: [Int: Counts] = [:]
        for call in rows {
            total.add(call)
            let key = Key(vendor: call.vendor, agentID: call.agentID)
            if agents[key] == nil {
                agents[key] = Agent(
                    agentID: "\(call.vendor):\(call.agentID ?? "unassigned")", name: call.agentName,
                    email: call.agentEmail)
            }
            agents[key]!.name = agents[key]!.name ?? call.agentName
            agents[key]!.email = agents[key]!.email ?? call.agentEmail
            agents[key]!.counts.add(call)
            days[call.startedAt.utcDayNumber, default: Counts()].add(call)
        }
        self.agents = agents.values.sorted { ($0.counts.total, $1.agentID) > ($1.counts.total, $0.agentID) }
        self.days = days.keys.sorted().map { Day(date: Date.utcDayText($0), counts: days[$0]!) }
    }
}
