import PostgresNIO
import Testing
import TrocPostgres
import TrocTestSupport

/// Starts one throwaway PostgreSQL server for a suite and everything in it, and stops it afterwards.
struct PostgresServerTrait: SuiteTrait, TestScoping {
    /// Once for the suite, not once per test: each test makes its own database on the shared server.
    var isRecursive: Bool { false }

    /// Runs the suite with `PostgresTestServer.current` set.
    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let server = try await PostgresTestServer.start()
        do {
            try await PostgresTestServer.$current.withValue(server) { try await function() }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}

extension Trait where Self == PostgresServerTrait {
    /// A throwaway PostgreSQL server for the suite.
    static var postgresServer: Self { Self() }
}

/// The tests that need PostgreSQL, under one server (`PostgresTests` + one extension file per guarantee).
@Suite(.postgresServer) struct PostgresTests {
    /// A fresh, migrated database for one test.
    static func migratedDatabase() async throws -> TestDatabase {
        let database = try await freshDatabase()
        let connection = try await database.connect()
        do {
            try await PostgresMigrator.migrate(connection, logger: PostgresTestServer.logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
        return database
    }

    /// Runs `body` with a store on a fresh migrated database (the database too, for raw edits), the store's connection
    /// pool running meanwhile; the store has no audit key yet.
    static func withPooledStore<Result: Sendable>(_ body: (PostgresStore, TestDatabase) async throws -> Result) async throws -> Result {
        let database = try await migratedDatabase()
        let client = PostgresClient(configuration: poolConfiguration(database), backgroundLogger: PostgresTestServer.logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(PostgresStore(client: client, logger: PostgresTestServer.logger), database)
        }
    }

    /// Runs `body` with two stores on one fresh, migrated database, each on its own connection pool as two `trocd`
    /// instances have, both with the audit key set.
    static func withTwoInstances<Result: Sendable>(_ body: (PostgresStore, PostgresStore) async throws -> Result) async throws -> Result {
        try await withPooledStore { first, database in
            let client = PostgresClient(configuration: poolConfiguration(database), backgroundLogger: PostgresTestServer.logger)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                return try await body(
                    first.withAuditKey(PostgresFixtures.auditKey),
                    PostgresStore(client: client, logger: PostgresTestServer.logger).withAuditKey(PostgresFixtures.auditKey))
            }
        }
    }

    /// Connections a test's pool opens at most: enough for the concurrency a test drives, few enough that every suite
    /// running at once stays within the server's `max_connections`.
    static let poolSize = 6

    /// A pool's configuration for `database`, as an instance of `trocd` has (one pool per instance).
    static func poolConfiguration(_ database: TestDatabase) -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            unixSocketPath: database.server.socketPath, username: database.server.user, password: nil, database: database.name)
        configuration.options.maximumConnections = poolSize
        return configuration
    }

    /// A fresh, empty database for one test.
    static func freshDatabase() async throws -> TestDatabase {
        let server = try #require(PostgresTestServer.current, "the suite's PostgreSQL server was not started")
        return try await server.makeDatabase()
    }
}
