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
        guard wordingVersion == BillingMandateWording.version else {
            throw .billingMandateWordingOutdated(given: wordingVersion, current: BillingMandateWording.version)
        }
        guard BillingMandateWording.contestDaysRange.contains(contestDays) else {
            throw .invalidField(
                field: "contestDays", value: String(contestDays),
                reason: "between \(BillingMandateWording.contestDaysRange.lowerBound) and \(BillingMandateWording.contestDaysRange.upperBound) days")
        }
        guard actor.role == .partner, actor.organisationID == organisationID, let userID = actor.userID else {
            throw .invalidField(
                field: "organisationID", value: organisationID, reason: "a firm's billing mandate is accepted by one of its own users")
        }
        return try write { db in
            let organisation = try Self.partnerOrganisation(organisationID, db: db)
            if let current = try Self.mandateInForce(organisationID, db: db) {
                guard current.contestDays == contestDays, current.wordingVersion == wordingVersion else {
                    throw StoreError.billingMandateInForce(reference: current.id, contestDays: current.contestDays)
                }
                return current
            }
            let (broker, brokerSIREN) = try Self.brokerIdentity(db)
            let record = BillingMandateRecord(
                id: RecordID.make(RecordID.mandate), organisationID: organisationID, wordingVersion: wordingVersion,
                scope: BillingMandateWording.scope, contestDays: contestDays,
                wording: BillingMandateWording.text(
                    firm: organisation.name, firmSIREN: organisation.siren, broker: broker, brokerSIREN: brokerSIREN, contestDays: contestDays),
                acceptedAt: Timestamp.stored(now), acceptedByUserID: userID, withdrawnAt: nil, withdrawnByUserID: nil, withdrawalReason: nil)
            try record.insert(db)
            _ = try Self.appendAudit(
                AuditDraft(
                    action: .mandateAccept, actor: actor, organisationID: organisationID,
                    detail: [
                        "mandate": .string(record.id), "wordingVersion": .string(wordingVersion), "scope": .string(record.scope),
                        "contestDays": AuditValue(contestDays),
                    ]), key: key, now: now, db: db)
            return record
        }
    }

    /// A firm's user withdraws its billing mandate: no invoice is issued in its name from then on, and its approved deals
    /// cannot be released until it accepts one again. Refused while one of its deals is released and being invoiced.
    package func withdrawMandate(organisationID: String, reason: String?, actor: AuditActor, now: Date) throws(StoreError) -> BillingMandateRecord {
        let key = try requireAuditKey()
        guard actor.role == .partner, actor.organisationID == organisationID, let userID = actor.userID else {
            throw .invalidField(
                field: "organisationID", value: organisationID, reason: "a firm's billing mandate is withdrawn by one of its own users")
        }
        return try write { db in
            _ = try Self.partnerOrganisation(organisationID, db: db)
            guard var record = try Self.mandateInForce(organisationID, db: db) else {
                throw StoreError.billingMandateNotInForce(organisationID: organisationID)
            }
            let invoicing = try String.fetchAll(
                db, sql: "SELECT id FROM deal WHERE state = 'released' AND (proposerID = ? OR partnerID = ?) ORDER BY id",
                arguments: [organisationID, organisationID])
            guard invoicing.isEmpty else { throw StoreError.billingMandateInUse(reference: record.id, dealIDs: invoicing) }
            let trimmed = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
            record.withdrawnAt = Timestamp.stored(now)
            record.withdrawnByUserID = userID
            record.withdrawalReason = trimmed?.isEmpty == false ? trimmed : nil
            try db.execute(
                sql: "UPDATE billing_mandate SET withdrawnAt = ?, withdrawnByUserID = ?, withdrawalReason = ? WHERE id = ? AND withdrawnAt IS NULL",
                arguments: [Timestamp.seconds(now), userID, record.withdrawalReason, record.id])
            _ = try Self.appendAudit(
                AuditDraft(
                    action: .mandateWithdraw, actor: actor, organisationID: organisationID, detail: ["mandate": .string(record.id)], reason: trimmed),
                key: key, now: now, db: db)
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
        if let identity = try settings(db).identity { return (identity.legalName, identity.siren) }
        guard let broker = try OrganisationRecord.filter(OrganisationRecord.Columns.kind == OrganisationKind.broker).fetchOne(db),
            let siren = broker.siren
        else {
            throw StoreError.invoicingNotConfigured(missing: BrokerSettings.identityFields)
        }
        return (broker.name, siren)
    }
}
