package import Logging
package import PostgresNIO
package import TrocStore

/// The broker's records in PostgreSQL, shared by every `trocd` instance: the record-store seam's second backend, meeting
/// `RecordStore` whole as `AppDatabase` does for SQLite.
///
/// Each call borrows a connection from `client`'s pool (whoever owns the client runs it, `PostgresClient.run()`) and each
/// write is one transaction, as in `AppDatabase`; every failure arrives as a `StoreError`, as from SQLite. Where SQLite's
/// single writer orders a check before the insert that depends on it, this store takes the row lock (`FOR UPDATE`) or a
/// transaction-scoped advisory lock that gives the same order across instances. The rules a field is checked against
/// are `StoreRules`, shared with the SQLite store.
package struct PostgresStore: Sendable {
    /// The connection pool.
    let client: PostgresClient
    /// The key that chains the audit trail; audited writes refuse to run until `withAuditKey(_:)` gives one.
    let auditKey: AuditKey?
    /// Where the queries log.
    let logger: Logger
    /// The decoded sector reference and the version of the sector tables it was read at, shared by every copy of this store.
    let sectorCache: PostgresSectorCache

    /// A store on `client`'s database, already migrated (`PostgresMigrator`), without the audit key yet.
    package init(client: PostgresClient, logger: Logger) {
        self.init(client: client, auditKey: nil, logger: logger, sectorCache: PostgresSectorCache())
    }

    /// A store with every field given.
    private init(client: PostgresClient, auditKey: AuditKey?, logger: Logger, sectorCache: PostgresSectorCache) {
        self.client = client
        self.auditKey = auditKey
        self.logger = logger
        self.sectorCache = sectorCache
    }

    /// The same store, whose audited writes chain their entries with `key` (derived from the broker's keys, as for SQLite).
    package func withAuditKey(_ key: AuditKey) -> PostgresStore {
        PostgresStore(client: client, auditKey: key, logger: logger, sectorCache: sectorCache)
    }

    /// Runs `body` on a pooled connection, translating every failure to a `StoreError`.
    func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        do {
            return try await client.withConnection(body)
        } catch {
            throw StoreError(postgres: error)
        }
    }

    /// Runs `body` in one transaction on a pooled connection: committed when it returns, rolled back when it throws.
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        try await withConnection { connection in try await connection.transaction(logger: logger, body) }
    }

    /// The rows of `table` that `condition` selects (a WHERE clause, with its order and locking), each read by `decode`.
    func select<Record>(
        _ table: String, where condition: PostgresQuery, on connection: PostgresConnection, _ decode: (PostgresColumns) throws(StoreError) -> Record
    ) async throws -> [Record] {
        var query = PostgresQuery(unsafeSQL: #"SELECT * FROM "\#(table)" WHERE "#)
        query.sql += condition.sql
        query.binds = condition.binds
        var records: [Record] = []
        for try await row in try await connection.query(query, logger: logger) { records.append(try decode(PostgresColumns(row))) }
        return records
    }

    /// The audit key, or the error that tells the server to set it.
    func requireAuditKey() throws(StoreError) -> AuditKey {
        guard let auditKey else { throw .auditKeyMissing }
        return auditKey
    }
}
