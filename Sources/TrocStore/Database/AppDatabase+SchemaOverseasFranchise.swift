import GRDB

extension AppDatabase {
    /// `v12-overseas-franchise`: a firm in Guadeloupe, Martinique or La Réunion may be under the VAT franchise (CGI art.
    /// 293 B applies there as in metropolitan France), which `FirmVATStatus` accepts but `v8-invoicing-terms` refused
    /// with two checks (an overseas territory only under the overseas regime, a VAT number in every department where VAT
    /// applies), so declaring it failed as an internal error. SQLite cannot change a table's checks: the table is
    /// rebuilt with the same columns, its rows copied as they are.
    static func allowOverseasFranchise(_ db: Database) throws {
        // Frozen copies of the value lists, so this migration means the same thing forever.
        let overseas = "('GP', 'MQ', 'GF', 'RE', 'YT')"
        let overseasWithVAT = "('GP', 'MQ', 'RE')"
        try db.create(table: "organisation_vat_status_v12") { t in
            t.primaryKey("organisationID", .text).references("organisation")
            t.column("regime", .text).notNull().check(sql: "regime IN ('registered', 'franchise', 'overseas')")
            t.column("vatNumber", .text).check(sql: "vatNumber IS NULL OR vatNumber GLOB '[A-Z][A-Z]?*'")
            t.column("territory", .text).notNull().check(sql: "territory GLOB '[A-Z][A-Z]'")
            t.column("vatNumberCheckedAt", .integer)
            t.column("vatNumberCheckMethod", .text)
                .check(sql: "vatNumberCheckMethod IS NULL OR vatNumberCheckMethod IN ('syntax-and-key', 'syntax-and-checksum', 'syntax')")
            t.column("updatedAt", .integer).notNull().check(sql: "typeof(updatedAt) = 'integer'")
            t.check(sql: "regime != 'franchise' OR vatNumber IS NULL")
            t.check(sql: "regime != 'registered' OR vatNumber IS NOT NULL")
            // The overseas regime only overseas, and overseas only that regime or the franchise.
            t.check(sql: "regime != 'overseas' OR territory IN \(overseas)")
            t.check(sql: "territory NOT IN \(overseas) OR regime IN ('overseas', 'franchise')")
            t.check(sql: "regime = 'franchise' OR territory NOT IN \(overseasWithVAT) OR vatNumber IS NOT NULL")
            t.check(sql: "(vatNumber IS NULL) = (vatNumberCheckedAt IS NULL) AND (vatNumber IS NULL) = (vatNumberCheckMethod IS NULL)")
        }
        try db.execute(sql: "INSERT INTO organisation_vat_status_v12 SELECT * FROM organisation_vat_status")
        try db.drop(table: "organisation_vat_status")
        try db.rename(table: "organisation_vat_status_v12", to: "organisation_vat_status")
    }
}
