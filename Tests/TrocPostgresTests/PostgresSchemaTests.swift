import Foundation
import GRDB
import PostgresNIO
import Testing
import TrocPostgres
import TrocStore
import TrocTestSupport

extension PostgresTests {
    /// The PostgreSQL schema is SQLite's, table for table, column for column and trigger for trigger.
    @Suite struct SchemaTests {
        /// A column as both backends describe it: its name, its type (SQLite's word) and whether it may be NULL.
        struct Column: Hashable, CustomStringConvertible {
            var table: String
            var name: String
            var type: String
            var nullable: Bool

            var description: String { "\(table).\(name) \(type)\(nullable ? "" : " NOT NULL")" }
        }

        @Test("every SQLite migration has its PostgreSQL counterpart")
        func everyMigrationHasATwin() {
            let postgres = Set(PostgresSchema.migrations.map(\.name))
            for name in AppDatabase.migrationNames {
                let twin = PostgresSchema.sqliteCounterparts[name]
                #expect(twin.map(postgres.contains) == true, "SQLite migration \(name) has no PostgreSQL twin in PostgresSchema")
            }
        }

        @Test("the migrated PostgreSQL schema has SQLite's tables and columns, with the same types and NOT NULLs, and its triggers")
        func tablesColumnsAndTriggersMatch() async throws {
            let queue = try DatabaseQueue(configuration: AppDatabase.makeConfiguration())
            _ = try AppDatabase(queue)
            let (sqliteColumns, sqliteTriggers) = try await queue.read { db in
                let tables = try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'")
                var columns: Set<Column> = []
                for table in tables {
                    for row in try Row.fetchAll(db, sql: "SELECT name, type, \"notnull\", pk FROM pragma_table_xinfo(?)", arguments: [table]) {
                        let notNull: Bool = row["notnull"]
                        let primaryKey: Int = row["pk"]
                        columns.insert(
                            Column(table: table, name: row["name"], type: (row["type"] as String).uppercased(), nullable: !notNull && primaryKey == 0)
                        )
                    }
                }
                return (columns, Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'")))
            }
            let database = try await PostgresTests.migratedDatabase()
            let (postgresColumns, postgresTriggers) = try await database.withConnections(1) { connections in
                let sqliteType = ["text": "TEXT", "bigint": "INTEGER", "bytea": "BLOB", "boolean": "BOOLEAN"]
                var columns: Set<Column> = []
                let rows = try await connections[0].query(
                    """
                    SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public'
                    """, logger: PostgresTestServer.logger)
                for try await (table, name, type, nullable) in rows.decode((String, String, String, String).self)
                where !PostgresSchema.ownTables.contains(table) {
                    columns.insert(Column(table: table, name: name, type: sqliteType[type] ?? type, nullable: nullable == "YES"))
                }
                var triggers: Set<String> = []
                for try await name in try await connections[0].query(
                    "SELECT tgname::text FROM pg_trigger WHERE NOT tgisinternal", logger: PostgresTestServer.logger
                ).decode(String.self) {
                    triggers.insert(name)
                }
                return (columns, triggers)
            }
            #expect(sqliteColumns.count > 250)
            #expect(sqliteColumns.subtracting(postgresColumns).sorted(by: { "\($0)" < "\($1)" }) == [], "in SQLite, not in PostgreSQL")
            #expect(postgresColumns.subtracting(sqliteColumns).sorted(by: { "\($0)" < "\($1)" }) == [], "in PostgreSQL, not in SQLite")
            #expect(sqliteTriggers.subtracting(postgresTriggers).sorted() == [], "SQLite triggers without their PostgreSQL twin")
        }

        @Test("append-only tables refuse UPDATE and DELETE, and a deal only moves along its lifecycle, with SQLite's messages")
        func triggersRefuse() async throws {
            let database = try await PostgresTests.migratedDatabase()
            try await database.withConnections(1) { connections in
                let connection = connections[0]
                try await PostgresFixtures.insertPartners(connection)
                try await PostgresFixtures.insertAcceptedDeal("del_aaaaaaaaaaaaaaaa", connection)
                try await connection.transaction(logger: PostgresTestServer.logger) { connection in
                    try await PostgresAuditTrail.append(
                        AuditDraft(action: .settingsUpdate, actor: PostgresFixtures.operatorActor), key: PostgresFixtures.auditKey, now: .now,
                        on: connection, logger: PostgresTestServer.logger)
                }
                let refusals: [(String, String)] = [
                    (#"UPDATE "audit" SET "reason" = 'edited'"#, "the audit trail is append-only"),
                    (#"DELETE FROM "audit""#, "the audit trail is append-only"),
                    (#"DELETE FROM "audit_head""#, "the audit head is never removed"),
                    (#"UPDATE "audit_head" SET "count" = 1"#, "the audit head only moves forward"),
                    (#"DELETE FROM "broker_settings""#, "the broker settings row is never removed"),
                    (
                        #"UPDATE "deal" SET "state" = 'released', "releasedAt" = 1 WHERE "id" = 'del_aaaaaaaaaaaaaaaa'"#,
                        "this change of deal state is not a transition of the deal lifecycle"
                    ),
                    (#"UPDATE "organisation" SET "kind" = 'broker'"#, "an organisation's kind never changes"),
                ]
                // CHECKs carried over: an id of the wrong shape, a sum that does not add up, a setting out of range.
                let checks = [
                    #"UPDATE "organisation" SET "id" = 'org_UPPERCASE000000' WHERE "id" = 'org_aaaaaaaaaaaaaaaa'"#,
                    #"UPDATE "deal" SET "pricePer1000Cents" = 0"#,
                    #"UPDATE "broker_settings" SET "deliveryDays" = 366"#,
                    #"UPDATE "organisation" SET "countryCode" = 'fr'"#,
                ]
                for sql in checks {
                    let error = await #expect(throws: (any Error).self, "\(sql)") {
                        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: PostgresTestServer.logger)
                    }
                    #expect(error.flatMap(PostgresFixtures.serverError)?.state == "23514", "\(sql)")
                }
                for (sql, message) in refusals {
                    let error = await #expect(throws: (any Error).self, "\(sql)") {
                        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: PostgresTestServer.logger)
                    }
                    let server = error.flatMap(PostgresFixtures.serverError)
                    #expect(server?.state == "23000", "\(sql)")
                    #expect(server?.message == message, "\(sql)")
                }
            }
        }
    }
}
