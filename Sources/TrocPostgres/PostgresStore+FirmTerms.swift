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
        try await select("organisation_vat_status", where: #""organisationID" = \#(organisationID)"#, on: connection) { columns throws(StoreError) in
            try columns.vatStatus()
        }.first
    }

    /// The firm's account read on `connection`.
    func bankAccount(organisationID: String, on connection: PostgresConnection) async throws -> BankAccountRecord? {
        try await select("organisation_bank_account", where: #""organisationID" = \#(organisationID)"#, on: connection) {
            columns throws(StoreError) in
            try columns.bankAccount()
        }.first
    }

    /// The mandates `condition` selects, in its order.
    func mandates(where condition: PostgresQuery, on connection: PostgresConnection) async throws -> [BillingMandateRecord] {
        try await select("billing_mandate", where: condition, on: connection) { columns throws(StoreError) in try columns.mandate() }
    }
}
