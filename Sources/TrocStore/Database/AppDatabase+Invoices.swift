package import Foundation
import GRDB
package import TrocCore

extension AppDatabase {
    /// Numbers and stores every draft of a released deal, stores its settlement statement and moves the deal
    /// `released` → `invoiced`, all in one transaction: any failure rolls everything back, so no number is consumed.
    /// An exchange invoice is issued only under the seller's billing mandate in force, the one it cites.
    ///
    /// Drafts are numbered in the order given (`DealInvoices.drafts`), each from its series' row, read and advanced in
    /// this transaction; the schema also refuses a gap, a duplicate or a date before the series' last invoice.
    package func issueInvoices(
        dealID: String, drafts: [InvoiceDraft], settlement: SettlementStatement, actor: AuditActor, now: Date
    ) throws(StoreError) -> [InvoiceRecord] {
        let key = try requireAuditKey()
        try StoreRules.checkSettlement(settlement, dealID: dealID)
        return try write { db in
            var deal = try Self.dealForTransition(dealID, .invoice, actor: actor, db: db)
            let parties = try deal.partyIDs.map { try OrganisationRecord.find(db, key: $0) }
            let createdAt = Timestamp.stored(now)
            var issued: [InvoiceRecord] = []
            for (index, draft) in drafts.enumerated() {
                let (sellerID, buyerID) = try StoreRules.invoiceParties(of: draft, index: index, dealID: dealID, parties: parties)
                if let sellerID {
                    try StoreRules.requireCitedMandate(try Self.mandateInForce(sellerID, db: db), of: draft, dealID: dealID)
                }
                let record = InvoiceRecord(try Self.allocate(draft, index: index, db: db), sellerID: sellerID, buyerID: buyerID, createdAt: createdAt)
                try record.insert(db)
                issued.append(record)
            }
            try db.execute(
                sql: "INSERT INTO settlement (dealID, statement, createdAt) VALUES (?, ?, ?)",
                arguments: [dealID, try StoreRules.sortedJSON(settlement), Timestamp.seconds(now)])
            let from = deal.state
            try Self.move(&deal, .invoice, now: now, settings: Self.settings(db), db: db)
            _ = try Self.appendAudit(.invoicesIssued(deal, from: from, issued: issued, by: actor), key: key, now: now, db: db)
            return issued
        }
    }

    /// Issues the full credit note of invoice `number`, numbered next in that invoice's series, in one transaction;
    /// refuses an unknown number, a credit note, an invoice already credited, a missing reason and an earlier date.
    package func issueCreditNote(crediting number: String, reason: String, issueDate: CivilDate, actor: AuditActor, now: Date) throws(StoreError)
        -> InvoiceRecord
    {
        let key = try requireAuditKey()
        return try write { db in
            guard let original = try InvoiceRecord.fetchOne(db, key: number) else { throw StoreError.invoiceNotFound(number: number) }
            let existing = try InvoiceRecord.filter(InvoiceRecord.Columns.creditsNumber == number).fetchOne(db)
            let draft = try StoreRules.creditNote(crediting: original, reason: reason, issueDate: issueDate, existing: existing)
            let record = InvoiceRecord(
                try Self.allocate(draft, index: 0, db: db), sellerID: original.sellerID, buyerID: original.buyerID, createdAt: Timestamp.stored(now))
            try record.insert(db)
            _ = try Self.appendAudit(.creditNoteIssued(record, credits: original, by: actor), key: key, now: now, db: db)
            return record
        }
    }

    /// The invoice or credit note numbered `number`, or nil.
    package func invoice(number: String) throws(StoreError) -> InvoiceRecord? {
        try read { db in try InvoiceRecord.fetchOne(db, key: number) }
    }

    /// Invoices and credit notes issued from `from` to `to` inclusive, optionally those an organisation sells or buys, by
    /// date then number.
    package func invoices(from: CivilDate, to: CivilDate, organisationID: String? = nil) throws(StoreError) -> [InvoiceRecord] {
        try invoices(InvoiceFilter(from: from, to: to, partyID: organisationID))
    }

    /// The settlement statement of an invoiced deal, or nil.
    package func settlement(dealID: String) throws(StoreError) -> SettlementStatement? {
        try read { db in
            guard let json = try String.fetchOne(db, sql: "SELECT statement FROM settlement WHERE dealID = ?", arguments: [dealID]) else {
                return nil
            }
            return try JSONDecoder().decode(SettlementStatement.self, from: Data(json.utf8))
        }
    }

    /// Gives `draft` the next number of its series and advances the series row, inside the caller's transaction.
    private static func allocate(_ draft: InvoiceDraft, index: Int, db: Database) throws -> InvoiceDocument {
        let prefix = draft.series.prefix
        let row = try Row.fetchOne(
            db, sql: "SELECT issuerID, year, lastSequence, lastIssueDate FROM invoice_series WHERE seriesPrefix = ?", arguments: [prefix])
        let last = try row.map { row throws(StoreError) in
            try StoreRules.lastOfSeries(
                prefix, issuerID: row["issuerID"], year: row["year"], sequence: row["lastSequence"], issueDate: row["lastIssueDate"],
                drafting: draft.series, index: index)
        }
        let document = try StoreRules.numbered(draft, after: last)
        let number = document.number
        if let last {
            // Guarded by the values just read, like a deal's state: the row advances exactly once per number.
            try db.execute(
                sql: """
                    UPDATE invoice_series SET year = ?, lastSequence = ?, lastIssueDate = ?
                    WHERE seriesPrefix = ? AND year = ? AND lastSequence = ?
                    """,
                arguments: [number.year, number.sequence, document.issueDate, prefix, last.number.year, last.number.sequence])
            guard db.changesCount == 1 else { throw StoreError.database("invoice series \(prefix) moved while \(number) was being allocated") }
        } else {
            try db.execute(
                sql: "INSERT INTO invoice_series (seriesPrefix, issuerID, year, lastSequence, lastIssueDate) VALUES (?, ?, ?, ?, ?)",
                arguments: [prefix, draft.series.issuerID, number.year, number.sequence, document.issueDate])
        }
        return document
    }
}
