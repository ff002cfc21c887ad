import GRDB

extension SQLiteCallStore {
    /// Jobs and CRM deliveries count the processes that died while holding them (`crashes`), apart
    /// from their attempts: a recording that kills the server at every start is failed after a few
    /// deaths, while rate limits and server errors keep their own, larger retry budget.
    static func migrateV5(_ db: Database) throws {
        try db.alter(table: "jobs") { table in
            table.add(column: "crashes", .integer).notNull().defaults(to: 0)
        }
        try db.alter(table: "crm_deliveries") { table in
            table.add(column: "crashes", .integer).notNull().defaults(to: 0)
        }
    }
}
