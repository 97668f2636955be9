package import Logging
package import PostgresNIO
import TrocStore

/// Brings a PostgreSQL database to the schema this build knows, safely when several instances start at once.
///
/// The whole run is one transaction holding a transaction-level advisory lock: the first instance applies what is
/// missing while the others wait on the lock, then find everything recorded in `troc_migration` and apply nothing.
/// PostgreSQL's DDL is transactional, so a migration that fails leaves no half-built table behind.
package enum PostgresMigrator {
    /// The advisory lock key, `troc-mig` in ASCII, which no other application of the database is expected to use.
    package static let lockKey: Int64 = 0x7472_6f63_2d6d_6967

    /// Applies the migrations not yet recorded, in order, and returns the names this call applied (empty when another
    /// instance had already done it); refuses a database migrated by a later build, which names migrations this one lacks.
    @discardableResult
    package static func migrate(
        _ connection: PostgresConnection, migrations: [PostgresMigration] = PostgresSchema.migrations, logger: Logger
    ) async throws -> [String] {
        try await connection.transaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query(
                #"""
                CREATE TABLE IF NOT EXISTS "troc_migration" (
                    "rank" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    "name" text NOT NULL UNIQUE,
                    "appliedAt" timestamptz NOT NULL DEFAULT now()
                )
                """#, logger: logger)
            var applied: Set<String> = []
            for try await name in try await connection.query(#"SELECT "name" FROM "troc_migration""#, logger: logger).decode(String.self) {
                applied.insert(name)
            }
            let unknown = applied.subtracting(migrations.map(\.name))
            guard unknown.isEmpty else {
                throw StoreError.database(
                    "the PostgreSQL database has migrations this build does not know (\(unknown.sorted().joined(separator: ", "))): "
                        + "a later trocd migrated it; run that version or later")
            }
            var appliedNow: [String] = []
            for migration in migrations where !applied.contains(migration.name) {
                for statement in migration.statements { try await connection.query(statement, logger: logger) }
                try await connection.query(#"INSERT INTO "troc_migration" ("name") VALUES (\#(migration.name))"#, logger: logger)
                appliedNow.append(migration.name)
            }
            return appliedNow
        }
    }

    /// The names of the migrations recorded in the database, in the order they were applied.
    package static func appliedMigrations(_ connection: PostgresConnection, logger: Logger) async throws -> [String] {
        var names: [String] = []
        let rows = try await connection.query(#"SELECT "name" FROM "troc_migration" ORDER BY "rank""#, logger: logger)
        for try await name in rows.decode(String.self) { names.append(name) }
        return names
    }
}
