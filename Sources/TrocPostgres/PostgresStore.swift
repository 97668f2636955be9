package import Logging
package import PostgresNIO
package import TrocStore

/// The record store on PostgreSQL: the same methods, guarantees and errors as the SQLite store (`AppDatabase`), so
/// that several `trocd` instances can share one database.
///
/// Each write is one transaction on a pooled connection; where SQLite's single writer serialises a check and the
/// insert that depends on it, this store takes the row lock (`FOR UPDATE`) or a transaction-scoped advisory lock
/// that gives the same order across instances. The rules a field is checked against are `StoreRules`, shared with
/// the SQLite store.
package struct PostgresStore: Sendable {
    /// The connection pool (its `run()` must be running for as long as the store is used).
    package let client: PostgresClient
    /// Where the queries' own logging goes.
    package let logger: Logger
    /// The key audit entries are chained with; nil until the broker's keys are loaded (writes that audit refuse).
    package let auditKey: AuditKey?

    /// A store over `client`, without an audit key yet.
    package init(client: PostgresClient, logger: Logger) {
        self.init(client: client, logger: logger, auditKey: nil)
    }

    private init(client: PostgresClient, logger: Logger, auditKey: AuditKey?) {
        self.client = client
        self.logger = logger
        self.auditKey = auditKey
    }

    /// The same store, chaining audit entries with `key`.
    package func withAuditKey(_ key: AuditKey) -> PostgresStore {
        PostgresStore(client: client, logger: logger, auditKey: key)
    }

    /// The audit key, or the error that tells the server to set it.
    func requireAuditKey() throws(StoreError) -> AuditKey {
        guard let auditKey else { throw .auditKeyMissing }
        return auditKey
    }

    /// Runs `body` on a pooled connection, outside a transaction (single statements, or reads that need no snapshot).
    @discardableResult
    func read<Result: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> Result) async throws(StoreError) -> Result {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch {
            throw Self.storeError(error)
        }
    }

    /// Runs `body` in one transaction on a pooled connection: everything it wrote commits together, or nothing.
    func write<Result: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> Result) async throws(StoreError) -> Result {
        do {
            return try await client.withConnection { connection in try await connection.transaction(logger: logger, body) }
        } catch {
            throw Self.storeError(error)
        }
    }

    /// A domain error as thrown; anything else (a refused constraint, a lost connection) as `StoreError.database`, with the
    /// server's own message when it sent one.
    static func storeError(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? PSQLError, let message = error.serverInfo?[.message] {
            let constraint = error.serverInfo?[.constraintName].map { " (\($0))" } ?? ""
            return .database("PostgreSQL: \(message)\(constraint)")
        }
        return .database("PostgreSQL: \(String(reflecting: error))")
    }
}
