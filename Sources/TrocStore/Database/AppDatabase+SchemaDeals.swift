import Foundation
import GRDB
import TrocCore

extension AppDatabase {
    /// The audit trail, deals and their parties, files and deliveries, the suppression list, erasures, the editable
    /// sector tables and the broker settings.
    static func createDealsAndAudit(_ db: Database) throws {
        // Frozen copies of the shapes and value lists this migration checks, so it means the same thing forever;
        // SchemaDealsTests compares them with TrocCore's enums, so a new state or transition calls for a new migration.
        func idShape(_ column: String, _ prefix: String) -> String {
            "\(column) GLOB '\(prefix)\(String(repeating: "[a-z2-7]", count: 16))'"
        }
        func optionalID(_ column: String, _ prefix: String) -> String { "\(column) IS NULL OR \(idShape(column, prefix))" }
        func integers(_ columns: String...) -> String { columns.map { "typeof(\($0)) = 'integer'" }.joined(separator: " AND ") }
        func list(_ values: [String]) -> String { "(" + values.map { "'\($0)'" }.joined(separator: ", ") + ")" }
        let nafShape = "GLOB '[0-9][0-9].[0-9][0-9][A-Z]'"
        let states = [
            "proposed", "awaiting-files", "matched", "accepted", "approved", "released", "invoiced", "closed", "rejected", "cancelled", "expired",
        ]
        let moves = [
            "proposed>awaiting-files", "awaiting-files>matched", "matched>accepted", "matched>cancelled", "accepted>approved", "accepted>rejected",
            "approved>released", "released>invoiced", "invoiced>closed", "proposed>cancelled", "awaiting-files>cancelled", "accepted>cancelled",
            "proposed>expired", "awaiting-files>expired", "matched>expired", "accepted>expired", "approved>expired",
        ]
        func refuse(_ name: String, _ event: String, on table: String, when condition: String, _ message: String) throws {
            try db.execute(
                sql: """
                    CREATE TRIGGER \(name) BEFORE \(event) ON \(table) WHEN \(condition)
                    BEGIN SELECT RAISE(ABORT, '\(message.replacingOccurrences(of: "'", with: "''"))'); END
                    """)
        }

        try db.create(table: "audit") { t in
            t.primaryKey("seq", .integer).check(sql: "seq >= 1")
            t.column("at", .integer).notNull()
            t.column("actorUserID", .text).check(sql: optionalID("actorUserID", "usr_"))
            t.column("actorRole", .text).check(sql: "actorRole IS NULL OR actorRole IN ('partner', 'operator', 'accountant')")
            t.column("organisationID", .text).check(sql: optionalID("organisationID", "org_"))
            t.column("dealID", .text).indexed().check(sql: optionalID("dealID", "del_"))
            t.column("action", .text).notNull().check(sql: "action GLOB '[a-z]*.[a-z]*' AND action NOT GLOB '*[^a-z.-]*'")
            t.column("detail", .text).notNull().check(sql: "json_valid(detail) AND json_type(detail) = 'object'")
            t.column("reason", .text)
            t.column("previous", .blob).notNull().check(sql: "length(previous) = 32")
            t.column("mac", .blob).notNull().check(sql: "length(mac) = 32")
            t.check(sql: integers("at"))
            t.check(sql: "(actorUserID IS NULL) = (actorRole IS NULL)")
        }
        try refuse("audit_append_only_update", "UPDATE", on: "audit", when: "1", "the audit trail is append-only")
        try refuse("audit_append_only_delete", "DELETE", on: "audit", when: "1", "the audit trail is append-only")
        try db.create(table: "audit_head") { t in
            t.primaryKey("id", .integer).check(sql: "id = 1")
            t.column("count", .integer).notNull().check(sql: "typeof(count) = 'integer' AND count >= 1")
            t.column("lastMAC", .blob).notNull().check(sql: "length(lastMAC) = 32")
            t.column("mac", .blob).notNull().check(sql: "length(mac) = 32")
        }
        try refuse("audit_head_kept", "DELETE", on: "audit_head", when: "1", "the audit head is never removed")
        try refuse("audit_head_forward", "UPDATE", on: "audit_head", when: "NEW.count <= OLD.count", "the audit head only moves forward")

        try db.create(table: "deal") { t in
            t.primaryKey("id", .text).check(sql: idShape("id", "del_"))
            t.column("state", .text).notNull().indexed().check(sql: "state IN \(list(states))")
            t.column("proposerID", .text).notNull().indexed().references("organisation")
            t.column("partnerID", .text).notNull().indexed().references("organisation")
            t.column("pricePer1000Cents", .integer).notNull().check(sql: "typeof(pricePer1000Cents) = 'integer' AND pricePer1000Cents > 0")
            t.column("policy", .text).notNull().check(sql: "policy IN ('equal-count', 'quality-weighted', 'all')")
            t.column("verdict", .text).notNull()
                .check(sql: "json_valid(verdict) AND json_extract(verdict, '$.kind') IN ('complementary', 'unrelated')")
            t.column("overrideReason", .text).check(sql: "overrideReason IS NULL OR length(trim(overrideReason)) > 0")
            t.column("reportJSON", .text).check(sql: "reportJSON IS NULL OR json_valid(reportJSON)")
            t.column("retentionMonths", .integer).notNull().check(sql: "retentionMonths BETWEEN 1 AND 36")
            t.column("createdAt", .integer).notNull()
            t.column("updatedAt", .integer).notNull()
            t.column("expiresAt", .integer).notNull()
            t.column("releasedAt", .integer)
            t.check(sql: integers("createdAt", "updatedAt", "expiresAt"))
            t.check(sql: "proposerID != partnerID")
            // Only unrelated sectors wait for an override, and only they carry one once past it.
            t.check(sql: "state != 'proposed' OR json_extract(verdict, '$.kind') = 'unrelated'")
            t.check(sql: "overrideReason IS NULL OR json_extract(verdict, '$.kind') = 'unrelated'")
            t.check(
                sql: """
                    json_extract(verdict, '$.kind') != 'unrelated' OR overrideReason IS NOT NULL OR state IN ('proposed', 'cancelled', 'expired')
                    """)
            t.check(sql: "reportJSON IS NOT NULL OR state NOT IN ('matched', 'accepted', 'approved', 'released', 'invoiced', 'closed', 'rejected')")
            t.check(sql: "releasedAt IS NOT NULL OR state NOT IN ('released', 'invoiced', 'closed')")
        }
        try refuse(
            "deal_starts_proposed_or_awaiting_files", "INSERT", on: "deal", when: "NEW.state NOT IN ('proposed', 'awaiting-files')",
            "a deal starts as proposed or awaiting-files")
        try refuse(
            "deal_parties_are_partners", "INSERT", on: "deal",
            when: """
                (SELECT kind FROM organisation WHERE id = NEW.proposerID) IS NOT 'partner'
                OR (SELECT kind FROM organisation WHERE id = NEW.partnerID) IS NOT 'partner'
                """, "both parties of a deal are partner organisations")
        try refuse(
            "deal_parties_immutable", "UPDATE OF proposerID, partnerID", on: "deal",
            when: "NEW.proposerID IS NOT OLD.proposerID OR NEW.partnerID IS NOT OLD.partnerID", "a deal's parties never change")
        try refuse(
            "deal_state_follows_transitions", "UPDATE OF state", on: "deal",
            when: "NEW.state IS NOT OLD.state AND (OLD.state || '>' || NEW.state) NOT IN \(list(moves))",
            "this change of deal state is not a transition of the deal lifecycle")

        // Whether organisation `column` is one of the two parties of deal `NEW.dealID`.
        func isParty(_ column: String) -> String {
            "\(column) IN (SELECT proposerID FROM deal WHERE id = NEW.dealID UNION ALL SELECT partnerID FROM deal WHERE id = NEW.dealID)"
        }
        try db.create(table: "deal_party") { t in
            t.column("dealID", .text).notNull().references("deal")
            t.column("organisationID", .text).notNull().indexed().references("organisation")
            t.column("acceptedAt", .integer)
            t.column("declinedAt", .integer)
            t.primaryKey(["dealID", "organisationID"])
            t.check(sql: "acceptedAt IS NULL OR declinedAt IS NULL")
        }
        try refuse(
            "deal_party_is_party", "INSERT", on: "deal_party", when: "NOT (\(isParty("NEW.organisationID")))",
            "a deal party is the proposer or the partner")

        try db.create(table: "deal_file") { t in
            t.column("dealID", .text).notNull().references("deal")
            t.column("organisationID", .text).notNull().references("organisation")
            // NULL once the file is purged; while set, the foreign key keeps the file from being deleted under the deal.
            t.column("fileID", .text).indexed().references("file")
            t.column("attachedAt", .integer).notNull()
            t.primaryKey(["dealID", "organisationID"])
            t.check(sql: integers("attachedAt"))
        }
        let fileOfParty = """
            NOT (\(isParty("NEW.organisationID")))
            OR (NEW.fileID IS NOT NULL AND (SELECT organisationID FROM file WHERE id = NEW.fileID) IS NOT NEW.organisationID)
            """
        for (event, name) in [("INSERT", "deal_file_of_party_insert"), ("UPDATE OF fileID, organisationID", "deal_file_of_party_update")] {
            try refuse(name, event, on: "deal_file", when: fileOfParty, "a deal file is a file of the party that attaches it")
        }

        try db.create(table: "delivery") { t in
            t.primaryKey("id", .text).check(sql: idShape("id", "dlv_"))
            t.column("dealID", .text).notNull().references("deal")
            t.column("recipientID", .text).notNull().indexed().references("organisation")
            t.column("supplierID", .text).notNull().references("organisation")
            t.column("blobID", .text).unique().references("blob")
            t.column("rowCount", .integer).notNull().check(sql: "rowCount >= 0")
            t.column("downloadsRemaining", .integer).notNull().check(sql: "typeof(downloadsRemaining) = 'integer' AND downloadsRemaining >= 0")
            t.column("createdAt", .integer).notNull()
            t.column("expiresAt", .integer).notNull()
            t.column("purgedAt", .integer)
            t.uniqueKey(["dealID", "recipientID"])
            t.check(sql: integers("createdAt", "expiresAt"))
            t.check(sql: "expiresAt > createdAt")
            t.check(sql: "recipientID != supplierID")
            t.check(sql: "(blobID IS NULL) = (purgedAt IS NOT NULL)")
        }
        try refuse(
            "delivery_of_released_deal", "INSERT", on: "delivery",
            when: "(SELECT state FROM deal WHERE id = NEW.dealID) IS NOT 'released' OR NOT (\(isParty("NEW.recipientID"))) "
                + "OR NOT (\(isParty("NEW.supplierID")))",
            "deliveries are made between the two parties of a deal, at its release")

        try db.create(table: "suppression", options: .withoutRowID) { t in
            t.column("kind", .text).notNull().check(sql: "kind IN ('email', 'phone', 'siret')")
            t.column("key", .blob).notNull().check(sql: "length(key) = 16")
            t.column("source", .text).notNull().check(sql: "source IN ('optout', 'unsubscribe', 'erasure', 'opposition-list')")
            t.column("addedAt", .integer).notNull()
            t.primaryKey(["kind", "key"])
            t.check(sql: integers("addedAt"))
        }

        try db.create(table: "erasure") { t in
            t.primaryKey("id", .text).check(sql: idShape("id", "era_"))
            t.column("requestedAt", .integer).notNull()
            t.column("completedAt", .integer).notNull()
            t.column("filesRewritten", .integer).notNull().check(sql: "filesRewritten >= 0")
            t.column("rowsRemoved", .integer).notNull().check(sql: "rowsRemoved >= 0")
            t.column("keysSuppressed", .integer).notNull().check(sql: "keysSuppressed >= 0")
            t.column("actorUserID", .text).check(sql: optionalID("actorUserID", "usr_"))
            t.check(sql: integers("requestedAt", "completedAt"))
            t.check(sql: "completedAt >= requestedAt")
        }

        try db.create(table: "sector_cluster", options: .withoutRowID) { t in
            t.column("cluster", .text).notNull().check(sql: "length(cluster) BETWEEN 1 AND 64 AND cluster NOT GLOB '*[^a-z0-9-]*'")
            t.column("code", .text).notNull().check(sql: "code \(nafShape)")
            t.primaryKey(["cluster", "code"])
        }
        try db.create(table: "confidential_sector") { t in
            t.primaryKey("code", .text).check(sql: "code \(nafShape)")
            t.column("label", .text).notNull().check(sql: "length(trim(label)) > 0")
            t.column("scope", .text).notNull().check(sql: "scope IN ('core', 'optional')")
            t.column("rationale", .text).notNull().check(sql: "length(trim(rationale)) > 0")
        }
        // The tables start as the ones this build embeds; from then on they are the broker's, edited through the store.
        let reference = ReferenceData.embedded
        for (cluster, codes) in reference.clusters {
            for code in codes {
                try db.execute(sql: "INSERT INTO sector_cluster (cluster, code) VALUES (?, ?)", arguments: [cluster, code])
            }
        }
        for sector in reference.confidential.values {
            try db.execute(
                sql: "INSERT INTO confidential_sector (code, label, scope, rationale) VALUES (?, ?, ?, ?)",
                arguments: [sector.code, sector.label, sector.scope, sector.rationale])
        }

        try db.create(table: "broker_settings") { t in
            t.primaryKey("id", .integer).check(sql: "id = 1")
            // The invoicing identity: all set or all NULL.
            t.column("legalName", .text).check(sql: "legalName IS NULL OR length(trim(legalName)) > 0")
            t.column("street", .text)
            t.column("postcode", .text)
            t.column("city", .text)
            t.column("countryCode", .text).check(sql: "countryCode IS NULL OR countryCode = 'FR'")
            t.column("siren", .text).check(sql: "siren IS NULL OR siren GLOB '\(String(repeating: "[0-9]", count: 9))'")
            t.column("vatNumber", .text)
            t.column("iban", .text)
            t.column("bic", .text)
            // Terms and operational values: NULL means the default.
            t.column("commissionBasisPoints", .integer).check(sql: "commissionBasisPoints BETWEEN 0 AND 5000")
            t.column("minimumPricePer1000Cents", .integer).check(sql: "minimumPricePer1000Cents BETWEEN 1 AND 100000000")
            t.column("maximumPricePer1000Cents", .integer).check(sql: "maximumPricePer1000Cents BETWEEN 1 AND 100000000")
            t.column("paymentTermsDays", .integer).check(sql: "paymentTermsDays BETWEEN 0 AND 60")
            t.column("latePenalty", .text).check(sql: "latePenalty IS NULL OR json_valid(latePenalty)")
            t.column("seriesPrefix", .text)
                .check(
                    sql:
                        "seriesPrefix IS NULL OR (length(seriesPrefix) BETWEEN 1 AND 8 AND seriesPrefix GLOB '[A-Z]*' AND seriesPrefix NOT GLOB '*[^A-Z0-9]*')"
                )
            t.column("deliveryDownloads", .integer).check(sql: "deliveryDownloads BETWEEN 1 AND 100")
            t.column("deliveryDays", .integer).check(sql: "deliveryDays BETWEEN 1 AND 365")
            t.column("retentionMonths", .integer).check(sql: "retentionMonths BETWEEN 1 AND 36")
            t.column("dealExpiryDays", .integer).check(sql: "dealExpiryDays BETWEEN 1 AND 365")
            t.column("updatedAt", .integer)
            let identity = ["legalName", "street", "postcode", "city", "countryCode", "siren", "vatNumber", "iban", "bic"]
            t.check(
                sql: "(" + identity.map { "\($0) IS NULL" }.joined(separator: " AND ") + ") OR ("
                    + identity.map { "\($0) IS NOT NULL" }.joined(separator: " AND ") + ")")
        }
        try db.execute(sql: "INSERT INTO broker_settings (id) VALUES (1)")
        try refuse("broker_settings_kept", "DELETE", on: "broker_settings", when: "1", "the broker settings row is never removed")
    }
}
