package import Foundation
import GRDB
package import TrocCore

extension AppDatabase {
    /// Records a firm's VAT status as an operator changed it, checked against the firm's address and SIREN, with the
    /// organisation's VAT number kept equal to it; audited with before and after. Issued invoices and the terms of deals
    /// already agreed keep the status they were made with.
    package func setVATStatus(
        organisationID: String, regime: VATRegime, vatNumber: String?, reason: String?, actor: AuditActor, now: Date
    ) throws(StoreError) -> VATStatusRecord {
        let key = try requireAuditKey()
        return try write { db in
            let organisation = try Self.partnerOrganisation(organisationID, db: db)
            let status = try StoreRules.vatStatus(regime: regime, vatNumber: vatNumber, of: organisation)
            let before = try VATStatusRecord.fetchOne(db, key: organisationID)
            let record = VATStatusRecord(organisationID: organisationID, status: status, now: now)
            try record.save(db)
            try db.execute(sql: "UPDATE organisation SET vatNumber = ? WHERE id = ?", arguments: [record.vatNumber, organisationID])
            _ = try Self.appendAudit(.vatStatusSet(from: before, to: record, by: actor, reason: reason), key: key, now: now, db: db)
            return record
        }
    }

    /// The firm's VAT status, or nil when none was recorded (firms registered before statuses were).
    package func vatStatus(organisationID: String) throws(StoreError) -> VATStatusRecord? {
        try read { db in
            try VATStatusRecord.fetchOne(db, cached: "SELECT * FROM organisation_vat_status WHERE organisationID = ?", arguments: [organisationID])
        }
    }

    /// Records the account a firm is paid into (its own user or an operator), audited with the accounts' ends only.
    package func setBankAccount(organisationID: String, account: BankAccount, reason: String?, actor: AuditActor, now: Date) throws(StoreError)
        -> BankAccountRecord
    {
        let key = try requireAuditKey()
        return try write { db in
            _ = try Self.partnerOrganisation(organisationID, db: db)
            let before = try BankAccountRecord.fetchOne(db, key: organisationID)
            let record = BankAccountRecord(organisationID: organisationID, account: account, now: now)
            try record.save(db)
            _ = try Self.appendAudit(.bankAccountSet(from: before, to: record, by: actor, reason: reason), key: key, now: now, db: db)
            return record
        }
    }

    /// The account the firm is paid into, or nil.
    package func bankAccount(organisationID: String) throws(StoreError) -> BankAccountRecord? {
        try read { db in
            try BankAccountRecord.fetchOne(
                db, cached: "SELECT * FROM organisation_bank_account WHERE organisationID = ?", arguments: [organisationID])
        }
    }

    /// The partner organisation `id`, or the error saying it is not one.
    static func partnerOrganisation(_ id: String, db: Database) throws -> OrganisationRecord {
        try StoreRules.partner(try OrganisationRecord.fetchOne(db, key: id), id: id)
    }

    /// A firm as a deal's terms hold it: identity, VAT status and account, or the error naming what it has yet to register.
    static func dealPartner(_ id: String, db: Database) throws -> DealPartner {
        try StoreRules.dealPartner(
            try partnerOrganisation(id, db: db), status: try VATStatusRecord.fetchOne(db, key: id),
            account: try BankAccountRecord.fetchOne(db, key: id))
    }
}

extension AuditAction {
    /// An operator recorded or changed a firm's VAT status.
    package static let organisationVATStatus: AuditAction = "organisation.vat-status"
    /// A firm's account was registered or changed.
    package static let organisationBankAccount: AuditAction = "organisation.bank-account"
    /// A firm accepted the billing mandate.
    package static let mandateAccept: AuditAction = "mandate.accept"
    /// A firm withdrew its billing mandate.
    package static let mandateWithdraw: AuditAction = "mandate.withdraw"
    /// An operator recorded money received or paid out for a deal the broker collects.
    package static let settlementPayment: AuditAction = "settlement.payment"
}

extension Timestamp {
    /// The civil date of `date` in UTC, the broker's day.
    package static func day(_ date: Date) -> CivilDate { CivilDate(daysSinceEpoch: Int32(seconds(date) / 86_400)) }
}
