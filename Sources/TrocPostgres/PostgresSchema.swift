import PostgresNIO
import TrocCore

/// The PostgreSQL record store's schema, as ordered named migrations (the counterpart of `AppDatabase.migrator`).
///
/// `p1-base` is SQLite's end state at `v12-overseas-franchise`; a later SQLite migration gets its PostgreSQL twin as a new
/// `pN-…` migration here, named in `sqliteCounterparts` (PostgresSchemaTests fails until it is).
package enum PostgresSchema {
    /// The migrations, in the order they run.
    package static let migrations: [PostgresMigration] = [
        PostgresMigration(name: "p1-base", statements: baseStatements.map { PostgresQuery(unsafeSQL: $0) } + referenceRows()),
        PostgresMigration(name: "p2-jobs", statements: jobStatements.map { PostgresQuery(unsafeSQL: $0) }),
        PostgresMigration(name: "p3-sector-version", statements: sectorVersionStatements.map { PostgresQuery(unsafeSQL: $0) }),
    ]

    /// For each SQLite migration, the PostgreSQL migration that gives the same tables, columns and rules.
    package static let sqliteCounterparts: [String: String] = [
        "v1-accounts-files": "p1-base", "v2-deals-audit": "p1-base", "v3-invoices": "p1-base", "v4-trust-accounts": "p1-base",
        "v5-lawful-records": "p1-base", "v6-trust-privacy": "p1-base", "v7-trust-resources": "p1-base", "v8-invoicing-terms": "p1-base",
        "v9-audit-client-address": "p1-base", "v11-console": "p1-base", "v12-overseas-franchise": "p1-base",
    ]

    /// Tables only the PostgreSQL backend has: the migrations it ran, the jobs instances share, the sector tables' version.
    package static let ownTables: Set<String> = ["troc_migration", "job", "sector_reference_version"]

    /// The tables the migrations seed (`referenceRows`), which hold rows before the broker wrote any.
    package static let seededTables: Set<String> = ["broker_settings", "sector_cluster", "confidential_sector", "renovation_sector"]

    /// The rows SQLite's migrations seed: the settings row and the sector tables this build embeds, from then on the broker's.
    private static func referenceRows() -> [PostgresQuery] {
        let reference = ReferenceData.embedded
        var rows: [PostgresQuery] = [#"INSERT INTO "broker_settings" ("id") VALUES (1)"#]
        for (cluster, codes) in reference.clusters.sorted(by: { $0.key < $1.key }) {
            for code in codes.sorted() { rows.append(#"INSERT INTO "sector_cluster" ("cluster", "code") VALUES (\#(cluster), \#(code))"#) }
        }
        for sector in reference.confidential.values.sorted(by: { $0.code < $1.code }) {
            rows.append(
                #"""
                INSERT INTO "confidential_sector" ("code", "label", "scope", "rationale")
                VALUES (\#(sector.code), \#(sector.label), \#(sector.scope), \#(sector.rationale))
                """#)
        }
        for sector in reference.renovation.sorted() {
            rows.append(
                #"""
                INSERT INTO "renovation_sector" ("nomenclature", "code", "ground")
                VALUES (\#(sector.nomenclature.rawValue), \#(sector.code), \#(sector.ground.rawValue))
                """#)
        }
        return rows
    }
}
