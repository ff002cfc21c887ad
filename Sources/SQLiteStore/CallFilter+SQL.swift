import AIClients
import CallPipeCore
import GRDB

extension CallFilter {
    /// The one WHERE clause of a query over `calls`, for the history, the analytics and the
    /// export: columns prefixed with `table.` when given (`c` in the analytics' joins).
    func sql(table: String? = "c") -> (sql: String, arguments: StatementArguments) {
        let column = { (name: String) in table.map { "\($0).\(name)" } ?? name }
        var clauses: [String] = []
        var arguments = StatementArguments()
        if let from {
            clauses.append("\(column("created_at")) >= ?")
            arguments += [from]
        }
        if let to {
            clauses.append("\(column("created_at")) < ?")
            arguments += [to]
        }
        let equalities: [(String, String?)] = [
            ("agent_id", agentID), ("direction", direction?.rawValue), ("outcome", outcome?.rawValue),
            ("sentiment_label", sentiment?.rawValue), ("status", status?.rawValue), ("source", source),
        ]
        for (name, value) in equalities {
            if let value {
                clauses.append("\(column(name)) = ?")
                arguments += [value]
            }
        }
        if !includeDemo { clauses.append("\(column("is_demo")) = 0") }
        return (clauses.isEmpty ? "1" : clauses.joined(separator: " AND "), arguments)
    }
}
