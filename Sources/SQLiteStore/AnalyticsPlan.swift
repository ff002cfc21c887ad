package import AIClients
import Analytics
import CallPipeCore
import Foundation
import GRDB

/// Where an analytics query's figures come from: the daily roll-ups for every whole day (UTC) in
/// the range, the calls themselves for the partial days at its ends — and for filters the roll-up
/// does not keep (outcome, status, source), the calls alone. Either way the answer is exact.
struct AnalyticsPlan {
    struct RawRange {
        var query: CallFilter
    }

    struct Rollup {
        var fromDay: String?
        var toDay: String?
        var query: CallFilter

        /// The WHERE clause over `call_rollup`, `call_rollup_hours` or `topic_rollup` (aliased `r`).
        var filter: (sql: String, arguments: StatementArguments) {
            var clauses: [String] = []
            var arguments = StatementArguments()
            if let fromDay {
                clauses.append("r.day >= ?")
                arguments += [fromDay]
            }
            if let toDay {
                clauses.append("r.day < ?")
                arguments += [toDay]
            }
            if let agent = query.agentID {
                clauses.append("r.agent_id = ?")
                arguments += [agent]
            }
            if let direction = query.direction {
                clauses.append("r.direction = ?")
                arguments += [direction.rawValue]
            }
            if let sentiment = query.sentiment {
                clauses.append("r.mood = ?")
                arguments += [sentiment.rawValue]
            }
            if !query.includeDemo { clauses.append("r.is_demo = 0") }
            return (clauses.isEmpty ? "1" : clauses.joined(separator: " AND "), arguments)
        }
    }

    var rollup: Rollup?
    var raw: [RawRange] = []

    init(_ query: CallFilter) {
        guard query.outcome == nil, query.status == nil, query.source == nil else {
            raw = [RawRange(query: query)]
            return
        }
        let fromCeil = query.from.map(Self.ceilDay)
        let toFloor = query.to.map(Self.floorDay)
        if let fromCeil, let toFloor, toFloor <= fromCeil {
            raw = [RawRange(query: query)]  // Less than two days: the calls themselves.
            return
        }
        rollup = Rollup(fromDay: fromCeil.map(Self.dayKey), toDay: toFloor.map(Self.dayKey), query: query)
        if let from = query.from, let fromCeil, from < fromCeil {
            var edge = query
            edge.to = fromCeil
            raw.append(RawRange(query: edge))
        }
        if let to = query.to, let toFloor, toFloor < to {
            var edge = query
            edge.from = toFloor
            raw.append(RawRange(query: edge))
        }
    }

    static func floorDay(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }

    static func ceilDay(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 86_400).rounded(.up) * 86_400)
    }

    /// `yyyy-MM-dd` in UTC, as the roll-ups key their buckets (the first 10 characters of GRDB's
    /// stored dates).
    static func dayKey(_ date: Date) -> String {
        let components = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        return String(format: "%04d-%02d-%02d", components.year!, components.month!, components.day!)
    }
}
