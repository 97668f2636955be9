import Foundation
import GRDB
import TrocCore

extension AppDatabase {
    /// `v5-lawful-records`: NAF codes with their nomenclature, the statutory renovation / home-adaptation list, the
    /// retention settings, and what erasure needs (the recipients of each delivered contact, the notices to them).
    static func createLawfulRecords(_ db: Database) throws {
        // Frozen copies of the shapes and value lists this migration checks, so it means the same thing forever.
        func idShape(_ column: String, _ prefix: String) -> String {
            "\(column) GLOB '\(prefix)\(String(repeating: "[a-z2-7]", count: 16))'"
        }
        func integers(_ columns: String...) -> String { columns.map { "typeof(\($0)) = 'integer'" }.joined(separator: " AND ") }
        func refuse(_ name: String, _ event: String, on table: String, when condition: String, _ message: String) throws {
            try db.execute(
                sql: """
                    CREATE TRIGGER \(name) BEFORE \(event) ON \(table) WHEN \(condition)
                    BEGIN SELECT RAISE(ABORT, '\(message.replacingOccurrences(of: "'", with: "''"))'); END
                    """)
        }
        // The suffix letter tells the nomenclatures apart: rév. 2 ends in A–F or Z, NAF 2025 in Y or G–L.
        func fitsNomenclature(code: String, nomenclature: String) -> String {
            """
            ((\(nomenclature) = 'rev2' AND substr(\(code), 6, 1) IN ('A', 'B', 'C', 'D', 'E', 'F', 'Z'))
            OR (\(nomenclature) = 'naf2025' AND substr(\(code), 6, 1) IN ('G', 'H', 'J', 'K', 'L', 'Y')))
            """
        }
        let nafShape = "GLOB '[0-9][0-9].[0-9][0-9][A-Z]'"

        // Every firm registered so far holds a rév. 2 code.
        try db.execute(
            sql: """
                ALTER TABLE organisation ADD COLUMN nafNomenclature TEXT NOT NULL DEFAULT 'rev2'
                CHECK (nafNomenclature IN ('rev2', 'naf2025'))
                """)
        for (event, name) in [("INSERT", "organisation_naf_fits_insert"), ("UPDATE OF nafCode, nafNomenclature", "organisation_naf_fits_update")] {
            try refuse(
                name, event, on: "organisation", when: "NOT \(fitsNomenclature(code: "NEW.nafCode", nomenclature: "NEW.nafNomenclature"))",
                "an organisation's NAF code belongs to its nomenclature (rév. 2 codes end in A-F or Z, NAF 2025 codes in G-L or Y)")
        }

        try db.create(table: "renovation_sector", options: .withoutRowID) { t in
            t.column("nomenclature", .text).notNull().check(sql: "nomenclature IN ('rev2', 'naf2025')")
            t.column("code", .text).notNull().check(sql: "code \(nafShape)")
            t.column("ground", .text).notNull().check(sql: "ground IN ('energy-renovation', 'home-adaptation')")
            t.primaryKey(["nomenclature", "code"])
            t.check(sql: fitsNomenclature(code: "code", nomenclature: "nomenclature"))
        }
        // The list starts as the one this build embeds; from then on it is the broker's, edited through the store.
        for sector in ReferenceData.embedded.renovation.sorted() {
            try db.execute(
                sql: "INSERT INTO renovation_sector (nomenclature, code, ground) VALUES (?, ?, ?)",
                arguments: [sector.nomenclature.rawValue, sector.code, sector.ground.rawValue])
        }

        // Retention of stored files, apart from the contacts' freshness window: NULL means the default.
        try db.execute(sql: "ALTER TABLE broker_settings ADD COLUMN disputeWindowDays INTEGER CHECK (disputeWindowDays BETWEEN 1 AND 90)")
        try db.execute(sql: "ALTER TABLE broker_settings ADD COLUMN unattachedFileDays INTEGER CHECK (unattachedFileDays BETWEEN 1 AND 90)")

        // When the recipient first claimed a download: from then on it holds the contacts, and an erasure notifies it.
        try db.execute(
            sql:
                "ALTER TABLE delivery ADD COLUMN firstDownloadedAt INTEGER CHECK (firstDownloadedAt IS NULL OR typeof(firstDownloadedAt) = 'integer')"
        )
        try refuse(
            "delivery_first_download_kept", "UPDATE OF firstDownloadedAt", on: "delivery",
            when: "OLD.firstDownloadedAt IS NOT NULL AND NEW.firstDownloadedAt IS NOT OLD.firstDownloadedAt",
            "a delivery's first download is recorded once")

        // Who received whom (GDPR art. 19): the keyed hash, under a broker-wide key of its own, of every email, phone and
        // SIRET each delivery carried. Kept until the deal closes, so an erasure can reach recipients after the file is gone.
        try db.create(table: "delivery_contact", options: .withoutRowID) { t in
            t.column("deliveryID", .text).notNull().references("delivery", onDelete: .cascade)
            t.column("kind", .text).notNull().check(sql: "kind IN ('email', 'phone', 'siret')")
            t.column("key", .blob).notNull().check(sql: "length(key) = 16")
            t.primaryKey(["deliveryID", "kind", "key"])
        }
        try db.create(index: "delivery_contact_key", on: "delivery_contact", columns: ["kind", "key"])

        try db.execute(sql: "ALTER TABLE erasure ADD COLUMN deliveriesRewritten INTEGER NOT NULL DEFAULT 0 CHECK (deliveriesRewritten >= 0)")
        try db.execute(sql: "ALTER TABLE erasure ADD COLUMN noticesRecorded INTEGER NOT NULL DEFAULT 0 CHECK (noticesRecorded >= 0)")

        // An erasure's notice to a firm that already received the person: what it needs to find them, sealed to its key
        // (the broker cannot read it back), dropped once the firm acknowledges.
        try db.create(table: "notice") { t in
            t.primaryKey("id", .text).check(sql: idShape("id", "ntc_"))
            t.column("erasureID", .text).notNull().indexed().references("erasure")
            t.column("organisationID", .text).notNull().indexed().references("organisation")
            t.column("dealID", .text).notNull().references("deal")
            t.column("deliveryID", .text).notNull().references("delivery")
            t.column("createdAt", .integer).notNull()
            t.column("sealed", .blob)
            t.column("keyFingerprint", .text).notNull().check(sql: "length(keyFingerprint) > 0")
            t.column("acknowledgedAt", .integer)
            t.column("acknowledgedBy", .text).references("user")
            t.uniqueKey(["erasureID", "deliveryID"])
            t.check(sql: integers("createdAt"))
            t.check(sql: "acknowledgedAt IS NULL OR (typeof(acknowledgedAt) = 'integer' AND acknowledgedAt >= createdAt)")
            t.check(sql: "(acknowledgedAt IS NULL) = (acknowledgedBy IS NULL)")
            t.check(sql: "(sealed IS NULL) = (acknowledgedAt IS NOT NULL)")
        }
        try refuse(
            "notice_to_recipient", "INSERT", on: "notice",
            when: """
                NOT EXISTS (SELECT 1 FROM delivery WHERE id = NEW.deliveryID AND dealID = NEW.dealID AND recipientID = NEW.organisationID
                AND firstDownloadedAt IS NOT NULL)
                """, "a notice goes to the recipient of a delivery it downloaded")
        try refuse(
            "notice_acknowledged_once", "UPDATE", on: "notice",
            when: """
                OLD.acknowledgedAt IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.erasureID IS NOT OLD.erasureID
                OR NEW.organisationID IS NOT OLD.organisationID OR NEW.dealID IS NOT OLD.dealID OR NEW.deliveryID IS NOT OLD.deliveryID
                OR NEW.createdAt IS NOT OLD.createdAt OR NEW.keyFingerprint IS NOT OLD.keyFingerprint
                """, "a notice changes only when its recipient acknowledges it, once")
        try refuse("notice_kept", "DELETE", on: "notice", when: "1", "notices are kept as the record of art. 19 communications")
    }
}
