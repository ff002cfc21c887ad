import CallPipeCore
import Foundation
import Logging
import PostgresNIO

/// How many calls a filter selects, from the per-day counts (`call_counts`, migration v5) for the
/// whole UTC days it covers and from the calls themselves only for the partial days at its edges
/// (docs/ARCHITECTURE.md §15, history). Exact, as `COUNT(*)` over the calls, which took 10–25 ms
/// at 100,000 calls and grows with them.
extension PostgresCallStore {
    static func count(_ filter: CallFilter, _ connection: PostgresConnection, _ logger: Logger) async throws -> Int {
        var sql = SQLBuilder()
        if filter.source != nil {
            // `call_counts` keeps no source: the calls themselves (imported calls are the few).
            let statement = "SELECT COUNT(*) AS n FROM calls WHERE \(sql.filter(filter, table: nil))"
            return try await connection.rows(sql.query(statement), logger: logger).first?.value("n", as: Int.self) ?? 0
        }
        var days: [String] = []
        var edges: [String] = []
        if let from = filter.from {
            let start = Self.dayStart(of: from)
            let first = start == from ? from : start.addingTimeInterval(86_400)
            days.append("day >= (\(sql.bind(first)) AT TIME ZONE 'UTC')::date")
            edges.append("created_at < \(sql.bind(first))")
        }
        if let to = filter.to {
            let last = Self.dayStart(of: to)
            days.append("day < (\(sql.bind(last)) AT TIME ZONE 'UTC')::date")
            edges.append("created_at >= \(sql.bind(last))")
        }
        var equalities = days
        // The same columns as the calls' (`call_counts` keeps no outcome or sentiment as '').
        for (name, value) in SQLBuilder.equalities(filter) {
            if let value { equalities.append("\(name) = \(sql.bind(value))") }
        }
        if !filter.includeDemo { equalities.append("NOT is_demo") }
        let whole = equalities.isEmpty ? "true" : equalities.joined(separator: " AND ")
        var statement = "SELECT (SELECT COALESCE(SUM(n), 0) FROM call_counts WHERE \(whole))::BIGINT"
        if !edges.isEmpty {
            let callFilter = sql.filter(filter, table: nil)
            statement +=
                " + (SELECT COUNT(*) FROM calls WHERE \(callFilter) AND (\(edges.joined(separator: " OR "))))"
        }
        return try await connection.rows(sql.query(statement + " AS n"), logger: logger).first?
            .value("n", as: Int.self) ?? 0
    }

    /// The start of `date`'s day in UTC (days are 86,400 s in `Date`'s time scale).
    private static func dayStart(of date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }
}
