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
        var days: [String] = []
        var edges: [String] = []
        if let from = filter.from {
            let first = Self.dayStart(of: from) == from ? from : Self.dayStart(of: from).addingTimeInterval(86_400)
            days.append("day >= \(sql.bind(Self.dayString(first)))::date")
            edges.append("created_at < \(sql.bind(first))")
        }
        if let to = filter.to {
            let last = Self.dayStart(of: to)
            days.append("day < \(sql.bind(Self.dayString(last)))::date")
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

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    private static func dayStart(of date: Date) -> Date { utc.startOfDay(for: date) }

    private static func dayString(_ date: Date) -> String {
        let parts = utc.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }
}
