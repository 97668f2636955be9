import Foundation
package import Logging
import PostgresNIO
import ServiceLifecycle
package import TrocPostgres
import TrocStore

/// The records of a broker that keeps them in PostgreSQL (`trocd serve --database postgres://…`): the connection pool,
/// running from `connect` until the service group stops it, and the store over it.
///
/// `connect` migrates the database first, under the migrator's advisory lock, so that of several instances starting at
/// once one migrates and the others wait and find the schema current. The pool is a service of the application, listed
/// first, so that it stops last: the HTTP server and the duties finish their transactions before the connections close.
package final class PostgresRecords: Service, Sendable {
    /// The store over the pool, without its audit key (`Broker.open` derives it from the broker's keys).
    package let store: PostgresStore
    /// Where the records are, as start-up lines show it.
    package let location: PostgresLocation
    /// The pool's run loop.
    private let runner: Task<Void, Never>

    private init(store: PostgresStore, location: PostgresLocation, runner: Task<Void, Never>) {
        self.store = store
        self.location = location
        self.runner = runner
    }

    /// Opens the pool on `location` (its password from the environment or its file), migrates the database, and returns
    /// the records ready for `Broker.open(_:postgres:)`.
    package static func connect(_ location: PostgresLocation, logger: Logger) async throws -> PostgresRecords {
        let client = PostgresClient(configuration: location.clientConfiguration(password: try location.password()), backgroundLogger: logger)
        let runner = Task { await client.run() }
        do {
            _ = try await client.withConnection { connection in try await PostgresMigrator.migrate(connection, logger: logger) }
        } catch {
            runner.cancel()
            await runner.value
            throw PostgresRecordsError.unreachable(location: location.description, underlying: String(reflecting: error))
        }
        return PostgresRecords(store: PostgresStore(client: client, logger: logger), location: location, runner: runner)
    }

    /// Keeps the pool until shutdown begins, then closes it.
    package func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    /// Closes the pool's connections (for a short-lived broker, such as an admin command's).
    package func close() async {
        runner.cancel()
        await runner.value
    }
}

/// Why the records in PostgreSQL could not be opened.
package enum PostgresRecordsError: Error, CustomStringConvertible {
    /// The server could not be reached, or refused the role, or the migration failed.
    case unreachable(location: String, underlying: String)

    package var description: String {
        switch self {
        case .unreachable(let location, let underlying): "cannot open the records at \(location): \(underlying)"
        }
    }
}
