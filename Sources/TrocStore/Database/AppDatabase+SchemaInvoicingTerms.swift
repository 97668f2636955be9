import Foundation
import GRDB

extension AppDatabase {
    /// Each firm's VAT status and bank account, billing mandates, the terms frozen when a deal is agreed, the payments the
    /// broker records when it collects for the sellers, and the settings that choose how money flows and when the
    /// financial year starts.
    static func createInvoicingTerms(_ db: Database) throws {
        // Frozen copies of the shapes and value lists this migration checks, so it means the same thing forever.
        func idShape(_ column: String, _ prefix: String) -> String {
            "\(column) GLOB '\(prefix)\(String(repeating: "[a-z2-7]", count: 16))'"
        }
        func refuse(_ name: String, _ event: String, on table: String, when condition: String, _ message: String) throws {
            try db.execute(
                sql: """
                    CREATE TRIGGER \(name) BEFORE \(event) ON \(table) WHEN \(condition)
                    BEGIN SELECT RAISE(ABORT, '\(message.replacingOccurrences(of: "'", with: "''"))'); END
                    """)
        }
        let overseas = "('GP', 'MQ', 'GF', 'RE', 'YT')"
        let overseasWithVAT = "('GP', 'MQ', 'RE')"

        try db.create(table: "organisation_vat_status") { t in
            t.primaryKey("organisationID", .text).references("organisation")
            t.column("regime", .text).notNull().check(sql: "regime IN ('registered', 'franchise', 'overseas')")
            t.column("vatNumber", .text).check(sql: "vatNumber IS NULL OR vatNumber GLOB '[A-Z][A-Z]?*'")
            t.column("territory", .text).notNull().check(sql: "territory GLOB '[A-Z][A-Z]'")
            t.column("vatNumberCheckedAt", .integer)
            t.column("vatNumberCheckMethod", .text)
                .check(sql: "vatNumberCheckMethod IS NULL OR vatNumberCheckMethod IN ('syntax-and-key', 'syntax-and-checksum', 'syntax')")
            t.column("updatedAt", .integer).notNull().check(sql: "typeof(updatedAt) = 'integer'")
            // Troc never derives a VAT number: a franchise has none, a VAT-registered firm its own.
            t.check(sql: "regime != 'franchise' OR vatNumber IS NULL")
            t.check(sql: "regime != 'registered' OR vatNumber IS NOT NULL")
            t.check(sql: "(regime = 'overseas') = (territory IN \(overseas))")
            t.check(sql: "territory NOT IN \(overseasWithVAT) OR vatNumber IS NOT NULL")
            t.check(sql: "(vatNumber IS NULL) = (vatNumberCheckedAt IS NULL) AND (vatNumber IS NULL) = (vatNumberCheckMethod IS NULL)")
        }

        try db.create(table: "organisation_bank_account") { t in
            t.primaryKey("organisationID", .text).references("organisation")
            t.column("iban", .text).notNull().check(sql: "length(iban) BETWEEN 15 AND 34 AND iban NOT GLOB '*[^A-Z0-9]*'")
            t.column("bic", .text).notNull().check(sql: "length(bic) IN (8, 11) AND bic NOT GLOB '*[^A-Z0-9]*'")
            t.column("updatedAt", .integer).notNull().check(sql: "typeof(updatedAt) = 'integer'")
        }

        try db.create(table: "billing_mandate") { t in
            t.primaryKey("id", .text).check(sql: idShape("id", "mdt_"))
            t.column("organisationID", .text).notNull().indexed().references("organisation")
            t.column("wordingVersion", .text).notNull().check(sql: "length(wordingVersion) > 0")
            t.column("scope", .text).notNull().check(sql: "length(scope) > 0")
            t.column("contestDays", .integer).notNull().check(sql: "contestDays BETWEEN 1 AND 90")
            t.column("wording", .text).notNull().check(sql: "length(wording) > 0")
            t.column("acceptedAt", .integer).notNull().check(sql: "typeof(acceptedAt) = 'integer'")
            t.column("acceptedByUserID", .text).notNull().references("user")
            t.column("withdrawnAt", .integer)
            t.column("withdrawnByUserID", .text).references("user")
            t.column("withdrawalReason", .text)
            t.check(sql: "(withdrawnAt IS NULL) = (withdrawnByUserID IS NULL)")
            t.check(sql: "withdrawnAt IS NULL OR (typeof(withdrawnAt) = 'integer' AND withdrawnAt >= acceptedAt)")
            t.check(sql: "withdrawnAt IS NOT NULL OR withdrawalReason IS NULL")
        }
        try db.create(
            index: "billing_mandate_one_in_force", on: "billing_mandate", columns: ["organisationID"], unique: true,
            condition: Column("withdrawnAt") == nil)
        // A mandate is the firm's own act: accepted by one of its users, for it alone.
        try refuse(
            "billing_mandate_accepted_by_the_firm", "INSERT", on: "billing_mandate",
            when: """
                (SELECT organisationID FROM user WHERE id = NEW.acceptedByUserID) IS NOT NEW.organisationID
                OR (SELECT role FROM user WHERE id = NEW.acceptedByUserID) IS NOT 'partner'
                """, "a billing mandate is accepted by a partner user of the firm that gives it")
        try refuse(
            "billing_mandate_withdrawn_once", "UPDATE", on: "billing_mandate",
            when: """
                OLD.withdrawnAt IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.organisationID IS NOT OLD.organisationID
                OR NEW.wordingVersion IS NOT OLD.wordingVersion OR NEW.scope IS NOT OLD.scope OR NEW.contestDays IS NOT OLD.contestDays
                OR NEW.wording IS NOT OLD.wording OR NEW.acceptedAt IS NOT OLD.acceptedAt OR NEW.acceptedByUserID IS NOT OLD.acceptedByUserID
                """, "a billing mandate never changes once accepted; it can only be withdrawn, once")
        try refuse(
            "billing_mandate_withdrawn_by_the_firm", "UPDATE OF withdrawnByUserID", on: "billing_mandate",
            when: "(SELECT organisationID FROM user WHERE id = NEW.withdrawnByUserID) IS NOT NEW.organisationID",
            "a billing mandate is withdrawn by a user of the firm that gave it")
        try refuse("billing_mandate_kept", "DELETE", on: "billing_mandate", when: "1", "a billing mandate is never deleted, only withdrawn")

        try db.create(table: "deal_terms") { t in
            t.primaryKey("dealID", .text).references("deal")
            t.column("terms", .text).notNull().check(sql: "json_valid(terms) AND json_type(terms) = 'object'")
            t.column("agreedOn", .text).notNull().check(sql: "date(agreedOn) IS agreedOn")
            t.column("createdAt", .integer).notNull().check(sql: "typeof(createdAt) = 'integer'")
            t.check(sql: "json_extract(terms, '$.agreedOn') IS agreedOn")
        }
        try refuse("deal_terms_immutable_update", "UPDATE", on: "deal_terms", when: "1", "a deal's agreed terms never change")
        try refuse("deal_terms_immutable_delete", "DELETE", on: "deal_terms", when: "1", "a deal's agreed terms are never deleted")

        try db.create(table: "settlement_payment") { t in
            t.primaryKey("id", .text).check(sql: idShape("id", "pay_"))
            t.column("dealID", .text).notNull().indexed().references("settlement", column: "dealID")
            t.column("direction", .text).notNull().check(sql: "direction IN ('received', 'paid-out')")
            t.column("counterpartyID", .text).notNull().references("organisation")
            t.column("amountCents", .integer).notNull().check(sql: "typeof(amountCents) = 'integer' AND amountCents > 0")
            t.column("paidOn", .text).notNull().check(sql: "date(paidOn) IS paidOn")
            t.column("reference", .text).notNull().check(sql: "length(trim(reference)) BETWEEN 1 AND 140")
            t.column("recordedAt", .integer).notNull().check(sql: "typeof(recordedAt) = 'integer'")
            t.column("recordedByUserID", .text).references("user")
        }
        try refuse("settlement_payment_immutable_update", "UPDATE", on: "settlement_payment", when: "1", "a recorded payment never changes")
        try refuse("settlement_payment_immutable_delete", "DELETE", on: "settlement_payment", when: "1", "a recorded payment is never deleted")

        // NULL means the default: each firm pays the other directly; the financial year is the calendar year.
        try db.alter(table: "broker_settings") { t in
            t.add(column: "collectionByBroker", .boolean).check(sql: "collectionByBroker IS NULL OR collectionByBroker IN (0, 1)")
            t.add(column: "financialYearStartMonth", .integer).check(
                sql: "financialYearStartMonth IS NULL OR financialYearStartMonth BETWEEN 1 AND 12")
            t.add(column: "financialYearStartDay", .integer)
                .check(
                    sql: """
                        (financialYearStartDay IS NULL) = (financialYearStartMonth IS NULL)
                        AND (financialYearStartDay IS NULL OR financialYearStartDay BETWEEN 1 AND 31)
                        """)
        }
    }
}
