import Foundation
import GRDB

extension AppDatabase {
    /// The minimum file size a deal needs to match, the partner's view of each ingestion report, the privacy budget
    /// each report spends between two firms, and why a deal with both files in did not match.
    static func createTrustPrivacy(_ db: Database) throws {
        func refuse(_ name: String, _ event: String, on table: String, when condition: String, _ message: String) throws {
            try db.execute(
                sql: """
                    CREATE TRIGGER \(name) BEFORE \(event) ON \(table) WHEN \(condition)
                    BEGIN SELECT RAISE(ABORT, '\(message.replacingOccurrences(of: "'", with: "''"))'); END
                    """)
        }
        func isParty(_ column: String) -> String {
            "\(column) IN (SELECT proposerID FROM deal WHERE id = NEW.dealID UNION ALL SELECT partnerID FROM deal WHERE id = NEW.dealID)"
        }

        try db.alter(table: "broker_settings") { t in
            // NULL means the default (500).
            t.add(column: "minimumExchangeable", .integer).check(sql: "minimumExchangeable BETWEEN 1 AND 1000000")
        }
        try db.alter(table: "broker_settings") { t in
            // NULL means the default (2).
            t.add(column: "privacyReportsPerPair", .integer).check(sql: "privacyReportsPerPair BETWEEN 1 AND 12")
        }
        try db.alter(table: "file") { t in
            // NULL for files stored before partners got a report of their own.
            t.add(column: "partnerReport", .text).check(sql: "partnerReport IS NULL OR json_valid(partnerReport)")
        }

        // Append-only: what was released stays spent, whatever happens to the deal afterwards.
        try db.create(table: "privacy_spend") { t in
            t.column("dealID", .text).notNull().references("deal")
            // Whose file the report described, and who was shown it.
            t.column("organisationID", .text).notNull().references("organisation")
            t.column("counterpartID", .text).notNull().references("organisation")
            t.column("milliEpsilon", .integer).notNull().check(sql: "typeof(milliEpsilon) = 'integer' AND milliEpsilon BETWEEN 1 AND 100000")
            t.column("spentAt", .integer).notNull()
            // The end of the deal's retention window, when the spend stops counting.
            t.column("countsUntil", .integer).notNull()
            t.primaryKey(["dealID", "organisationID"])
            t.check(sql: "typeof(spentAt) = 'integer' AND typeof(countsUntil) = 'integer' AND countsUntil > spentAt")
            t.check(sql: "organisationID != counterpartID")
        }
        try db.create(index: "privacy_spend_pair", on: "privacy_spend", columns: ["organisationID", "counterpartID", "countsUntil"])
        try refuse(
            "privacy_spend_between_parties", "INSERT", on: "privacy_spend",
            when: "NOT (\(isParty("NEW.organisationID"))) OR NOT (\(isParty("NEW.counterpartID")))",
            "privacy is spent between the two parties of a deal")
        try refuse("privacy_spend_append_only_update", "UPDATE", on: "privacy_spend", when: "1", "the privacy budget spent is append-only")
        try refuse("privacy_spend_append_only_delete", "DELETE", on: "privacy_spend", when: "1", "the privacy budget spent is append-only")

        try db.create(table: "deal_match_hold") { t in
            t.primaryKey("dealID", .text).references("deal")
            t.column("reason", .text).notNull().check(sql: "reason IN ('file-too-small', 'privacy-budget')")
            // The parties whose file is under the minimum.
            t.column("organisationIDs", .text).notNull()
                .check(sql: "json_valid(organisationIDs) AND json_type(organisationIDs) = 'array'")
            t.column("minimumExchangeable", .integer).check(sql: "minimumExchangeable IS NULL OR minimumExchangeable >= 1")
            t.column("availableFrom", .integer)
            t.column("heldAt", .integer).notNull().check(sql: "typeof(heldAt) = 'integer'")
            t.check(sql: "(reason = 'file-too-small') = (minimumExchangeable IS NOT NULL AND json_array_length(organisationIDs) > 0)")
            t.check(sql: "(reason = 'privacy-budget') = (availableFrom IS NOT NULL)")
        }
        try refuse(
            "deal_match_hold_awaiting_files", "INSERT", on: "deal_match_hold",
            when: "(SELECT state FROM deal WHERE id = NEW.dealID) IS NOT 'awaiting-files'", "only a deal awaiting files waits for a match")
    }
}
