package import Foundation
import GRDB
package import TrocCore

extension AppDatabase {
    /// Creates an organisation; refuses a SIREN already registered and a second broker organisation.
    package func createOrganisation(_ new: OrganisationDraft, now: Date) throws(StoreError) -> OrganisationRecord {
        try Self.validate(new)
        return try write { db in
            if let siren = new.siren, let existing = try OrganisationRecord.filter(OrganisationRecord.Columns.siren == siren).fetchOne(db) {
                throw StoreError.duplicateSIREN(siren: siren, existingOrganisationID: existing.id)
            }
            if new.kind == .broker,
                let existing = try OrganisationRecord.filter(OrganisationRecord.Columns.kind == OrganisationKind.broker).fetchOne(db)
            {
                throw StoreError.brokerAlreadyExists(existingOrganisationID: existing.id)
            }
            let record = OrganisationRecord(
                id: RecordID.make(RecordID.organisation), kind: new.kind, name: new.name, siren: new.siren, siret: new.siret,
                vatNumber: new.vatNumber, nafCode: new.nafCode, street: new.street, postcode: new.postcode, city: new.city,
                countryCode: new.countryCode, publicKeyPEM: nil, publicKeyFingerprint: nil, createdAt: Timestamp.stored(now),
                nafNomenclature: new.nafNomenclature)
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

    /// Checks the shapes the schema also checks, to say which field is wrong and why.
    private static func validate(_ new: OrganisationDraft) throws(StoreError) {
        func digits(_ text: String, count: Int) -> Bool { text.utf8.count == count && text.utf8.allSatisfy { (0x30...0x39).contains($0) } }
        func isUppercase(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) }
        guard !new.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidField(field: "name", value: new.name, reason: "the legal name is empty")
        }
        let country = Array(new.countryCode.utf8)
        guard country.count == 2, country.allSatisfy(isUppercase) else {
            throw .invalidField(
                field: "countryCode", value: new.countryCode, reason: "an ISO 3166-1 alpha-2 code is two uppercase letters, such as FR")
        }
        if let siren = new.siren, !digits(siren, count: 9) {
            throw .invalidField(field: "siren", value: siren, reason: "a SIREN is 9 digits, without spaces")
        }
        if new.countryCode == "FR", new.siren == nil {
            throw .invalidField(field: "siren", value: "", reason: "a French organisation needs its SIREN")
        }
        if let siret = new.siret {
            guard digits(siret, count: 14) else {
                throw .invalidField(field: "siret", value: siret, reason: "a SIRET is 14 digits, without spaces")
            }
            guard let siren = new.siren, siret.hasPrefix(siren) else {
                throw .invalidField(
                    field: "siret", value: siret, reason: "a SIRET starts with the organisation's SIREN (\(new.siren ?? "none given"))")
            }
        }
        try validateNAF(new.nafCode, new.nafNomenclature)
    }

    /// Checks that `code` is a sub-class of `nomenclature`.
    private static func validateNAF(_ code: String, _ nomenclature: NAFNomenclature) throws(StoreError) {
        guard ReferenceData.embedded.subclass(code, in: nomenclature) != nil else {
            throw .invalidField(
                field: "nafCode", value: code,
                reason: "not a \(nomenclature.name) sub-class code (expected the form \(nomenclature == .rev2 ? "62.01Z" : "62.01Y"))")
        }
    }

    /// Gives a firm another NAF code (an operator switching it to its NAF 2025 code, or correcting it), audited with the
    /// old and new codes and the reason; returns the firm as changed. Deals already proposed keep the verdict they had.
    package func changeNAFCode(
        organisationID: String, nafCode: String, nomenclature: NAFNomenclature, reason: String, actor: AuditActor, now: Date
    ) throws(StoreError) -> OrganisationRecord {
        let key = try requireAuditKey()
        let reason = try Self.requiredReason(reason)
        try Self.validateNAF(nafCode, nomenclature)
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
                AuditDraft(
                    action: "organisation.naf-change", actor: actor, organisationID: organisationID,
                    detail: ["before": before, "after": ["code": .string(nafCode), "nomenclature": .string(nomenclature.rawValue)]],
                    reason: reason), key: key, now: now, db: db)
            return record
        }
    }
}
