import AIClients
import CallPipeCore
import Foundation
import PostgresNIO

/// A statement built in pieces (filters that come and go): each bound value becomes `$n` in the
/// text, so values never enter the SQL itself.
struct SQLBuilder {
    private(set) var bindings = PostgresBindings()
    private var count = 0

    /// Binds `value` and returns its placeholder.
    mutating func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
        bindings.append(value)
        count += 1
        return "$\(count)"
    }

    func query(_ sql: String) -> PostgresQuery {
        PostgresQuery(unsafeSQL: sql, binds: bindings)
    }

    /// The one WHERE clause of a query over `calls` for a filter, as SQLite's `CallFilter.sql`
    /// builds it: columns prefixed with `table.` when given.
    /// The columns a filter compares for equality, with the value it asks for (`nil`: any).
    static func equalities(_ filter: CallFilter) -> [(column: String, value: String?)] {
        [
            ("agent_id", filter.agentID), ("direction", filter.direction?.rawValue),
            ("outcome", filter.outcome?.rawValue), ("sentiment_label", filter.sentiment?.rawValue),
            ("status", filter.status?.rawValue),
        ]
    }

    mutating func filter(_ filter: CallFilter, table: String?) -> String {
        let column = { (name: String) in table.map { "\($0).\(name)" } ?? name }
        var clauses: [String] = []
        if let from = filter.from { clauses.append("\(column("created_at")) >= \(bind(from))") }
        if let to = filter.to { clauses.append("\(column("created_at")) < \(bind(to))") }
        for (name, value) in Self.equalities(filter) {
            if let value { clauses.append("\(column(name)) = \(bind(value))") }
        }
        if let source = filter.source { clauses.append("\(column("source")) = \(bind(source))") }
        if !filter.includeDemo { clauses.append("NOT \(column("is_demo"))") }
        return clauses.isEmpty ? "true" : clauses.joined(separator: " AND ")
    }
}
