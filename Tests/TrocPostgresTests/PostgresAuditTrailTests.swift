import Foundation
import GRDB
import PostgresNIO
import Testing
import TrocPostgres
import TrocStore
import TrocTestSupport

extension PostgresTests {
    /// The audit chain appended by several instances at once stays one chain, verifiable by either backend.
    @Suite struct AuditTrailTests {
        /// Appenders (separate connections, as separate instances) and entries each appends.
        static let appenders = 4
        static let entriesEach = 25

        @Test("four instances appending at once from an empty trail: entries 1…100, no fork, no gap, verified by both backends")
        func concurrentAppenders() async throws {
            let database = try await PostgresTests.migratedDatabase()
            let entries = try await database.withConnections(Self.appenders) { connections in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (instance, connection) in connections.enumerated() {
                        group.addTask {
                            for index in 0..<Self.entriesEach {
                                try await connection.transaction(logger: PostgresTestServer.logger) { connection in
                                    try await PostgresAuditTrail.append(
                                        AuditDraft(
                                            action: .settingsUpdate, actor: PostgresFixtures.operatorActor,
                                            detail: ["instance": .integer(Int64(instance)), "index": .integer(Int64(index))]),
                                        key: PostgresFixtures.auditKey, now: Date(timeIntervalSince1970: 1_767_225_600), on: connection,
                                        logger: PostgresTestServer.logger)
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let verification = try await PostgresAuditTrail.verify(
                    key: PostgresFixtures.auditKey, on: connections[0], logger: PostgresTestServer.logger)
                #expect(verification.isIntact, "\(String(describing: verification.damage))")
                #expect(verification.entryCount == Self.appenders * Self.entriesEach)
                return try await PostgresAuditTrail.entries(on: connections[0], logger: PostgresTestServer.logger)
            }
            #expect(entries.map(\.seq) == Array(1...Int64(Self.appenders * Self.entriesEach)))
            // No fork: every MAC is linked to exactly once, by the entry after it.
            #expect(Set(entries.map(\.previous)).count == entries.count)
            let details = Set(entries.map(\.detail))
            #expect(details.count == entries.count)

            // The SQLite backend's own verifier accepts the same chain, copied row for row.
            let queue = try DatabaseQueue(configuration: AppDatabase.makeConfiguration())
            let sqlite = try AppDatabase(queue)
            try await queue.write { db in
                for entry in entries { try entry.insert(db) }
                let last = try #require(entries.last)
                try db.execute(
                    sql: "INSERT INTO audit_head (id, count, lastMAC, mac) VALUES (1, ?, ?, ?)",
                    arguments: [last.seq, last.mac, AuditRecord.headMAC(count: last.seq, lastMAC: last.mac, key: PostgresFixtures.auditKey)])
            }
            let sqliteVerification = try sqlite.verifyAudit(key: PostgresFixtures.auditKey)
            #expect(sqliteVerification.isIntact && sqliteVerification.entryCount == entries.count)
        }

        @Test("an entry edited behind the triggers' back is found, and the damaged trail is not extended")
        func tamperingFound() async throws {
            let database = try await PostgresTests.migratedDatabase()
            try await database.withConnections(1) { connections in
                let connection = connections[0]
                for index in 0..<5 {
                    try await connection.transaction(logger: PostgresTestServer.logger) { connection in
                        try await PostgresAuditTrail.append(
                            AuditDraft(action: .settingsUpdate, actor: PostgresFixtures.operatorActor, detail: ["index": .integer(Int64(index))]),
                            key: PostgresFixtures.auditKey, now: .now, on: connection, logger: PostgresTestServer.logger)
                    }
                }
                // A checkpoint taken at entry 5 holds; one recorded past the trail (a database put back to an earlier state)
                // or at a MAC the trail no longer has (a rewritten trail) does not: the judgement is SQLite's.
                let intact = try await PostgresAuditTrail.verify(key: PostgresFixtures.auditKey, on: connection, logger: PostgresTestServer.logger)
                let lastMAC = try #require(intact.lastMAC)
                for (count, mac, damage) in [
                    (Int64(5), lastMAC, nil), (7, lastMAC, AuditDamage(seq: 7, kind: .rolledBack)),
                    (5, Data(repeating: 7, count: 32), AuditDamage(seq: 5, kind: .rewritten)),
                ] {
                    let checkpoint = AuditCheckpoint(brokerOrganisationID: "org_broker", count: count, mac: mac, recordedAt: .now)
                    let verification = try await PostgresAuditTrail.verify(
                        key: PostgresFixtures.auditKey, expecting: checkpoint, on: connection, logger: PostgresTestServer.logger)
                    #expect(verification.damage == damage, "checkpoint at \(count)")
                }
                // Only the database owner can do this: disable the append-only trigger, edit, and remove the tail entry.
                try await connection.query(#"ALTER TABLE "audit" DISABLE TRIGGER USER"#, logger: PostgresTestServer.logger)
                try await connection.query(#"UPDATE "audit" SET "detail" = '{"index":9}' WHERE "seq" = 3"#, logger: PostgresTestServer.logger)
                let edited = try await PostgresAuditTrail.verify(key: PostgresFixtures.auditKey, on: connection, logger: PostgresTestServer.logger)
                #expect(edited.damage == AuditDamage(seq: 3, kind: .edited))
                try await connection.query(#"DELETE FROM "audit" WHERE "seq" = 5"#, logger: PostgresTestServer.logger)
                let truncated = try await PostgresAuditTrail.verify(key: PostgresFixtures.auditKey, on: connection, logger: PostgresTestServer.logger)
                #expect(truncated.damage == AuditDamage(seq: 3, kind: .edited))
                await #expect(throws: StoreError.auditTrailDamaged(AuditDamage(seq: 5, kind: .truncated))) {
                    try await connection.transaction(logger: PostgresTestServer.logger) { connection in
                        try await PostgresAuditTrail.append(
                            AuditDraft(action: .settingsUpdate, actor: PostgresFixtures.operatorActor), key: PostgresFixtures.auditKey,
                            now: .now, on: connection, logger: PostgresTestServer.logger)
                    }
                }
                let wrongKey = try AuditKey(bytes: [UInt8](repeating: 1, count: 32))
                #expect(
                    try await PostgresAuditTrail.verify(key: wrongKey, on: connection, logger: PostgresTestServer.logger).damage
                        == AuditDamage(seq: 1, kind: .wrongKey))
            }
        }
    }
}
