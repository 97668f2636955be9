package import Foundation
import PostgresNIO
package import TrocCore
package import TrocStore

extension PostgresStore {
    /// Serialises organisation creation across instances: the SIREN and single-broker checks then see every
    /// organisation committed before, as SQLite's single writer lets them (the unique indexes back this up).
    static let organisationCreationLock: Int64 = 0x7472_6f63_2d6f_7267

    /// Creates an organisation; refuses a SIREN already registered and a second broker organisation.
    package func createOrganisation(_ new: OrganisationDraft, now: Date) async throws(StoreError) -> OrganisationRecord {
        try StoreRules.validate(new)
        return try await transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.organisationCreationLock))", logger: logger)
            if let siren = new.siren, let existing = try await organisation(where: #""siren" = \#(siren)"#, on: connection) {
                throw StoreError.duplicateSIREN(siren: siren, existingOrganisationID: existing.id)
            }
            if new.kind == .broker, let existing = try await brokerOrganisation(on: connection) {
                throw StoreError.brokerAlreadyExists(existingOrganisationID: existing.id)
            }
            let record = OrganisationRecord(registering: new, now: now)
            try await connection.query(
                #"""
                INSERT INTO "organisation" ("id", "kind", "name", "siren", "siret", "vatNumber", "nafCode", "street", "postcode", "city",
                    "countryCode", "createdAt", "nafNomenclature")
                VALUES (\#(record.id), \#(record.kind.rawValue), \#(record.name), \#(record.siren), \#(record.siret), \#(record.vatNumber),
                    \#(record.nafCode), \#(record.street), \#(record.postcode), \#(record.city), \#(record.countryCode),
                    \#(Timestamp.seconds(now)), \#(record.nafNomenclature.rawValue))
                """#, logger: logger)
            if let status = new.vatStatus {
                let row = VATStatusRecord(organisationID: record.id, status: status, now: now)
                try await connection.query(
                    #"""
                    INSERT INTO "organisation_vat_status" ("organisationID", "regime", "vatNumber", "territory", "vatNumberCheckedAt",
                        "vatNumberCheckMethod", "updatedAt")
                    VALUES (\#(row.organisationID), \#(row.regime.rawValue), \#(row.vatNumber), \#(row.territory),
                        \#(row.vatNumberCheckedAt.map(Timestamp.seconds)), \#(row.vatNumberCheckMethod?.rawValue), \#(Timestamp.seconds(now)))
                    """#, logger: logger)
            }
            if let account = new.bankAccount {
                let row = BankAccountRecord(organisationID: record.id, account: account, now: now)
                try await connection.query(
                    #"""
                    INSERT INTO "organisation_bank_account" ("organisationID", "iban", "bic", "updatedAt")
                    VALUES (\#(row.organisationID), \#(row.iban), \#(row.bic), \#(Timestamp.seconds(now)))
                    """#, logger: logger)
            }
            return record
        }
    }

    /// The organisation with `id`, or nil.
    package func organisation(id: String) async throws(StoreError) -> OrganisationRecord? {
        try await withConnection { connection in try await organisation(where: #""id" = \#(id)"#, on: connection) }
    }

    /// Every organisation, the broker first, then partners by name ignoring ASCII case (SQLite's NOCASE order).
    package func organisations() async throws(StoreError) -> [OrganisationRecord] {
        try await withConnection { connection in
            let rows = try await connection.query(
                #"SELECT * FROM "organisation" ORDER BY ("kind" = 'broker') DESC, lower("name" COLLATE "C"), "id""#, logger: logger)
            var organisations: [OrganisationRecord] = []
            for try await row in rows { organisations.append(try PostgresColumns(row).organisation()) }
            return organisations
        }
    }

    /// The broker organisation, once created.
    package func brokerOrganisation() async throws(StoreError) -> OrganisationRecord? {
        try await withConnection { connection in try await brokerOrganisation(on: connection) }
    }

    /// Gives a firm another NAF code, audited with the old and new codes and the reason; returns the firm as changed.
    package func changeNAFCode(
        organisationID: String, nafCode: String, nomenclature: NAFNomenclature, reason: String, actor: AuditActor, now: Date
    ) async throws(StoreError) -> OrganisationRecord {
        let key = try requireAuditKey()
        let reason = try StoreRules.requiredReason(reason)
        try StoreRules.validateNAF(nafCode, nomenclature)
        return try await transaction { connection in
            let locked = try await organisation(where: #""id" = \#(organisationID) FOR UPDATE"#, on: connection)
            guard var record = locked, record.kind == .partner else { throw StoreError.organisationNotFound(id: organisationID) }
            guard record.nafCode != nafCode || record.nafNomenclature != nomenclature else { return record }
            let before: AuditValue = ["code": .string(record.nafCode), "nomenclature": .string(record.nafNomenclature.rawValue)]
            record.nafCode = nafCode
            record.nafNomenclature = nomenclature
            try await connection.query(
                #"UPDATE "organisation" SET "nafCode" = \#(nafCode), "nafNomenclature" = \#(nomenclature.rawValue) WHERE "id" = \#(organisationID)"#,
                logger: logger)
            try await PostgresAuditTrail.append(
                .nafCodeChanged(record, before: before, by: actor, reason: reason), key: key, now: now, on: connection, logger: logger)
            return record
        }
    }

    /// The broker organisation read on `connection`.
    func brokerOrganisation(on connection: PostgresConnection) async throws -> OrganisationRecord? {
        try await organisation(where: #""kind" = 'broker'"#, on: connection)
    }

    /// The one organisation `condition` selects, or nil.
    func organisation(where condition: PostgresQuery, on connection: PostgresConnection) async throws -> OrganisationRecord? {
        try await select("organisation", where: condition, on: connection) { columns throws(StoreError) in try columns.organisation() }.first
    }
}
