import Foundation
import GRDB
import PostgresNIO
import Testing
import TrocCore
import TrocCrypto
import TrocStore
import TrocTestSupport

@testable import TrocPostgres

/// `trocd admin migrate`'s copy: an embedded broker's records, moved into PostgreSQL, read back the same through the
/// store; a database that holds a broker is refused; every kind of value reaches `COPY` escaped.
extension PostgresTests {
    @Suite struct ImportRecords {
        typealias Invoices = PostgresTests.InvoiceStore

        @Test("a broker's records copied from SQLite read the same from PostgreSQL, chain on, and are not copied twice")
        func copiedBrokerReadsTheSame() async throws {
            let blobs = try FileStore.Blobs()
            let database = try AppDatabase.inMemory().withAuditKey(PostgresFixtures.auditKey)
            let sqlite: any AccountRecords = database
            let pair = try await Invoices.Pair(sqlite, sirens: ("631000004", "632000003"), deals: 2)
            let deal = try await pair.releasedDeal(sqlite, blobs, keys: [])
            let invoices = try await Invoices.invoices(sqlite, for: deal)
            let issued = try await sqlite.issueInvoices(
                dealID: deal.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: pair.operatorActor, now: Invoices.start)
            let openDeal = try await pair.releasedDeal(sqlite, blobs, heatingProposes: true)
            let before = try await sqlite.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)

            try await PostgresTests.withPooledStore { postgres, _ in
                let snapshot = try database.recordSnapshot()
                // Small pages, so that tables span several.
                let outcome = try await postgres.importRecords(from: snapshot, pageSize: 3)
                for (table, rows) in outcome { #expect(rows == (try snapshot.count(of: table)), "\(table)") }
                #expect(outcome.first { $0.table == "invoice" }?.rows == 4)
                let store = postgres.withAuditKey(PostgresFixtures.auditKey)
                #expect(try await store.deal(id: deal.id) == (try await sqlite.deal(id: deal.id)))
                #expect(try await store.deal(id: openDeal.id) == (try await sqlite.deal(id: openDeal.id)))
                #expect(
                    try await store.invoices(from: Invoices.issueDate, to: Invoices.issueDate, organisationID: nil)
                        == issued.sorted { $0.number < $1.number })
                #expect(try await store.settlement(dealID: deal.id) == invoices.settlement)
                #expect(try await store.organisation(id: pair.heating.0.id) == (try await sqlite.organisation(id: pair.heating.0.id)))
                let after = try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)
                #expect(after.isIntact && after.entryCount == before.entryCount && after.lastMAC == before.lastMAC)

                // The rules hold again once copied (the triggers are back), and the numbering goes on from the copied numbers.
                let second = try await Invoices.invoices(store, for: openDeal)
                let next = try await store.issueInvoices(
                    dealID: openDeal.id, drafts: second.drafts, settlement: second.settlement, actor: pair.operatorActor, now: Invoices.start)
                #expect(next.map(\.number).contains { $0.hasSuffix("-000003") })
                await #expect(throws: StoreError.self) {
                    try await store.issueInvoices(
                        dealID: openDeal.id, drafts: second.drafts, settlement: second.settlement, actor: pair.operatorActor, now: Invoices.start)
                }
                #expect((try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)).isIntact)

                // A database that holds a broker is refused, and left as it was.
                let audit = try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil).entryCount
                let refusal = await #expect(throws: PostgresImportError.self) { try await postgres.importRecords(from: snapshot) }
                #expect(refusal?.description.contains("already holds records") == true, "\(String(describing: refusal))")
                #expect(try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil).entryCount == audit)
            }
        }

        @Test("a value PostgreSQL cannot hold stops the copy at its table, row and column, and nothing is left copied")
        func refusedValueRollsEverythingBack() async throws {
            let queue = try DatabaseQueue(configuration: AppDatabase.makeConfiguration())
            let database = try AppDatabase(queue).withAuditKey(PostgresFixtures.auditKey)
            let pair = try await Invoices.Pair(database as any AccountRecords, sirens: ("633000002", "634000001"))
            // SQLite keeps text in a column of integer affinity when it does not read as a number; PostgreSQL's bigint cannot.
            try await queue.write { db in try db.execute(sql: "UPDATE token SET lastUsedAt = 'yesterday'") }
            try await PostgresTests.withPooledStore { postgres, target in
                let refusal = await #expect(throws: PostgresImportError.self) {
                    try await postgres.importRecords(from: try database.recordSnapshot())
                }
                guard case .value(let table, _, let column, let reason)? = refusal else {
                    Issue.record("refused with \(String(describing: refusal))")
                    return
                }
                #expect(table == "token" && column == "lastUsedAt" && reason.contains("TEXT") && reason.contains("bigint"), "\(reason)")
                let store = postgres.withAuditKey(PostgresFixtures.auditKey)
                #expect(try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil).entryCount == 0)
                #expect(try await store.organisation(id: pair.windows.0.id) == nil)
                // The seeded rows the copy had replaced are back: the settings row and the embedded sector tables.
                let connection = try await target.connect()
                var seeded: [Int] = []
                for table in ["broker_settings", "sector_cluster", "confidential_sector", "renovation_sector"] {
                    for try await count in try await connection.query("SELECT count(*) FROM \(unescaped: table)", logger: PostgresTestServer.logger)
                        .decode(Int.self)
                    {
                        seeded.append(count)
                    }
                }
                try await connection.close()
                #expect(seeded == [1, 120, 16, 20])
            }
        }

        @Test("each value becomes its COPY text field, and a value its column cannot hold is refused saying why")
        func copyFields() throws {
            #expect(try CopyText.field(.null, type: "text") == "\\N")
            #expect(try CopyText.field(.text("plain"), type: "text") == "plain")
            #expect(try CopyText.field(.text("a\tb\nc\rd\\e"), type: "text") == "a\\tb\\nc\\rd\\\\e")
            #expect(try CopyText.field(.text("Société Générale — 5 €"), type: "text") == "Société Générale — 5 €")
            #expect(try CopyText.field(.integer(-42), type: "bigint") == "-42")
            #expect(try CopyText.field(.integer(1), type: "boolean") == "t")
            #expect(try CopyText.field(.integer(0), type: "boolean") == "f")
            #expect(try CopyText.field(.real(0.1), type: "double precision") == "0.1")
            #expect(try CopyText.field(.blob(Data([0x00, 0xAB, 0xFF])), type: "bytea") == "\\\\x00abff")
            #expect(throws: CopyText.Refusal.self) { try CopyText.field(.integer(2), type: "boolean") }
            #expect(throws: CopyText.Refusal.self) { try CopyText.field(.text("x"), type: "bytea") }
            #expect(throws: CopyText.Refusal.self) { try CopyText.field(.blob(Data()), type: "text") }
            #expect(throws: CopyText.Refusal.self) { try CopyText.field(.text("a\u{0}b"), type: "text") }
            #expect(throws: CopyText.Refusal.self) { try CopyText.field(.real(.infinity), type: "double precision") }
        }
    }
}
