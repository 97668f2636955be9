import Foundation
import Logging
import PostgresNIO
import Testing
import TrocCore
import TrocPostgres
import TrocStore
import TrocTestSupport

extension PostgresTests {
    /// `PostgresStore` as an `AuditStore`, reached as the server reaches a store: the scenarios of the SQLite backend's
    /// `AuditTests`, on a migrated database behind a connection pool.
    @Suite struct StoreAuditTests {
        /// The deal the dealt-with entries name.
        static let dealID = "del_aaaaaaaaaaaaaaaa"

        /// Runs `body` with a store on a fresh migrated database (the database too, for raw edits), its pool running
        /// meanwhile, and the store without its audit key; ten entries are recorded first, as `AuditTests` records them
        /// (every third with a reason, every second of the deal, each a second after the previous).
        static func withStore(_ body: (any AuditStore, PostgresStore, TestDatabase) async throws -> Void) async throws {
            try await PostgresTests.withPooledStore { bare, database in
                let store: any AuditStore = bare.withAuditKey(PostgresFixtures.auditKey)
                for index in 1...10 {
                    _ = try await store.recordAudit(
                        AuditDraft(
                            action: .tokenRevoke, actor: PostgresFixtures.operatorActor, organisationID: PostgresFixtures.proposerID,
                            dealID: index.isMultiple(of: 2) ? dealID : nil, detail: ["index": .integer(Int64(index))],
                            reason: index.isMultiple(of: 3) ? "lost laptop" : nil),
                        now: Self.at(index))
                }
                try await body(store, bare, database)
            }
        }

        /// `seconds` after 2026-01-01, whole seconds so stored dates compare equal.
        static func at(_ seconds: Int) -> Date { Date(timeIntervalSince1970: 1_767_225_600 + TimeInterval(seconds)) }

        @Test("a clean trail verifies, entries read back in order, and a detail holds only what was recorded")
        func clean() async throws {
            try await Self.withStore { store, _, _ async throws in
                let verification = try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)
                #expect(verification.isIntact)
                #expect(verification.entryCount == 10)
                #expect(verification.headMAC?.count == 32)
                let entries = try await store.auditEntries(dealID: nil, limit: 4, afterSeq: 2)
                #expect(entries.map(\.seq) == [3, 4, 5, 6])
                #expect(entries[0].reason == "lost laptop")
                #expect(entries[0].actorRole == .operator)
                #expect(entries[0].at == Self.at(3))
                #expect(try entries[0].decodedDetail() == ["index": 3])
                #expect(entries[0].detail == #"{"index":3}"#)
                let first = try #require(try await store.auditEntries(dealID: nil, limit: 1, afterSeq: 0).first)
                #expect(first.previous == Data(repeating: 0, count: 32))
            }
        }

        @Test("entries of one deal are listed alone, in order, and a limit is capped as SQLite caps it")
        func dealEntriesAndLimits() async throws {
            try await Self.withStore { store, _, _ async throws in
                #expect(try await store.auditEntries(dealID: Self.dealID, limit: 100, afterSeq: 0).map(\.seq) == [2, 4, 6, 8, 10])
                #expect(try await store.auditEntries(dealID: Self.dealID, limit: 2, afterSeq: 4).map(\.seq) == [6, 8])
                #expect(try await store.auditEntries(dealID: nil, limit: -1, afterSeq: 0).isEmpty)
                #expect(try await store.auditEntries(dealID: nil, limit: AppDatabase.maximumAuditPage + 1, afterSeq: 0).count == 10)
            }
        }

        @Test("a store without the audit key refuses audited writes with the typed error, and records nothing")
        func keyRequired() async throws {
            try await Self.withStore { store, bare, _ async throws in
                do throws(StoreError) {
                    _ = try await bare.recordAudit(AuditDraft(action: .fileUpload, actor: .system), now: Self.at(11))
                    Issue.record("an audited write ran without the audit key")
                } catch {
                    #expect(error == .auditKeyMissing)
                }
                #expect(try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil).entryCount == 10)
            }
        }

        @Test("an entry edited behind the triggers' back is found through the store, which then refuses to extend the trail")
        func damageFound() async throws {
            try await Self.withStore { store, _, database async throws in
                // Only the database owner can do this, on a connection of its own: disable the append-only trigger and edit.
                let owner = try await database.connect()
                try await owner.query(#"ALTER TABLE "audit" DISABLE TRIGGER USER"#, logger: PostgresTestServer.logger)
                try await owner.query(#"UPDATE "audit" SET "detail" = '{"index":40}' WHERE "seq" = 4"#, logger: PostgresTestServer.logger)
                try await owner.close()
                #expect(
                    try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil).damage == AuditDamage(seq: 4, kind: .edited))
                // An append checks only the head against the last entry (it stays O(1)): a removed tail is what it refuses.
                let tail = try await database.connect()
                try await tail.query(#"DELETE FROM "audit" WHERE "seq" = 10"#, logger: PostgresTestServer.logger)
                try await tail.close()
                do throws(StoreError) {
                    _ = try await store.recordAudit(AuditDraft(action: .fileUpload, actor: .system), now: Self.at(11))
                    Issue.record("the damaged trail was extended")
                } catch {
                    #expect(error == .auditTrailDamaged(AuditDamage(seq: 10, kind: .truncated)))
                }
            }
        }
    }
}
