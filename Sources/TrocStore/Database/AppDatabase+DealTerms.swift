package import Foundation
import GRDB
package import TrocCore

extension AppDatabase {
    /// The terms a deal was agreed on, or nil before both firms accepted.
    package func dealTerms(dealID: String) throws(StoreError) -> DealTerms? {
        try read { db in try Self.storedTerms(dealID, db: db) }
    }

    /// The terms to invoice a released deal on: those frozen when both firms accepted, or, for a deal released before
    /// terms were recorded, frozen now from the registrations in force.
    package func termsForInvoicing(dealID: String, now: Date) throws(StoreError) -> DealTerms {
        try write { db in
            guard let deal = try DealRecord.fetchOne(db, key: dealID) else { throw StoreError.dealNotFound(id: dealID) }
            try Self.ensureTerms(deal, now: now, db: db)
            guard let terms = try Self.storedTerms(dealID, db: db) else { throw StoreError.database("the terms of \(dealID) were not stored") }
            return terms
        }
    }

    /// Records money the broker received from the debtor firm or paid out to the creditor firm of a deal whose settlement
    /// it collects, as on its bank statement; checked against the statement and the payments already recorded, audited.
    package func recordSettlementPayment(
        dealID: String, direction: SettlementPaymentDirection, amount: Money, date: CivilDate, reference: String, actor: AuditActor, now: Date
    ) throws(StoreError) -> SettlementPaymentRecord {
        let key = try requireAuditKey()
        return try write { db in
            guard let statement = try Self.settlement(dealID, db: db), let deal = try DealRecord.fetchOne(db, key: dealID) else {
                throw StoreError.settlementNotFound(dealID: dealID)
            }
            let record = try StoreRules.settlementPayment(
                of: deal, statement: statement, recorded: try Self.payments(dealID: dealID, db: db), direction: direction, amount: amount,
                date: date, reference: reference, actor: actor, now: now)
            try record.insert(db)
            _ = try Self.appendAudit(.settlementPaymentRecorded(record, by: actor), key: key, now: now, db: db)
            return record
        }
    }

    /// The payments recorded for a deal, in the order they were made.
    package func settlementPayments(dealID: String) throws(StoreError) -> [SettlementPayment] {
        try read { db in try Self.payments(dealID: dealID, db: db) }
    }

    /// The payments of every deal made from `from` to `to` inclusive, for the FEC.
    package func settlementPayments(from: CivilDate, to: CivilDate) throws(StoreError) -> [SettlementPayment] {
        try read { db in
            let records = try SettlementPaymentRecord.filter(
                SettlementPaymentRecord.Columns.paidOn >= from && SettlementPaymentRecord.Columns.paidOn <= to
            )
            .order(SettlementPaymentRecord.Columns.paidOn, SettlementPaymentRecord.Columns.recordedAt, Column.rowID).fetchAll(db)
            return try records.map { try Self.payment($0, db: db) }
        }
    }

    /// Freezes the deal's terms unless they are already: at the second acceptance, and for a deal accepted before terms
    /// were recorded, at its approval or release.
    static func ensureTerms(_ deal: DealRecord, now: Date, db: Database) throws {
        guard try storedTerms(deal.id, db: db) == nil else { return }
        let settings = try settings(db)
        let broker = try settings.invoicing()
        let partners = (try dealPartner(deal.proposerID, db: db), try dealPartner(deal.partnerID, db: db))
        let (terms, json) = try StoreRules.terms(
            of: deal, broker: broker, collectionByBroker: settings.collectionByBroker, partners: partners, now: now)
        try db.execute(
            sql: "INSERT INTO deal_terms (dealID, terms, agreedOn, createdAt) VALUES (?, ?, ?, ?)",
            arguments: [deal.id, json, terms.agreedOn, Timestamp.seconds(now)])
    }

    static func storedTerms(_ dealID: String, db: Database) throws -> DealTerms? {
        guard let json = try String.fetchOne(db, sql: "SELECT terms FROM deal_terms WHERE dealID = ?", arguments: [dealID]) else { return nil }
        return try JSONDecoder().decode(DealTerms.self, from: Data(json.utf8))
    }

    private static func settlement(_ dealID: String, db: Database) throws -> SettlementStatement? {
        guard let json = try String.fetchOne(db, sql: "SELECT statement FROM settlement WHERE dealID = ?", arguments: [dealID]) else { return nil }
        return try JSONDecoder().decode(SettlementStatement.self, from: Data(json.utf8))
    }

    private static func payments(dealID: String, db: Database) throws -> [SettlementPayment] {
        try SettlementPaymentRecord.filter(SettlementPaymentRecord.Columns.dealID == dealID).order(
            SettlementPaymentRecord.Columns.paidOn, SettlementPaymentRecord.Columns.recordedAt, Column.rowID
        ).fetchAll(db)
            .map { try payment($0, db: db) }
    }

    /// A recorded payment with its counterparty's name and the identifier of its third-party account.
    private static func payment(_ record: SettlementPaymentRecord, db: Database) throws -> SettlementPayment {
        StoreRules.settlementPayment(record, counterparty: try OrganisationRecord.find(db, key: record.counterpartyID))
    }
}
