import Foundation
import GRDB

extension AppDatabase {
    /// Issued invoices and credit notes, their numbering series, and the settlement statement of each invoiced deal.
    static func createInvoices(_ db: Database) throws {
        func refuse(_ name: String, _ event: String, on table: String, when condition: String, _ message: String) throws {
            try db.execute(
                sql: """
                    CREATE TRIGGER \(name) BEFORE \(event) ON \(table) WHEN \(condition)
                    BEGIN SELECT RAISE(ABORT, '\(message.replacingOccurrences(of: "'", with: "''"))'); END
                    """)
        }
        // Civil dates are ISO 8601 text: readable by an accountant with sqlite3, ordered as text, checked by date().
        func civilDate(_ column: String) -> String { "date(\(column)) IS \(column)" }

        try db.create(table: "invoice_series") { t in
            t.primaryKey("seriesPrefix", .text).check(sql: "length(seriesPrefix) BETWEEN 1 AND 23 AND seriesPrefix NOT GLOB '*[^A-Z0-9]*'")
            t.column("issuerID", .text).notNull().check(sql: "length(issuerID) > 0")
            t.column("year", .integer).notNull().check(sql: "year BETWEEN 1000 AND 9999")
            t.column("lastSequence", .integer).notNull().check(sql: "lastSequence BETWEEN 1 AND 999999")
            t.column("lastIssueDate", .text).notNull().check(sql: civilDate("lastIssueDate"))
            t.check(sql: "CAST(substr(lastIssueDate, 1, 4) AS INTEGER) = year")
        }
        try refuse(
            "invoice_series_issuer_fixed", "UPDATE OF issuerID", on: "invoice_series", when: "NEW.issuerID IS NOT OLD.issuerID",
            "a numbering series belongs to one issuer")
        try refuse("invoice_series_kept", "DELETE", on: "invoice_series", when: "1", "a numbering series is never removed")

        try db.create(table: "invoice") { t in
            t.primaryKey("number", .text)
            t.column("seriesPrefix", .text).notNull()
            t.column("issuerID", .text).notNull()
            t.column("year", .integer).notNull()
            t.column("sequence", .integer).notNull().check(sql: "sequence BETWEEN 1 AND 999999")
            t.column("kind", .text).notNull().check(sql: "kind IN ('invoice', 'credit-note')")
            t.column("purpose", .text).notNull().check(sql: "purpose IN ('exchange', 'commission')")
            t.column("dealID", .text).indexed().references("deal")
            // The broker is not a partner organisation row: NULL names it, as the seller of its commission invoices.
            t.column("sellerID", .text).indexed().references("organisation")
            t.column("buyerID", .text).indexed().references("organisation")
            t.column("issueDate", .text).notNull().indexed().check(sql: civilDate("issueDate"))
            t.column("netCents", .integer).notNull().check(sql: "typeof(netCents) = 'integer' AND netCents >= 0")
            t.column("vatCents", .integer).notNull().check(sql: "typeof(vatCents) = 'integer' AND vatCents >= 0")
            t.column("grossCents", .integer).notNull().check(sql: "grossCents = netCents + vatCents")
            t.column("document", .text).notNull().check(sql: "json_valid(document) AND json_extract(document, '$.number') IS number")
            t.column("creditsNumber", .text).unique().references("invoice")
            t.column("createdAt", .integer).notNull().check(sql: "typeof(createdAt) = 'integer'")
            t.uniqueKey(["seriesPrefix", "year", "sequence"])
            t.check(sql: "number = seriesPrefix || year || '-' || printf('%06d', sequence)")
            t.check(sql: "CAST(substr(issueDate, 1, 4) AS INTEGER) = year")
            t.check(sql: "(kind = 'credit-note') = (creditsNumber IS NOT NULL)")
            t.check(
                sql: """
                    (purpose = 'commission' AND sellerID IS NULL AND buyerID IS NOT NULL)
                    OR (purpose = 'exchange' AND sellerID IS NOT NULL AND buyerID IS NOT NULL AND sellerID != buyerID)
                    """)
        }
        try refuse("invoice_immutable_update", "UPDATE", on: "invoice", when: "1", "an issued invoice is immutable; correct it with a credit note")
        try refuse(
            "invoice_immutable_delete", "DELETE", on: "invoice", when: "1", "an issued invoice is never deleted; correct it with a credit note")
        try refuse(
            "invoice_numbers_without_gaps", "INSERT", on: "invoice",
            when:
                "NEW.sequence IS NOT (SELECT COALESCE(max(sequence), 0) + 1 FROM invoice WHERE seriesPrefix = NEW.seriesPrefix AND year = NEW.year)",
            "an invoice takes the number right after the last of its series and year")
        try refuse(
            "invoice_numbers_chronological", "INSERT", on: "invoice",
            when: "NEW.issueDate < (SELECT max(issueDate) FROM invoice WHERE seriesPrefix = NEW.seriesPrefix)",
            "an invoice cannot be dated before the last invoice of its series")
        try refuse(
            "invoice_series_one_issuer", "INSERT", on: "invoice",
            when: "EXISTS (SELECT 1 FROM invoice WHERE seriesPrefix = NEW.seriesPrefix AND issuerID IS NOT NEW.issuerID)",
            "a numbering series belongs to one issuer")
        try refuse(
            "credit_note_of_an_invoice", "INSERT", on: "invoice",
            when: """
                NEW.creditsNumber IS NOT NULL AND (
                    (SELECT kind FROM invoice WHERE number = NEW.creditsNumber) IS NOT 'invoice'
                    OR (SELECT seriesPrefix FROM invoice WHERE number = NEW.creditsNumber) IS NOT NEW.seriesPrefix)
                """, "a credit note credits an invoice (not a credit note) and takes its number in that invoice's series")

        try db.create(table: "settlement") { t in
            t.primaryKey("dealID", .text).references("deal")
            t.column("statement", .text).notNull().check(sql: "json_valid(statement)")
            t.column("createdAt", .integer).notNull().check(sql: "typeof(createdAt) = 'integer'")
        }
        try refuse("settlement_immutable_update", "UPDATE", on: "settlement", when: "1", "a settlement statement is immutable")
        try refuse("settlement_immutable_delete", "DELETE", on: "settlement", when: "1", "a settlement statement is never deleted")
    }
}
