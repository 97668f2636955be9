package import Foundation
import PostgresNIO
package import TrocCore
package import TrocStore

/// Invoices, credit notes, settlement statements and settlement payments in PostgreSQL: the rest of `BillingStore`.
///
/// Numbers come from their series' rows, locked in the transaction that writes the invoices (`PostgresInvoiceNumbering`),
/// so that releases invoiced on several instances at once take numbers one after the other, without gap or duplicate,
/// and a refused or rolled-back issue gives its numbers back.
extension PostgresStore {
    /// Numbers and stores every draft of a released deal, stores its settlement statement and moves the deal
    /// `released` → `invoiced`, all in one transaction: any failure rolls everything back, so no number is consumed.
    /// An exchange invoice is issued only under the seller's billing mandate in force, the one it cites.
    ///
    /// The deal's row is locked first (a second issue waits, then is refused by the state it finds), then the parties'
    /// rows for sharing while their mandates are read (a withdrawal waits for the invoices), then the drafts' series in
    /// one order; drafts are numbered in the order given.
    package func issueInvoices(
        dealID: String, drafts: [InvoiceDraft], settlement: SettlementStatement, actor: AuditActor, now: Date
    ) async throws(StoreError) -> [InvoiceRecord] {
        let key = try requireAuditKey()
        try StoreRules.checkSettlement(settlement, dealID: dealID)
        let statement = try StoreRules.sortedJSON(settlement)
        return try await transaction { connection in
            var deal = try StoreRules.checkTransition(.invoice, of: try await lockedDeal(dealID, on: connection), dealID: dealID, by: actor)
            var parties: [OrganisationRecord] = []
            for id in deal.partyIDs.sorted() {
                parties.append(try StoreRules.partner(try await organisation(where: #""id" = \#(id) FOR SHARE"#, on: connection), id: id))
            }
            try await PostgresInvoiceNumbering.lockSeries(of: drafts, on: connection, logger: logger)
            let createdAt = Timestamp.stored(now)
            var issued: [InvoiceRecord] = []
            for (index, draft) in drafts.enumerated() {
                let (sellerID, buyerID) = try StoreRules.invoiceParties(of: draft, index: index, dealID: dealID, parties: parties)
                if let sellerID {
                    let inForce = try await mandates(where: #""organisationID" = \#(sellerID) AND "withdrawnAt" IS NULL"#, on: connection).first
                    try StoreRules.requireCitedMandate(inForce, of: draft, dealID: dealID)
                }
                let document = try await PostgresInvoiceNumbering.issue(draft, index: index, on: connection, logger: logger)
                let record = InvoiceRecord(document, sellerID: sellerID, buyerID: buyerID, createdAt: createdAt)
                try await insert(record, on: connection)
                issued.append(record)
            }
            try await connection.query(
                #"""
                INSERT INTO "settlement" ("dealID", "statement", "createdAt") VALUES (\#(dealID), \#(statement), \#(Timestamp.seconds(now)))
                """#, logger: logger)
            let from = deal.state
            deal.move(.invoice, now: now, settings: try await settingsRow(on: connection, locking: false).settings)
            try await writeDeal(deal, leaving: from, by: .invoice, on: connection)
            try await PostgresAuditTrail.append(
                .invoicesIssued(deal, from: from, issued: issued, by: actor), key: key, now: now, on: connection, logger: logger)
            return issued
        }
    }

    /// Issues the full credit note of invoice `number`, numbered next in that invoice's series, in one transaction;
    /// refuses an unknown number, a credit note, an invoice already credited, a missing reason and an earlier date.
    ///
    /// The credited invoice's row is locked, so that two credit notes of one invoice on two instances cannot both pass
    /// the check (the schema's unique `creditsNumber` would refuse the second anyway, less clearly).
    package func issueCreditNote(crediting number: String, reason: String, issueDate: CivilDate, actor: AuditActor, now: Date)
        async throws(StoreError) -> InvoiceRecord
    {
        let key = try requireAuditKey()
        return try await transaction { connection in
            guard let original = try await invoices(where: #""number" = \#(number) FOR UPDATE"#, on: connection).first else {
                throw StoreError.invoiceNotFound(number: number)
            }
            let existing = try await invoices(where: #""creditsNumber" = \#(number)"#, on: connection).first
            let draft = try StoreRules.creditNote(crediting: original, reason: reason, issueDate: issueDate, existing: existing)
            try await PostgresInvoiceNumbering.lockSeries(of: [draft], on: connection, logger: logger)
            let record = InvoiceRecord(
                try await PostgresInvoiceNumbering.issue(draft, index: 0, on: connection, logger: logger), sellerID: original.sellerID,
                buyerID: original.buyerID, createdAt: Timestamp.stored(now))
            try await insert(record, on: connection)
            try await PostgresAuditTrail.append(
                .creditNoteIssued(record, credits: original, by: actor), key: key, now: now, on: connection, logger: logger)
            return record
        }
    }

    /// The invoice or credit note numbered `number`, or nil.
    package func invoice(number: String) async throws(StoreError) -> InvoiceRecord? {
        try await withConnection { connection in try await invoices(where: #""number" = \#(number)"#, on: connection).first }
    }

    /// Invoices and credit notes issued from `from` to `to` inclusive, optionally those an organisation sells or buys, by
    /// date then number.
    package func invoices(from: CivilDate, to: CivilDate, organisationID: String?) async throws(StoreError) -> [InvoiceRecord] {
        try await invoices(InvoiceFilter(from: from, to: to, partyID: organisationID))
    }

    /// The settlement statement of an invoiced deal, or nil.
    package func settlement(dealID: String) async throws(StoreError) -> SettlementStatement? {
        try await withConnection { connection in try await settlement(dealID, on: connection) }
    }

    /// The terms to invoice a released deal on: those frozen when both firms accepted, or, for a deal released before
    /// terms were recorded, frozen now from the registrations in force (the deal's row locked, so that two instances
    /// freeze them once).
    package func termsForInvoicing(dealID: String, now: Date) async throws(StoreError) -> DealTerms {
        try await transaction { connection in
            guard let deal = try await lockedDeal(dealID, on: connection) else { throw StoreError.dealNotFound(id: dealID) }
            try await ensureTerms(deal, settings: try await settingsRow(on: connection, locking: false).settings, now: now, on: connection)
            guard let terms = try await storedTerms(dealID, on: connection) else {
                throw StoreError.database("the terms of \(dealID) were not stored")
            }
            return terms
        }
    }

    /// Records money the broker received from the debtor firm or paid out to the creditor firm of a deal whose settlement
    /// it collects, as on its bank statement; checked against the statement and the payments already recorded, audited.
    /// The statement's row is locked, so that two payments recorded at once on two instances are checked one after the
    /// other (together they cannot exceed what is due).
    package func recordSettlementPayment(
        dealID: String, direction: SettlementPaymentDirection, amount: Money, date: CivilDate, reference: String, actor: AuditActor, now: Date
    ) async throws(StoreError) -> SettlementPaymentRecord {
        let key = try requireAuditKey()
        return try await transaction { connection in
            guard let statement = try await settlement(dealID, locking: true, on: connection),
                let deal = try await deals(where: #""id" = \#(dealID)"#, on: connection).first
            else { throw StoreError.settlementNotFound(dealID: dealID) }
            let record = try StoreRules.settlementPayment(
                of: deal, statement: statement, recorded: try await payments(where: #""dealID" = \#(dealID)"#, on: connection),
                direction: direction, amount: amount, date: date, reference: reference, actor: actor, now: now)
            try await connection.query(
                #"""
                INSERT INTO "settlement_payment" ("id", "dealID", "direction", "counterpartyID", "amountCents", "paidOn", "reference",
                    "recordedAt", "recordedByUserID")
                VALUES (\#(record.id), \#(record.dealID), \#(record.direction.rawValue), \#(record.counterpartyID), \#(record.amountCents),
                    \#(record.paidOn.iso8601), \#(record.reference), \#(Timestamp.seconds(record.recordedAt)), \#(record.recordedByUserID))
                """#, logger: logger)
            try await PostgresAuditTrail.append(.settlementPaymentRecorded(record, by: actor), key: key, now: now, on: connection, logger: logger)
            return record
        }
    }

    /// The payments recorded for a deal, in the order they were made.
    package func settlementPayments(dealID: String) async throws(StoreError) -> [SettlementPayment] {
        try await withConnection { connection in try await payments(where: #""dealID" = \#(dealID)"#, on: connection) }
    }

    /// The payments of every deal made from `from` to `to` inclusive, for the FEC.
    package func settlementPayments(from: CivilDate, to: CivilDate) async throws(StoreError) -> [SettlementPayment] {
        try await withConnection { connection in
            try await payments(where: #""paidOn" BETWEEN \#(from.iso8601) AND \#(to.iso8601)"#, on: connection)
        }
    }

    /// Closes an invoiced deal at the end of retention: `invoiced` → `closed`, purging its deliveries, the record of who
    /// received whom, and the source files no other deal still holds. Rows go first; the caller then deletes the returned
    /// blob files.
    ///
    /// Each source file's row is locked before the deals holding it are counted, so that an attachment of that file to
    /// another deal on another instance either is counted or, waiting, finds the file gone.
    package func closeDeal(dealID: String, actor: AuditActor, now: Date) async throws(StoreError) -> ClosedDeal {
        let key = try requireAuditKey()
        return try await transaction { connection in
            var deal = try StoreRules.checkTransition(.close, of: try await lockedDeal(dealID, on: connection), dealID: dealID, by: actor)
            let from = deal.state
            deal.move(.close, now: now, settings: try await settingsRow(on: connection, locking: false).settings)
            try await writeDeal(deal, leaving: from, by: .close, on: connection)
            var purged: [String] = []
            for delivery in try await deliveries(where: #""dealID" = \#(dealID) AND "blobID" IS NOT NULL FOR UPDATE"#, on: connection) {
                guard let blobID = delivery.blobID else { continue }
                try await purge(delivery, blobID: blobID, now: now, on: connection)
                purged.append(blobID)
            }
            let recipientKeysPurged =
                try await connection.query(
                    #"""
                    WITH "gone" AS (DELETE FROM "delivery_contact" WHERE "deliveryID" IN (SELECT "id" FROM "delivery" WHERE "dealID" = \#(dealID))
                        RETURNING 1)
                    SELECT count(*) FROM "gone"
                    """#, logger: logger
                ).collect().first?.decode(Int.self) ?? 0
            let fileIDs = try await dealFiles(dealID: dealID, on: connection).compactMap(\.fileID)
            try await connection.query(#"UPDATE "deal_file" SET "fileID" = NULL WHERE "dealID" = \#(dealID)"#, logger: logger)
            var filesPurged = 0
            for fileID in fileIDs.sorted() {
                guard let file = try await files(where: #""id" = \#(fileID) FOR UPDATE"#, on: connection).first else { continue }
                // A file another deal still holds stays until that deal lets it go.
                let held = try await connection.query(#"SELECT 1 FROM "deal_file" WHERE "fileID" = \#(fileID) LIMIT 1"#, logger: logger).collect()
                guard held.isEmpty else { continue }
                try await connection.query(#"DELETE FROM "file" WHERE "id" = \#(fileID)"#, logger: logger)
                try await connection.query(#"DELETE FROM "blob" WHERE "id" = \#(file.blobID)"#, logger: logger)
                purged.append(file.blobID)
                filesPurged += 1
            }
            try await PostgresAuditTrail.append(
                .dealClosed(
                    deal, from: from, blobsPurged: purged.count, filesPurged: filesPurged, recipientKeysPurged: recipientKeysPurged, by: actor),
                key: key, now: now, on: connection, logger: logger)
            return ClosedDeal(deal: deal, purgedBlobIDs: purged)
        }
    }

    /// Writes an issued invoice's row; the schema checks its number follows its series' last, without gap.
    private func insert(_ record: InvoiceRecord, on connection: PostgresConnection) async throws {
        let document = try StoreRules.sortedJSON(record.document)
        try await connection.query(
            #"""
            INSERT INTO "invoice" ("number", "seriesPrefix", "issuerID", "year", "sequence", "kind", "purpose", "dealID", "sellerID", "buyerID",
                "issueDate", "netCents", "vatCents", "grossCents", "document", "creditsNumber", "createdAt")
            VALUES (\#(record.number), \#(record.seriesPrefix), \#(record.issuerID), \#(record.year), \#(record.sequence),
                \#(record.kind == .invoice ? "invoice" : "credit-note"), \#(record.purpose.rawValue), \#(record.dealID), \#(record.sellerID),
                \#(record.buyerID), \#(record.issueDate.iso8601), \#(record.netCents), \#(record.vatCents), \#(record.grossCents), \#(document),
                \#(record.creditsNumber), \#(Timestamp.seconds(record.createdAt)))
            """#, logger: logger)
    }

    /// The invoices `condition` selects, in its order.
    private func invoices(where condition: PostgresQuery, on connection: PostgresConnection) async throws -> [InvoiceRecord] {
        try await select("invoice", where: condition, on: connection) { columns throws(StoreError) in try columns.invoice() }
    }

    /// The settlement statement of deal `dealID`, its row locked for the transaction when `locking`, or nil.
    private func settlement(_ dealID: String, locking: Bool = false, on connection: PostgresConnection) async throws -> SettlementStatement? {
        let rows = try await connection.query(
            #"SELECT "statement" FROM "settlement" WHERE "dealID" = \#(dealID) \#(unescaped: locking ? "FOR UPDATE" : "")"#, logger: logger
        ).collect()
        guard let json = try rows.first?.decode(String.self) else { return nil }
        return try JSONDecoder().decode(SettlementStatement.self, from: Data(json.utf8))
    }

    /// The payments `condition` selects, in the order they were made, each with its counterparty.
    private func payments(where condition: PostgresQuery, on connection: PostgresConnection) async throws -> [SettlementPayment] {
        var ordered = condition
        ordered.sql += #" ORDER BY "paidOn", "recordedAt", "id" COLLATE "C""#
        let records = try await select("settlement_payment", where: ordered, on: connection) { columns throws(StoreError) in
            try columns.settlementPayment()
        }
        var payments: [SettlementPayment] = []
        for record in records {
            let counterparty = try StoreRules.partner(
                try await organisation(where: #""id" = \#(record.counterpartyID)"#, on: connection), id: record.counterpartyID)
            payments.append(StoreRules.settlementPayment(record, counterparty: counterparty))
        }
        return payments
    }
}

extension PostgresStore: BillingStore, DealStore {}
