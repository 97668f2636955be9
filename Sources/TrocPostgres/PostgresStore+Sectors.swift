package import Foundation
import PostgresNIO
package import TrocCore
package import TrocStore

extension PostgresStore {
    /// The reference data the sector rules use: the NAF nomenclatures as embedded, the clusters, confidential sectors and
    /// renovation list as the broker edited them.
    ///
    /// Kept decoded with the version of the tables it was read at: a call reads the version (one row, which any instance's
    /// edit moves in the edit's own transaction) and decodes the tables again, in one snapshot with their version, only
    /// when it changed. Decoding them on every call cost more than the rest of a deal's view.
    package func sectorReference() async throws(StoreError) -> ReferenceData {
        let current = try await withConnection { connection in try await Self.sectorVersion(on: connection, logger: logger) }
        if let cached = sectorCache.reference(at: current) { return cached }
        let (version, reference) = try await transaction { connection in
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            return (try await Self.sectorVersion(on: connection, logger: logger), try await readSectorReference(on: connection))
        }
        sectorCache.keep(reference, at: version)
        return reference
    }

    /// The version of the sector tables, which every change to them moves (`p3-sector-version`).
    private static func sectorVersion(on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        for try await version in try await connection.query(#"SELECT "version" FROM "sector_reference_version" WHERE "id" = 1"#, logger: logger)
            .decode(Int64.self)
        {
            return version
        }
        throw StoreError.database("the sector tables' version row is missing")
    }

    /// The sector tables, decoded, as this transaction sees them.
    private func readSectorReference(on connection: PostgresConnection) async throws -> ReferenceData {
        var clusters: [String: Set<String>] = [:]
        for try await (cluster, code) in try await connection.query(#"SELECT "cluster", "code" FROM "sector_cluster""#, logger: logger)
            .decode((String, String).self)
        {
            clusters[cluster, default: []].insert(code)
        }
        // TrocCore's type has no public memberwise initialiser, but it is Codable: each row is read as its JSON.
        var confidential: [String: ConfidentialSector] = [:]
        let rows = try await connection.query(
            #"""
            SELECT json_build_object('code', "code", 'label', "label", 'scope', "scope", 'rationale', "rationale")::text
            FROM "confidential_sector"
            """#, logger: logger)
        for try await (json) in rows.decode(String.self) {
            let sector = try JSONDecoder().decode(ConfidentialSector.self, from: Data(json.utf8))
            confidential[sector.code] = sector
        }
        let renovation = try await renovationSectors(on: connection)
        return ReferenceData.embedded.editing(confidential: confidential, clusters: clusters, renovation: Set(renovation))
    }

    /// The statutory renovation / home-adaptation list as the broker keeps it, rév. 2 codes first.
    package func renovationSectors() async throws(StoreError) -> [RenovationSector] {
        try await withConnection { connection in try await renovationSectors(on: connection) }
    }

    /// Puts a NAF sub-class on the renovation / home-adaptation list, or changes its ground; returns false if nothing changed.
    package func addRenovationSector(_ sector: RenovationSector, reason: String, actor: AuditActor, now: Date) async throws(StoreError) -> Bool {
        try StoreRules.validateRenovationSector(sector)
        return try await editSectors(.renovationSectorAdded(sector, by: actor, reason: StoreRules.requiredReason(reason)), now: now) {
            #"""
            INSERT INTO "renovation_sector" ("nomenclature", "code", "ground")
            VALUES (\#(sector.nomenclature.rawValue), \#(sector.code), \#(sector.ground.rawValue))
            ON CONFLICT ("nomenclature", "code") DO UPDATE SET "ground" = excluded."ground"
            WHERE "renovation_sector"."ground" IS DISTINCT FROM excluded."ground"
            RETURNING 1
            """#
        }
    }

    /// Takes a NAF sub-class off the renovation / home-adaptation list; returns false if it was not on it.
    package func removeRenovationSector(
        code: String, nomenclature: NAFNomenclature, reason: String, actor: AuditActor, now: Date
    ) async throws(StoreError) -> Bool {
        try await editSectors(
            .renovationSectorRemoved(code: code, nomenclature: nomenclature, by: actor, reason: StoreRules.requiredReason(reason)), now: now
        ) {
            #"DELETE FROM "renovation_sector" WHERE "nomenclature" = \#(nomenclature.rawValue) AND "code" = \#(code) RETURNING 1"#
        }
    }

    /// Adds a NAF sub-class to an audience cluster (creating the cluster); returns false if it was already there.
    package func addClusterCode(cluster: String, code: String, reason: String, actor: AuditActor, now: Date) async throws(StoreError) -> Bool {
        try StoreRules.validateCluster(cluster)
        try StoreRules.validateSubclass(code)
        return try await editSectors(.clusterCodeAdded(cluster: cluster, code: code, by: actor, reason: StoreRules.requiredReason(reason)), now: now)
        {
            #"INSERT INTO "sector_cluster" ("cluster", "code") VALUES (\#(cluster), \#(code)) ON CONFLICT DO NOTHING RETURNING 1"#
        }
    }

    /// Removes a NAF sub-class from an audience cluster (a cluster left empty disappears); returns false if it was not there.
    package func removeClusterCode(cluster: String, code: String, reason: String, actor: AuditActor, now: Date) async throws(StoreError) -> Bool {
        try await editSectors(.clusterCodeRemoved(cluster: cluster, code: code, by: actor, reason: StoreRules.requiredReason(reason)), now: now) {
            #"DELETE FROM "sector_cluster" WHERE "cluster" = \#(cluster) AND "code" = \#(code) RETURNING 1"#
        }
    }

    /// Adds a confidential sector or changes its label, scope or rationale; returns false if nothing changed.
    package func setConfidential(
        code: String, label: String, scope: String, rationale: String, reason: String, actor: AuditActor, now: Date
    ) async throws(StoreError) -> Bool {
        try StoreRules.validateConfidential(code: code, label: label, scope: scope, rationale: rationale)
        return try await editSectors(.confidentialSectorSet(code: code, scope: scope, by: actor, reason: StoreRules.requiredReason(reason)), now: now)
        {
            #"""
            INSERT INTO "confidential_sector" ("code", "label", "scope", "rationale") VALUES (\#(code), \#(label), \#(scope), \#(rationale))
            ON CONFLICT ("code") DO UPDATE SET "label" = excluded."label", "scope" = excluded."scope", "rationale" = excluded."rationale"
            WHERE ("confidential_sector"."label", "confidential_sector"."scope", "confidential_sector"."rationale")
                IS DISTINCT FROM (excluded."label", excluded."scope", excluded."rationale")
            RETURNING 1
            """#
        }
    }

    /// Removes a confidential sector; returns false if it was not one.
    package func removeConfidential(code: String, reason: String, actor: AuditActor, now: Date) async throws(StoreError) -> Bool {
        try await editSectors(.confidentialSectorRemoved(code: code, by: actor, reason: StoreRules.requiredReason(reason)), now: now) {
            #"DELETE FROM "confidential_sector" WHERE "code" = \#(code) RETURNING 1"#
        }
    }

    /// Runs one edit of the sector tables, `edit` (a statement returning a row when it changed something), with its audit
    /// entry; an edit that changes nothing is not audited.
    private func editSectors(_ entry: AuditDraft, now: Date, edit: () -> PostgresQuery) async throws(StoreError) -> Bool {
        let key = try requireAuditKey()
        let statement = edit()
        return try await transaction { connection in
            var changed = false
            for try await _ in try await connection.query(statement, logger: logger) { changed = true }
            guard changed else { return false }
            try await PostgresAuditTrail.append(entry, key: key, now: now, on: connection, logger: logger)
            return true
        }
    }

    /// The renovation list read on `connection`.
    private func renovationSectors(on connection: PostgresConnection) async throws -> [RenovationSector] {
        let rows = try await connection.query(
            #"""
            SELECT "nomenclature", "code", "ground" FROM "renovation_sector" ORDER BY ("nomenclature" = 'naf2025'), "code" COLLATE "C"
            """#, logger: logger)
        var sectors: [RenovationSector] = []
        for try await (nomenclature, code, ground) in rows.decode((String, String, String).self) {
            guard let nomenclature = NAFNomenclature(rawValue: nomenclature), let ground = RenovationGround(rawValue: ground) else { continue }
            sectors.append(RenovationSector(nomenclature: nomenclature, code: code, ground: ground))
        }
        return sectors
    }
}

extension PostgresStore: SettingsStore {}
