import GRDB

extension AppDatabase {
    /// Names of the migrations this build knows, in order; a backup made by a later build may carry more.
    package static var migrationNames: [String] { migrator.migrations }

    /// The schema, as named migrations; a migration that has shipped is never edited, later changes are new migrations.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-accounts-files", migrate: createAccountsAndFiles)
        migrator.registerMigration("v2-deals-audit", migrate: createDealsAndAudit)
        migrator.registerMigration("v3-invoices", migrate: createInvoices)
        migrator.registerMigration("v4-trust-accounts", migrate: createTrustAccounts)
        migrator.registerMigration("v5-lawful-records", migrate: createLawfulRecords)
        migrator.registerMigration("v6-trust-privacy", migrate: createTrustPrivacy)
        migrator.registerMigration("v7-trust-resources", migrate: addFirmQuotas)
        migrator.registerMigration("v8-invoicing-terms", migrate: createInvoicingTerms)
        migrator.registerMigration("v9-audit-client-address", migrate: addAuditClientAddress)
        migrator.registerMigration("v11-console", migrate: createConsole)
        migrator.registerMigration("v12-overseas-franchise", migrate: allowOverseasFranchise)
        return migrator
    }()

    /// Organisations, users, tokens, blobs, files, the broker key and wrapped secrets.
    private static func createAccountsAndFiles(_ db: Database) throws {
        // Frozen copies of the id and wrapped-key shapes, so this migration means the same thing forever.
        func idShape(_ prefix: String) -> String { "GLOB '\(prefix)\(String(repeating: "[a-z2-7]", count: 16))'" }
        func wrappedKeyChecks(_ t: TableDefinition, blob: String) {
            // A WrappedKey is 69 bytes: version 1, then the 8-byte master key id that this column repeats in hex.
            t.check(sql: "length(\(blob)) = 69 AND substr(\(blob), 1, 1) = x'01'")
            t.check(sql: "masterKeyID = lower(hex(substr(\(blob), 2, 8)))")
        }
        let epochSeconds = "typeof(createdAt) = 'integer'"

        try db.create(table: "organisation") { t in
            t.primaryKey("id", .text).check(sql: "id \(idShape("org_"))")
            t.column("kind", .text).notNull().check(sql: "kind IN ('broker', 'partner')")
            t.column("name", .text).notNull().check(sql: "length(trim(name)) > 0")
            t.column("siren", .text).check(sql: "siren GLOB '\(String(repeating: "[0-9]", count: 9))'")
            t.column("siret", .text)
                .check(sql: "siret IS NULL OR (siret GLOB '\(String(repeating: "[0-9]", count: 14))' AND substr(siret, 1, 9) IS siren)")
            t.column("vatNumber", .text)
            t.column("nafCode", .text).notNull().check(sql: "nafCode GLOB '[0-9][0-9].[0-9][0-9][A-Z]'")
            t.column("street", .text).notNull()
            t.column("postcode", .text).notNull()
            t.column("city", .text).notNull()
            t.column("countryCode", .text).notNull().check(sql: "countryCode GLOB '[A-Z][A-Z]'")
            t.column("publicKeyPEM", .text)
            t.column("publicKeyFingerprint", .text)
            t.column("createdAt", .integer).notNull()
            t.check(sql: epochSeconds)
            t.check(sql: "countryCode != 'FR' OR siren IS NOT NULL")
            t.check(sql: "(publicKeyPEM IS NULL) = (publicKeyFingerprint IS NULL)")
        }
        try db.create(index: "organisation_siren", on: "organisation", columns: ["siren"], unique: true, condition: Column("siren") != nil)
        try db.create(index: "organisation_single_broker", on: "organisation", columns: ["kind"], unique: true, condition: Column("kind") == "broker")
        try db.execute(
            sql: """
                CREATE TRIGGER organisation_kind_immutable BEFORE UPDATE OF kind ON organisation
                WHEN NEW.kind IS NOT OLD.kind
                BEGIN SELECT RAISE(ABORT, 'an organisation''s kind never changes'); END
                """)

        try db.create(table: "user") { t in
            t.primaryKey("id", .text).check(sql: "id \(idShape("usr_"))")
            t.column("organisationID", .text).notNull().indexed().references("organisation")
            t.column("role", .text).notNull().check(sql: "role IN ('partner', 'operator', 'accountant')")
            t.column("name", .text).notNull().check(sql: "length(trim(name)) > 0")
            t.column("email", .text)
            t.column("createdAt", .integer).notNull()
            t.column("disabledAt", .integer)
            t.check(sql: epochSeconds)
        }
        // A trigger rather than a CHECK because the rule spans two tables: partners belong to partner organisations,
        // operators and accountants to the broker. It runs before the CHECKs, so an unknown role still fails as a CHECK.
        let roleMismatch = """
            (NEW.role = 'partner' AND (SELECT kind FROM organisation WHERE id = NEW.organisationID) IS NOT 'partner')
            OR (NEW.role IN ('operator', 'accountant') AND (SELECT kind FROM organisation WHERE id = NEW.organisationID) IS NOT 'broker')
            """
        for (event, name) in [
            ("INSERT", "user_role_fits_organisation_insert"), ("UPDATE OF role, organisationID", "user_role_fits_organisation_update"),
        ] {
            try db.execute(
                sql: """
                    CREATE TRIGGER \(name) BEFORE \(event) ON user WHEN \(roleMismatch)
                    BEGIN SELECT RAISE(ABORT, 'a partner user belongs to a partner organisation, an operator or accountant to the broker'); END
                    """)
        }

        try db.create(table: "token") { t in
            t.primaryKey("id", .text).check(sql: "id \(idShape("tok_"))")
            t.column("userID", .text).notNull().indexed().references("user", onDelete: .cascade)
            t.column("hash", .blob).notNull().unique().check(sql: "length(hash) = 32")
            t.column("label", .text).notNull()
            t.column("createdAt", .integer).notNull()
            t.column("expiresAt", .integer).notNull()
            t.column("revokedAt", .integer)
            t.column("lastUsedAt", .integer)
            t.check(sql: epochSeconds)
            t.check(sql: "expiresAt > createdAt")
        }

        try db.create(table: "blob") { t in
            t.primaryKey("id", .text).check(sql: "id \(idShape("blb_"))")
            t.column("wrappedKey", .blob).notNull()
            t.column("masterKeyID", .text).notNull()
            t.column("plaintextByteCount", .integer).notNull().check(sql: "plaintextByteCount >= 0")
            // Header and at least one record's header and tag come on top of the plaintext.
            t.column("storedByteCount", .integer).notNull().check(sql: "storedByteCount > plaintextByteCount")
            t.column("createdAt", .integer).notNull()
            t.check(sql: epochSeconds)
            wrappedKeyChecks(t, blob: "wrappedKey")
        }

        try db.create(table: "file") { t in
            t.primaryKey("id", .text).check(sql: "id \(idShape("fil_"))")
            t.column("organisationID", .text).notNull().indexed().references("organisation")
            t.column("blobID", .text).notNull().unique().references("blob")
            t.column("name", .text).notNull()
                .check(sql: "length(CAST(name AS BLOB)) BETWEEN 1 AND 255 AND instr(name, '/') = 0 AND instr(name, '\\') = 0")
            t.column("byteCount", .integer).notNull().check(sql: "byteCount >= 0")
            t.column("report", .text).notNull().check(sql: "json_valid(report)")
            t.column("createdAt", .integer).notNull()
            t.check(sql: epochSeconds)
        }

        try db.create(table: "broker_key") { t in
            t.primaryKey("id", .text).check(sql: "id \(idShape("bkk_"))")
            t.column("publicKeyPEM", .text).notNull()
            t.column("wrappedKey", .blob).notNull()
            t.column("sealedPrivateKey", .blob).notNull()
            t.column("masterKeyID", .text).notNull()
            t.column("createdAt", .integer).notNull()
            t.column("active", .boolean).notNull()
            t.check(sql: epochSeconds)
            wrappedKeyChecks(t, blob: "wrappedKey")
        }
        try db.create(index: "broker_key_single_active", on: "broker_key", columns: ["active"], unique: true, condition: Column("active") == true)

        try db.create(table: "secret") { t in
            t.primaryKey("name", .text).check(sql: "length(name) > 0")
            t.column("wrapped", .blob).notNull()
            t.column("masterKeyID", .text).notNull()
            wrappedKeyChecks(t, blob: "wrapped")
        }
    }
}
