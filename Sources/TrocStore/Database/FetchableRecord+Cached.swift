import GRDB

extension FetchableRecord {
    /// The first record `sql` selects, through the connection's prepared statement for `sql`.
    ///
    /// For the queries every request runs: building SQL from the query interface and preparing it (which runs GRDB's
    /// statement authoriser) cost more than executing it.
    static func fetchOne(_ db: Database, cached sql: String, arguments: StatementArguments) throws -> Self? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    /// Every record `sql` selects, through the connection's prepared statement for `sql`.
    static func fetchAll(_ db: Database, cached sql: String, arguments: StatementArguments) throws -> [Self] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }
}
