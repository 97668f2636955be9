extension PostgresSchema {
    /// `p3-sector-version`: a counter every change to the sector tables moves, so that each instance keeps the decoded sector
    /// reference and reads one row to know whether it is still current (`PostgresStore.sectorReference()`), however many
    /// instances edit the tables.
    static let sectorVersionStatements: [String] =
        [
            #"""
            CREATE TABLE "sector_reference_version" (
                "id" bigint PRIMARY KEY CHECK ("id" = 1),
                "version" bigint NOT NULL CHECK ("version" >= 0)
            )
            """#,
            #"INSERT INTO "sector_reference_version" ("id", "version") VALUES (1, 0)"#,
            #"""
            CREATE FUNCTION "sector_reference_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE "sector_reference_version" SET "version" = "version" + 1 WHERE "id" = 1;
                RETURN NULL;
            END
            $$
            """#,
        ]
        + ["sector_cluster", "confidential_sector", "renovation_sector"].map { table in
            #"""
            CREATE TRIGGER "\#(table)_changed" AFTER INSERT OR UPDATE OR DELETE ON "\#(table)"
            FOR EACH STATEMENT EXECUTE FUNCTION "sector_reference_changed"()
            """#
        }
}
