import Foundation
import GRDB

/// Where an analytics query's figures come from: the hourly roll-up for every whole hour in the
/// range, the calls themselves for the partial hours at its ends — and for filters the roll-up
/// does not keep (outcome, sentiment, status), the calls alone. Either way the answer is exact.
struct AnalyticsPlan {
    struct RawRange {
        var query: AnalyticsQuery
    }

    struct Rollup {
        var fromHour: String?
        var toHour: String?
        var query: AnalyticsQuery

        /// The WHERE clause over `call_rollup` or `topic_rollup` (aliased `r`).
        var filter: (sql: String, arguments: StatementArguments) {
            var clauses: [String] = []
            var arguments = StatementArguments()
            if let fromHour {
                clauses.append("r.hour >= ?")
                arguments += [fromHour]
            }
            if let toHour {
                clauses.append("r.hour < ?")
                arguments += [toHour]
            }
            if let agent = query.agentID {
                clauses.append("r.agent_id = ?")
                arguments += [agent]
            }
            if let direction = query.direction {
                clauses.append("r.direction = ?")
                arguments += [direction]
            }
            if !query.includeDemo { clauses.append("r.is_demo = 0") }
            return (clauses.isEmpty ? "1" : clauses.joined(separator: " AND "), arguments)
        }
    }

    var rollup: Rollup?
    var raw: [RawRange] = []

    init(_ query: AnalyticsQuery) {
        guard query.outcome == nil, query.sentiment == nil, query.status == nil else {
            raw = [RawRange(query: query)]
            return
        }
        let fromCeil = query.from.map(Self.ceilHour)
        let toFloor = query.to.map(Self.floorHour)
        if let fromCeil, let toFloor, toFloor <= fromCeil {
            raw = [RawRange(query: query)]  // Less than two hours: the calls themselves.
            return
        }
        rollup = Rollup(fromHour: fromCeil.map(Self.hourKey), toHour: toFloor.map(Self.hourKey), query: query)
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

    static func floorHour(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 3_600).rounded(.down) * 3_600)
    }

    static func ceilHour(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 3_600).rounded(.up) * 3_600)
    }

    /// `yyyy-MM-dd HH` in UTC, as the roll-up keys its buckets (the first 13 characters of
    /// GRDB's stored dates).
    static func hourKey(_ date: Date) -> String {
        let components = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        return String(
            format: "%04d-%02d-%02d %02d", components.year!, components.month!, components.day!, components.hour!)
    }
}
