import PostgresNIO
package import TrocStore

extension StoreError {
    /// Keeps a store error as it is, names a full disk or a read-only server as SQLite's are named, and describes any other
    /// failure by its SQLSTATE and message as `.database` (postgres-nio's own description hides both).
    package init(postgres error: any Error) {
        guard let error = error as? PSQLError else {
            self.init(error)
            return
        }
        switch error.serverInfo?[.sqlState] {
        // disk_full, and read_only_sql_transaction (a hot standby, or a server put in read-only mode).
        case "53100": self = .storageFull
        case "25006": self = .storageReadOnly
        case let state?: self = .database("PostgreSQL \(state): \(error.serverInfo?[.message] ?? "")")
        case nil: self = .database(String(reflecting: error))
        }
    }
}
