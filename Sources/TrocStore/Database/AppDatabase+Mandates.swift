package import Foundation
import GRDB
import TrocCore

extension AppDatabase {
    /// A firm's user accepts the billing mandate in its current wording (`BillingMandateWording.version`), with the
    /// delay it takes to contest an invoice; audited. Accepting again what is in force changes nothing; another delay
    /// needs the mandate withdrawn first, so that every invoice names the terms it was issued under.
    package func acceptMandate(organisationID: String, wordingVersion: String, contestDays: Int, actor: AuditActor, now: Date) throws(StoreError)
        -> BillingMandateRecord
    {
        let key = try requireAuditKey()
        let userID = try StoreRules.mandateAcceptance(
            organisationID: organisationID, wordingVersion: wordingVersion, contestDays: contestDays, actor: actor)
        return try write { db in
            let organisation = try Self.partnerOrganisation(organisationID, db: db)
            if let current = try Self.mandateInForce(organisationID, db: db) {
                guard current.contestDays == contestDays, current.wordingVersion == wordingVersion else {
                    throw StoreError.billingMandateInForce(reference: current.id, contestDays: current.contestDays)
                }
                return current
            }
            let record = BillingMandateRecord(
                accepting: organisation, contestDays: contestDays, userID: userID, broker: try Self.brokerIdentity(db), now: now)
            try record.insert(db)
            _ = try Self.appendAudit(.mandateAccepted(record, by: actor), key: key, now: now, db: db)
            return record
        }
    }

    /// A firm's user withdraws its billing mandate: no invoice is issued in its name from then on, and its approved deals
    /// cannot be released until it accepts one again. Refused while one of its deals is released and being invoiced.
    package func withdrawMandate(organisationID: String, reason: String?, actor: AuditActor, now: Date) throws(StoreError) -> BillingMandateRecord {
        let key = try requireAuditKey()
        let userID = try StoreRules.mandateWithdrawal(organisationID: organisationID, actor: actor)
        return try write { db in
            _ = try Self.partnerOrganisation(organisationID, db: db)
            guard var record = try Self.mandateInForce(organisationID, db: db) else {
                throw StoreError.billingMandateNotInForce(organisationID: organisationID)
            }
            let invoicing = try String.fetchAll(
                db, sql: "SELECT id FROM deal WHERE state = 'released' AND (proposerID = ? OR partnerID = ?) ORDER BY id",
                arguments: [organisationID, organisationID])
            guard invoicing.isEmpty else { throw StoreError.billingMandateInUse(reference: record.id, dealIDs: invoicing) }
            record.withdraw(by: userID, reason: reason, now: now)
            try db.execute(
                sql: "UPDATE billing_mandate SET withdrawnAt = ?, withdrawnByUserID = ?, withdrawalReason = ? WHERE id = ? AND withdrawnAt IS NULL",
                arguments: [Timestamp.seconds(now), userID, record.withdrawalReason, record.id])
            _ = try Self.appendAudit(.mandateWithdrawn(record, by: actor, reason: reason), key: key, now: now, db: db)
            return record
        }
    }

    /// Every mandate the firm gave, the latest first.
    package func mandates(organisationID: String) throws(StoreError) -> [BillingMandateRecord] {
        try read { db in
            try BillingMandateRecord.filter(BillingMandateRecord.Columns.organisationID == organisationID).order(
                BillingMandateRecord.Columns.acceptedAt.desc, BillingMandateRecord.Columns.id
            ).fetchAll(db)
        }
    }

    /// The firm's mandate in force, or nil.
    package func mandateInForce(organisationID: String) throws(StoreError) -> BillingMandateRecord? {
        try read { db in try Self.mandateInForce(organisationID, db: db) }
    }

    /// Refuses, naming the firms, when a party of deal `dealID` has no billing mandate in force.
    package func checkMandates(dealID: String) throws(StoreError) {
        try read { db in
            guard let deal = try DealRecord.fetchOne(db, key: dealID) else { throw StoreError.dealNotFound(id: dealID) }
            try Self.requireMandates(deal, db: db)
        }
    }

    /// The legal name and SIREN the mandate names the broker by: its invoicing identity, else its organisation.
    package func brokerIdentity() throws(StoreError) -> (name: String, siren: String) {
        try read { db in try Self.brokerIdentity(db) }
    }

    static func mandateInForce(_ organisationID: String, db: Database) throws -> BillingMandateRecord? {
        try BillingMandateRecord.filter(
            BillingMandateRecord.Columns.organisationID == organisationID && BillingMandateRecord.Columns.withdrawnAt == nil
        ).fetchOne(db)
    }

    /// Refuses, naming them, when a party of `deal` has no billing mandate in force.
    static func requireMandates(_ deal: DealRecord, db: Database) throws {
        var missing: [String] = []
        for id in deal.partyIDs where try mandateInForce(id, db: db) == nil {
            missing.append(try OrganisationRecord.fetchOne(db, key: id)?.name ?? id)
        }
        guard missing.isEmpty else { throw StoreError.billingMandateMissing(dealID: deal.id, firms: missing) }
    }

    private static func brokerIdentity(_ db: Database) throws -> (name: String, siren: String) {
        try StoreRules.brokerIdentity(
            settings: try settings(db), broker: try OrganisationRecord.filter(OrganisationRecord.Columns.kind == OrganisationKind.broker).fetchOne(db)
        )
    }
}
