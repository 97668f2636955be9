package import Foundation
import PostgresNIO
package import TrocCore
package import TrocStore

/// A firm's billing terms in PostgreSQL: its VAT status, the account it is paid into, and the billing mandate it gives
/// the broker (the part of `BillingStore` the deal lifecycle needs before invoices).
///
/// Each write locks the firm's row first, so that writes about one firm on several instances happen one after the
/// other, each audited against what the previous one left. The port of a deal's release must lock its parties' rows
/// the same way, so that a withdrawal and a release cannot pass each other.
extension PostgresStore {
    /// Records a firm's VAT status as an operator changed it, checked against the firm's address and SIREN, with the
    /// organisation's VAT number kept equal to it; audited with before and after.
    package func setVATStatus(
        organisationID: String, regime: VATRegime, vatNumber: String?, reason: String?, actor: AuditActor, now: Date
    ) async throws(StoreError) -> VATStatusRecord {
        let key = try requireAuditKey()
        return try await transaction { connection in
            let organisation = try await lockedPartner(organisationID, on: connection)
            let status = try StoreRules.vatStatus(regime: regime, vatNumber: vatNumber, of: organisation)
            let before = try await vatStatus(organisationID: organisationID, on: connection)
            let record = VATStatusRecord(organisationID: organisationID, status: status, now: now)
            try await connection.query(
                #"""
                INSERT INTO "organisation_vat_status" ("organisationID", "regime", "vatNumber", "territory", "vatNumberCheckedAt",
                    "vatNumberCheckMethod", "updatedAt")
                VALUES (\#(record.organisationID), \#(record.regime.rawValue), \#(record.vatNumber), \#(record.territory),
                    \#(record.vatNumberCheckedAt.map(Timestamp.seconds)), \#(record.vatNumberCheckMethod?.rawValue), \#(Timestamp.seconds(record.updatedAt)))
                ON CONFLICT ("organisationID") DO UPDATE SET "regime" = excluded."regime", "vatNumber" = excluded."vatNumber",
                    "territory" = excluded."territory", "vatNumberCheckedAt" = excluded."vatNumberCheckedAt",
                    "vatNumberCheckMethod" = excluded."vatNumberCheckMethod", "updatedAt" = excluded."updatedAt"
                """#, logger: logger)
            try await connection.query(
                #"UPDATE "organisation" SET "vatNumber" = \#(record.vatNumber) WHERE "id" = \#(organisationID)"#, logger: logger)
            try await PostgresAuditTrail.append(
                .vatStatusSet(from: before, to: record, by: actor, reason: reason), key: key, now: now, on: connection, logger: logger)
            return record
        }
    }

    /// The firm's VAT status, or nil when none was recorded.
    package func vatStatus(organisationID: String) async throws(StoreError) -> VATStatusRecord? {
        try await withConnection { connection in try await vatStatus(organisationID: organisationID, on: connection) }
    }

    /// Records the account a firm is paid into (its own user or an operator), audited with the accounts' ends only.
    package func setBankAccount(
        organisationID: String, account: BankAccount, reason: String?, actor: AuditActor, now: Date
    ) async throws(StoreError) -> BankAccountRecord {
        let key = try requireAuditKey()
        return try await transaction { connection in
            _ = try await lockedPartner(organisationID, on: connection)
            let before = try await bankAccount(organisationID: organisationID, on: connection)
            let record = BankAccountRecord(organisationID: organisationID, account: account, now: now)
            try await connection.query(
                #"""
                INSERT INTO "organisation_bank_account" ("organisationID", "iban", "bic", "updatedAt")
                VALUES (\#(record.organisationID), \#(record.iban), \#(record.bic), \#(Timestamp.seconds(record.updatedAt)))
                ON CONFLICT ("organisationID") DO UPDATE SET "iban" = excluded."iban", "bic" = excluded."bic", "updatedAt" = excluded."updatedAt"
                """#, logger: logger)
            try await PostgresAuditTrail.append(
                .bankAccountSet(from: before, to: record, by: actor, reason: reason), key: key, now: now, on: connection, logger: logger)
            return record
        }
    }

    /// The account the firm is paid into, or nil.
    package func bankAccount(organisationID: String) async throws(StoreError) -> BankAccountRecord? {
        try await withConnection { connection in try await bankAccount(organisationID: organisationID, on: connection) }
    }

    /// A firm's user accepts the billing mandate in its current wording, with the delay it takes to contest an invoice;
    /// audited. Accepting again what is in force changes nothing; another delay needs the mandate withdrawn first.
    package func acceptMandate(
        organisationID: String, wordingVersion: String, contestDays: Int, actor: AuditActor, now: Date
    ) async throws(StoreError) -> BillingMandateRecord {
        let key = try requireAuditKey()
        let userID = try StoreRules.mandateAcceptance(
            organisationID: organisationID, wordingVersion: wordingVersion, contestDays: contestDays, actor: actor)
        return try await transaction { connection in
            let organisation = try await lockedPartner(organisationID, on: connection)
            if let current = try await mandates(where: #""organisationID" = \#(organisationID) AND "withdrawnAt" IS NULL"#, on: connection).first {
                guard current.contestDays == contestDays, current.wordingVersion == wordingVersion else {
                    throw StoreError.billingMandateInForce(reference: current.id, contestDays: current.contestDays)
                }
                return current
            }
            let record = BillingMandateRecord(
                accepting: organisation, contestDays: contestDays, userID: userID, broker: try await brokerIdentity(on: connection), now: now)
            try await connection.query(
                #"""
                INSERT INTO "billing_mandate" ("id", "organisationID", "wordingVersion", "scope", "contestDays", "wording", "acceptedAt",
                    "acceptedByUserID")
                VALUES (\#(record.id), \#(record.organisationID), \#(record.wordingVersion), \#(record.scope), \#(record.contestDays),
                    \#(record.wording), \#(Timestamp.seconds(record.acceptedAt)), \#(record.acceptedByUserID))
                """#, logger: logger)
            try await PostgresAuditTrail.append(.mandateAccepted(record, by: actor), key: key, now: now, on: connection, logger: logger)
            return record
        }
    }

    /// A firm's user withdraws its billing mandate: no invoice is issued in its name from then on, and its approved deals
    /// cannot be released until it accepts one again. Refused while one of its deals is released and being invoiced.
    package func withdrawMandate(organisationID: String, reason: String?, actor: AuditActor, now: Date) async throws(StoreError)
        -> BillingMandateRecord
    {
        let key = try requireAuditKey()
        let userID = try StoreRules.mandateWithdrawal(organisationID: organisationID, actor: actor)
        return try await transaction { connection in
            _ = try await lockedPartner(organisationID, on: connection)
            let inForce = try await mandates(where: #""organisationID" = \#(organisationID) AND "withdrawnAt" IS NULL"#, on: connection).first
            guard var record = inForce else { throw StoreError.billingMandateNotInForce(organisationID: organisationID) }
            let invoicing = try await connection.query(
                #"""
                SELECT "id" FROM "deal" WHERE "state" = 'released' AND (\#(organisationID) IN ("proposerID", "partnerID")) ORDER BY "id" COLLATE "C"
                """#, logger: logger
            ).collect().map { try $0.decode(String.self) }
            guard invoicing.isEmpty else { throw StoreError.billingMandateInUse(reference: record.id, dealIDs: invoicing) }
            record.withdraw(by: userID, reason: reason, now: now)
            try await connection.query(
                #"""
                UPDATE "billing_mandate" SET "withdrawnAt" = \#(record.withdrawnAt.map(Timestamp.seconds)), "withdrawnByUserID" = \#(userID),
                    "withdrawalReason" = \#(record.withdrawalReason)
                WHERE "id" = \#(record.id) AND "withdrawnAt" IS NULL
                """#, logger: logger)
            try await PostgresAuditTrail.append(
                .mandateWithdrawn(record, by: actor, reason: reason), key: key, now: now, on: connection, logger: logger)
            return record
        }
    }

    /// Every mandate the firm gave, the latest first.
    package func mandates(organisationID: String) async throws(StoreError) -> [BillingMandateRecord] {
        try await withConnection { connection in
            try await mandates(where: #""organisationID" = \#(organisationID) ORDER BY "acceptedAt" DESC, "id" COLLATE "C""#, on: connection)
        }
    }

    /// The firm's mandate in force, or nil.
    package func mandateInForce(organisationID: String) async throws(StoreError) -> BillingMandateRecord? {
        try await withConnection { connection in
            try await mandates(where: #""organisationID" = \#(organisationID) AND "withdrawnAt" IS NULL"#, on: connection).first
        }
    }

    /// Refuses, naming the firms, when a party of deal `dealID` has no billing mandate in force.
    package func checkMandates(dealID: String) async throws(StoreError) {
        try await withConnection { connection in
            let rows = try await connection.query(
                #"""
                SELECT "organisation"."name", EXISTS (
                    SELECT 1 FROM "billing_mandate" WHERE "organisationID" = "organisation"."id" AND "withdrawnAt" IS NULL)
                FROM "deal" JOIN "organisation" ON "organisation"."id" IN ("deal"."proposerID", "deal"."partnerID")
                WHERE "deal"."id" = \#(dealID)
                ORDER BY ("organisation"."id" = "deal"."partnerID")
                """#, logger: logger
            ).collect()
            guard !rows.isEmpty else { throw StoreError.dealNotFound(id: dealID) }
            let missing = try rows.map { try $0.decode((String, Bool).self) }.filter { !$0.1 }.map(\.0)
            guard missing.isEmpty else { throw StoreError.billingMandateMissing(dealID: dealID, firms: missing) }
        }
    }

    /// The legal name and SIREN the mandate names the broker by: its invoicing identity, else its organisation.
    package func brokerIdentity() async throws(StoreError) -> (name: String, siren: String) {
        try await withConnection { connection in try await brokerIdentity(on: connection) }
    }

    /// The broker's identity read on `connection`.
    private func brokerIdentity(on connection: PostgresConnection) async throws -> (name: String, siren: String) {
        try StoreRules.brokerIdentity(
            settings: try await settingsRow(on: connection, locking: false).settings, broker: try await brokerOrganisation(on: connection))
    }

    /// The partner firm `id`, its row locked for the transaction.
    private func lockedPartner(_ id: String, on connection: PostgresConnection) async throws -> OrganisationRecord {
        try StoreRules.partner(try await organisation(where: #""id" = \#(id) FOR UPDATE"#, on: connection), id: id)
    }

    /// The firm's VAT status read on `connection`.
    func vatStatus(organisationID: String, on connection: PostgresConnection) async throws -> VATStatusRecord? {
        let query: PostgresQuery = #"SELECT * FROM "organisation_vat_status" WHERE "organisationID" = \#(organisationID)"#
        for try await row in try await connection.query(query, logger: logger) {
            let columns = PostgresColumns(row)
            return VATStatusRecord(
                organisationID: try columns.value("organisationID"), regime: try columns.raw("regime"), vatNumber: try columns.value("vatNumber"),
                territory: try columns.value("territory"), vatNumberCheckedAt: try columns.optionalDate("vatNumberCheckedAt"),
                vatNumberCheckMethod: try columns.value("vatNumberCheckMethod", as: String?.self).flatMap(VATNumberCheckMethod.init(rawValue:)),
                updatedAt: try columns.date("updatedAt"))
        }
        return nil
    }

    /// The firm's account read on `connection`.
    func bankAccount(organisationID: String, on connection: PostgresConnection) async throws -> BankAccountRecord? {
        let query: PostgresQuery = #"SELECT * FROM "organisation_bank_account" WHERE "organisationID" = \#(organisationID)"#
        for try await row in try await connection.query(query, logger: logger) {
            let columns = PostgresColumns(row)
            return BankAccountRecord(
                organisationID: try columns.value("organisationID"), iban: try columns.value("iban"), bic: try columns.value("bic"),
                updatedAt: try columns.date("updatedAt"))
        }
        return nil
    }

    /// The mandates `condition` selects, in its order.
    private func mandates(where condition: PostgresQuery, on connection: PostgresConnection) async throws -> [BillingMandateRecord] {
        var query: PostgresQuery = #"SELECT * FROM "billing_mandate" WHERE "#
        query.sql += condition.sql
        query.binds = condition.binds
        var mandates: [BillingMandateRecord] = []
        for try await row in try await connection.query(query, logger: logger) {
            let columns = PostgresColumns(row)
            mandates.append(
                BillingMandateRecord(
                    id: try columns.value("id"), organisationID: try columns.value("organisationID"),
                    wordingVersion: try columns.value("wordingVersion"),
                    scope: try columns.value("scope"), contestDays: try columns.value("contestDays"), wording: try columns.value("wording"),
                    acceptedAt: try columns.date("acceptedAt"), acceptedByUserID: try columns.value("acceptedByUserID"),
                    withdrawnAt: try columns.optionalDate("withdrawnAt"), withdrawnByUserID: try columns.value("withdrawnByUserID"),
                    withdrawalReason: try columns.value("withdrawalReason")))
        }
        return mandates
    }
}
