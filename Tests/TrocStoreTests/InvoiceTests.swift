import Foundation
import GRDB
import Testing
import TrocCore
import TrocStore

/// Invoice numbers are gapless and chronological per series and year, issued with the deal's move to `invoiced` or not
/// at all; issued invoices are immutable and credited once.
@Suite struct InvoiceTests {
    let world: DealWorld
    static let issueDate = CivilDate(year: 2025, month: 1, day: 2)!

    init() throws {
        world = try DealWorld()
        try world.configureInvoicing()
    }

    /// Issues the invoices of a new released deal dated `issueDate`.
    func issue(on issueDate: CivilDate = issueDate, database: AppDatabase? = nil) throws -> [InvoiceRecord] {
        let (deal, _) = try world.releasedDeal()
        let invoices = try world.invoices(for: deal, issueDate: issueDate)
        return try (database ?? world.database).issueInvoices(
            dealID: deal.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: world.operatorActor, now: Dates.at(1))
    }

    @Test("a deal's invoices are numbered in their series, stored whole, and the deal moves to invoiced with its settlement")
    func issueDeal() throws {
        let (deal, _) = try world.releasedDeal()
        let invoices = try world.invoices(for: deal, issueDate: Self.issueDate)
        let issued = try world.database.issueInvoices(
            dealID: deal.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: world.operatorActor, now: Dates.at(1))
        #expect(issued.map(\.number) == ["TRM5521005542025-000001", "TRM7328293202025-000001", "TR2025-000001", "TR2025-000002"])
        #expect(issued.map(\.purpose) == [.exchange, .exchange, .commission, .commission])
        #expect(issued[0].sellerID == world.heating.id)
        #expect(issued[0].buyerID == world.windows.id)
        #expect(issued[2].sellerID == nil)
        #expect(issued[2].buyerID == world.windows.id)
        let stored = try #require(try world.database.invoice(number: "TR2025-000002"))
        #expect(stored == issued[3])
        #expect(stored.document.number.text == "TR2025-000002")
        #expect(stored.grossCents == stored.netCents + stored.vatCents)
        #expect(try world.database.deal(id: deal.id)?.state == .invoiced)
        #expect(try world.database.settlement(dealID: deal.id) == invoices.settlement)
        #expect(try world.database.invoices(from: Self.issueDate, to: Self.issueDate).count == 4)
        #expect(try world.database.invoices(from: Self.issueDate, to: Self.issueDate, organisationID: world.heating.id).count == 3)
        #expect(try world.database.invoices(from: Self.issueDate.adding(days: 1), to: Self.issueDate.adding(days: 9)).isEmpty)
        #expect(try world.database.auditEntries(dealID: deal.id).last?.action == "invoice.issue")
        #expect(
            storeError {
                try world.database.issueInvoices(
                    dealID: deal.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: world.operatorActor, now: Dates.at(2))
            } == .dealTransitionRefused(DealTransitionError(transition: .invoice, current: .invoiced)))
    }

    @Test("many deals invoiced at once, from two handles, get numbers 1…N in each series: no gap, no duplicate")
    func concurrentNumbering() async throws {
        let world = try DealWorld(onDisk: true)
        try world.configureInvoicing()
        let handles = [world.database, try world.secondHandle()]
        let count = 12
        try world.allowReports(count)
        var jobs: [(String, DealInvoices)] = []
        for _ in 0..<count {
            let (deal, _) = try world.releasedDeal()
            jobs.append((deal.id, try world.invoices(for: deal, issueDate: Self.issueDate)))
        }
        let actor = world.operatorActor
        let failures = await withTaskGroup(of: StoreError?.self) { group in
            for (index, (dealID, invoices)) in jobs.enumerated() {
                let database = handles[index % 2]
                group.addTask {
                    storeError {
                        try database.issueInvoices(
                            dealID: dealID, drafts: invoices.drafts, settlement: invoices.settlement, actor: actor, now: Dates.at(1))
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(failures.allSatisfy { $0 == nil })
        let issued = try world.database.invoices(from: Self.issueDate, to: Self.issueDate)
        #expect(issued.count == 4 * count)
        let bySeries = Dictionary(grouping: issued, by: \.seriesPrefix)
        #expect(
            bySeries.mapValues { $0.map(\.sequence).sorted() } == [
                "TR": Array(1...(2 * count)), "TRM552100554": Array(1...count), "TRM732829320": Array(1...count),
            ])
        // Each deal's drafts were numbered together: its two commissions are consecutive.
        for (dealID, _) in jobs {
            let commissions = issued.filter { $0.dealID == dealID && $0.purpose == .commission }.map(\.sequence)
            #expect(commissions.count == 2 && commissions[1] == commissions[0] + 1)
        }
        #expect(try world.database.verifyAudit(key: world.auditKey).isIntact)
    }

    @Test("a failure after the first draft is numbered leaves nothing behind; the next issue gets the same number")
    func crashMidIssue() throws {
        let (deal, _) = try world.releasedDeal()
        let invoices = try world.invoices(for: deal, issueDate: Self.issueDate)
        let headBefore = try world.database.verifyAudit(key: world.auditKey)
        // The storage fails on the deal's second invoice, inside the transaction that numbered the first.
        try world.raw { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER simulated_crash BEFORE INSERT ON invoice WHEN EXISTS (SELECT 1 FROM invoice WHERE dealID = NEW.dealID)
                    BEGIN SELECT RAISE(ABORT, 'simulated crash'); END
                    """)
        }
        #expect(throws: StoreError.self) {
            try world.database.issueInvoices(
                dealID: deal.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: world.operatorActor, now: Dates.at(1))
        }
        #expect(try world.database.invoices(from: Self.issueDate, to: Self.issueDate).isEmpty)
        #expect(try world.raw { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM invoice_series") } == 0)
        #expect(try world.database.deal(id: deal.id)?.state == .released)
        #expect(try world.database.settlement(dealID: deal.id) == nil)
        #expect(try world.database.verifyAudit(key: world.auditKey) == headBefore)

        // A draft dated before the one numbered just before it in the same series fails the same way, from TrocCore's rule.
        var outOfOrder = invoices.drafts
        outOfOrder[3].content.issueDate = Self.issueDate.adding(days: -1)
        try world.raw { try $0.execute(sql: "DROP TRIGGER simulated_crash") }
        #expect(throws: StoreError.self) {
            try world.database.issueInvoices(
                dealID: deal.id, drafts: outOfOrder, settlement: invoices.settlement, actor: world.operatorActor, now: Dates.at(1))
        }
        #expect(try world.database.invoices(from: Self.issueDate.adding(days: -1), to: Self.issueDate).isEmpty)

        let issued = try world.database.issueInvoices(
            dealID: deal.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: world.operatorActor, now: Dates.at(2))
        #expect(issued.first?.number == "TRM5521005542025-000001")
        #expect(issued.last?.number == "TR2025-000002")
    }

    @Test("issued invoices and settlements are immutable, and the schema refuses gaps and duplicates")
    func immutable() throws {
        let issued = try issue()
        let number = issued[0].number
        for sql in ["UPDATE invoice SET netCents = 0 WHERE number = ?", "DELETE FROM invoice WHERE number = ?"] {
            #expect(constraintCode { try world.raw { try $0.execute(sql: sql, arguments: [number]) } } == .SQLITE_CONSTRAINT_TRIGGER)
        }
        #expect(constraintCode { try world.raw { try $0.execute(sql: "DELETE FROM settlement") } } == .SQLITE_CONSTRAINT_TRIGGER)
        /// A copy of invoice TR2025-000002 under another sequence number.
        func copy(sequence: Int) throws {
            let copied = "TR2025-" + String(format: "%06d", sequence)
            try world.raw { db in
                try db.execute(
                    sql: """
                        INSERT INTO invoice SELECT ?, seriesPrefix, issuerID, year, ?, kind, purpose, dealID, sellerID, buyerID, issueDate,
                            netCents, vatCents, grossCents, json_set(document, '$.number', ?), creditsNumber, createdAt
                        FROM invoice WHERE number = 'TR2025-000002'
                        """, arguments: [copied, sequence, copied])
            }
        }
        #expect(constraintCode { try copy(sequence: 4) } == .SQLITE_CONSTRAINT_TRIGGER)
        #expect(constraintCode { try copy(sequence: 2) } != nil)
        try copy(sequence: 3)
    }

    @Test("a credit note takes the next number of its invoice's series; crediting twice, a credit note or an unknown number is refused")
    func creditNotes() throws {
        let issued = try issue()
        let original = issued[2]
        let date = Self.issueDate.adding(days: 5)
        #expect(
            storeError {
                try world.database.issueCreditNote(
                    crediting: original.number, reason: " ", issueDate: date, actor: world.operatorActor, now: Dates.at(5))
            }
                == .creditNoteRefused(.missingReason))
        let credit = try world.database.issueCreditNote(
            crediting: original.number, reason: "Adresses livrées en double", issueDate: date, actor: world.operatorActor, now: Dates.at(5))
        #expect(credit.number == "TR2025-000003")
        #expect(credit.kind == .creditNote)
        #expect(credit.creditsNumber == original.number)
        #expect(credit.grossCents == original.grossCents)
        #expect(credit.buyerID == original.buyerID)
        #expect(credit.document.precedingInvoice?.number.text == original.number)
        #expect(
            storeError {
                try world.database.issueCreditNote(
                    crediting: original.number, reason: "again", issueDate: date, actor: world.operatorActor, now: Dates.at(6))
            }
                == .creditNoteRefused(.alreadyCredited(original.document.number, by: credit.document.number)))
        #expect(
            storeError {
                try world.database.issueCreditNote(
                    crediting: credit.number, reason: "undo", issueDate: date, actor: world.operatorActor, now: Dates.at(6))
            }
                == .creditNoteRefused(.cannotCreditACreditNote(credit.document.number)))
        #expect(
            storeError {
                try world.database.issueCreditNote(
                    crediting: "TR2025-000099", reason: "x", issueDate: date, actor: world.operatorActor, now: Dates.at(6))
            }
                == .invoiceNotFound(number: "TR2025-000099"))
        // The schema alone refuses a second credit note of the same invoice.
        #expect(
            constraintCode {
                try world.raw { db in
                    try db.execute(
                        sql: """
                            INSERT INTO invoice SELECT 'TR2025-000004', seriesPrefix, issuerID, year, 4, kind, purpose, dealID, sellerID, buyerID,
                                issueDate, netCents, vatCents, grossCents, json_set(document, '$.number', 'TR2025-000004'), creditsNumber, createdAt
                            FROM invoice WHERE number = 'TR2025-000003'
                            """)
                }
            } == .SQLITE_CONSTRAINT_UNIQUE)
        #expect(try world.database.auditEntries().last?.action == "invoice.credit")
    }

    @Test("the sequence restarts at 1 with the year, and an earlier date than the series' last is refused")
    func yearRollover() throws {
        try world.allowReports(3)
        let december = try issue(on: CivilDate(year: 2025, month: 12, day: 31)!)
        #expect(december.map(\.number).last == "TR2025-000002")
        let january = try issue(on: CivilDate(year: 2026, month: 1, day: 2)!)
        #expect(january.map(\.number) == ["TRM5521005542026-000001", "TRM7328293202026-000001", "TR2026-000001", "TR2026-000002"])
        let (deal, _) = try world.releasedDeal()
        let late = try world.invoices(for: deal, issueDate: CivilDate(year: 2025, month: 12, day: 31)!)
        #expect {
            try world.database.issueInvoices(
                dealID: deal.id, drafts: late.drafts, settlement: late.settlement, actor: world.operatorActor, now: Dates.at(2))
        } throws: { error in
            guard case StoreError.invoiceNumbering(.outOfChronology) = error else { return false }
            return true
        }
        #expect(try world.database.deal(id: deal.id)?.state == .released)
    }

    @Test("drafts that do not fit the deal are refused before anything is numbered")
    func foreignDrafts() throws {
        let (first, _) = try world.releasedDeal()
        let (second, _) = try world.releasedDeal()
        let invoices = try world.invoices(for: first, issueDate: Self.issueDate)
        #expect(
            storeError {
                try world.database.issueInvoices(
                    dealID: second.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: world.operatorActor, now: Dates.at(1))
            } != nil)
        var relabelled = invoices.settlement
        relabelled.dealID = second.id
        #expect(
            storeError {
                try world.database.issueInvoices(
                    dealID: second.id, drafts: invoices.drafts, settlement: relabelled, actor: world.operatorActor, now: Dates.at(1))
            } == .invalidInvoiceDraft(index: 0, reason: "it bills deal \(first.id), not \(second.id)"))
        #expect(
            storeError {
                try world.database.issueInvoices(
                    dealID: first.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: world.heatingActor, now: Dates.at(1))
            } == .transitionNotAllowed(transition: .invoice, role: .partner))
    }
}
