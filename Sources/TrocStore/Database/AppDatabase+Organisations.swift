package import Foundation
import GRDB
package import TrocCore

extension AppDatabase {
    /// Creates an organisation; refuses a SIREN already registered and a second broker organisation.
    package func createOrganisation(_ new: OrganisationDraft, now: Date) throws(StoreError) -> OrganisationRecord {
        try StoreRules.validate(new)
        return try write { db in
            if let siren = new.siren, let existing = try OrganisationRecord.filter(OrganisationRecord.Columns.siren == siren).fetchOne(db) {
                throw StoreError.duplicateSIREN(siren: siren, existingOrganisationID: existing.id)
            }
            if new.kind == .broker,
                let existing = try OrganisationRecord.filter(OrganisationRecord.Columns.kind == OrganisationKind.broker).fetchOne(db)
            {
                throw StoreError.brokerAlreadyExists(existingOrganisationID: existing.id)
            }
            let record = OrganisationRecord(registering: new, now: now)
            try record.insert(db)
            if let status = new.vatStatus { try VATStatusRecord(organisationID: record.id, status: status, now: now).insert(db) }
            if let account = new.bankAccount { try BankAccountRecord(organisationID: record.id, account: account, now: now).insert(db) }
            return record
        }
    }

    /// The organisation with `id`, or nil.
    package func organisation(id: String) throws(StoreError) -> OrganisationRecord? {
        try read { db in try OrganisationRecord.fetchOne(db, cached: "SELECT * FROM organisation WHERE id = ?", arguments: [id]) }
    }

    /// Every organisation, the broker first, then partners by name.
    package func organisations() throws(StoreError) -> [OrganisationRecord] {
        try read { db in
            try OrganisationRecord.order(
                (OrganisationRecord.Columns.kind == OrganisationKind.broker).desc, OrganisationRecord.Columns.name.collating(.nocase),
                OrganisationRecord.Columns.id
            ).fetchAll(db)
        }
    }

    /// The broker organisation, once created.
    package func brokerOrganisation() throws(StoreError) -> OrganisationRecord? {
        try read { db in try OrganisationRecord.filter(OrganisationRecord.Columns.kind == OrganisationKind.broker).fetchOne(db) }
    }

    /// Gives a firm another NAF code (an operator switching it to its NAF 2025 code, or correcting it), audited with the
    /// old and new codes and the reason; returns the firm as changed. Deals already proposed keep the verdict they had.
    package func changeNAFCode(
        organisationID: String, nafCode: String, nomenclature: NAFNomenclature, reason: String, actor: AuditActor, now: Date
    ) throws(StoreError) -> OrganisationRecord {
        let key = try requireAuditKey()
        let reason = try StoreRules.requiredReason(reason)
        try StoreRules.validateNAF(nafCode, nomenclature)
        return try write { db in
            guard var record = try OrganisationRecord.fetchOne(db, key: organisationID), record.kind == .partner else {
                throw StoreError.organisationNotFound(id: organisationID)
            }
            guard record.nafCode != nafCode || record.nafNomenclature != nomenclature else { return record }
            let before: AuditValue = ["code": .string(record.nafCode), "nomenclature": .string(record.nafNomenclature.rawValue)]
            record.nafCode = nafCode
            record.nafNomenclature = nomenclature
            try record.update(db)
            _ = try Self.appendAudit(
                .nafCodeChanged(record, before: before, by: actor, reason: reason), key: key, now: now, db: db)
            return record
        }
    }
}
