import PostgresNIO
import Testing
import TrocPostgres
import TrocStore
import TrocTestSupport

extension PostgresTests {
    /// Migrations run once, by whichever instance gets the advisory lock first.
    @Suite struct MigratorTests {
        @Test("six instances migrating one empty database at once: each migration applied exactly once, all at the same version")
        func concurrentRunners() async throws {
            let database = try await PostgresTests.freshDatabase()
            let applied = try await database.withConnections(6) { connections in
                try await withThrowingTaskGroup(of: [String].self) { group in
                    for connection in connections {
                        group.addTask { try await PostgresMigrator.migrate(connection, logger: PostgresTestServer.logger) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            let names = PostgresSchema.migrations.map(\.name)
            #expect(applied.flatMap { $0 }.sorted() == names.sorted())
            #expect(applied.filter { !$0.isEmpty }.count == 1)
            let versions = try await database.withConnections(3) { connections in
                var versions: [[String]] = []
                for connection in connections {
                    versions.append(try await PostgresMigrator.appliedMigrations(connection, logger: PostgresTestServer.logger))
                }
                return versions
            }
            #expect(versions == Array(repeating: names, count: 3))
        }

        @Test("a database a later build migrated is refused, naming the migrations this build does not know")
        func laterBuildRefused() async throws {
            let database = try await PostgresTests.migratedDatabase()
            try await database.withConnections(1) { connections in
                try await connections[0].query(#"INSERT INTO "troc_migration" ("name") VALUES ('p99-future')"#, logger: PostgresTestServer.logger)
                let error = await #expect(throws: StoreError.self) {
                    try await PostgresMigrator.migrate(connections[0], logger: PostgresTestServer.logger)
                }
                #expect(error.map { "\($0)" }?.contains("p99-future") == true)
            }
        }
    }
}
