package import Foundation
import GRDB
package import TrocCore

extension AppDatabase {
    /// The reference data the sector rules use: the NAF nomenclatures as embedded, the clusters, confidential sectors and
    /// renovation list as the broker edited them (read once, then kept until an edit).
    package func sectorReference() throws(StoreError) -> ReferenceData {
        try sectorCache.reference { () throws(StoreError) in try readSectorReference() }
    }

    /// The reference data as the sector tables hold it now.
    private func readSectorReference() throws(StoreError) -> ReferenceData {
        let embedded = ReferenceData.embedded
        return try read { db in
            var clusters: [String: Set<String>] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT cluster, code FROM sector_cluster") {
                clusters[row["cluster"], default: []].insert(row["code"])
            }
            // TrocCore's type has no public memberwise initialiser, but it is Codable: SQLite writes each row as its JSON.
            var confidential: [String: ConfidentialSector] = [:]
            let decoder = JSONDecoder()
            for json in try String.fetchAll(
                db, sql: "SELECT json_object('code', code, 'label', label, 'scope', scope, 'rationale', rationale) FROM confidential_sector")
            {
                let sector = try decoder.decode(ConfidentialSector.self, from: Data(json.utf8))
                confidential[sector.code] = sector
            }
            return embedded.editing(confidential: confidential, clusters: clusters, renovation: Set(try Self.renovationSectors(db)))
        }
    }

    /// The statutory renovation / home-adaptation list as the broker keeps it, rév. 2 codes first.
    package func renovationSectors() throws(StoreError) -> [RenovationSector] {
        try read { db in try Self.renovationSectors(db) }
    }

    /// Puts a NAF sub-class on the renovation / home-adaptation list, or changes its ground; returns false if nothing changed.
    package func addRenovationSector(_ sector: RenovationSector, reason: String, actor: AuditActor, now: Date) throws(StoreError) -> Bool {
        try StoreRules.validateRenovationSector(sector)
        return try editSectors(.renovationSectorAdded(sector, by: actor, reason: StoreRules.requiredReason(reason)), now: now) { db in
            try db.execute(
                sql: """
                    INSERT INTO renovation_sector (nomenclature, code, ground) VALUES (?, ?, ?)
                    ON CONFLICT (nomenclature, code) DO UPDATE SET ground = excluded.ground WHERE ground IS NOT excluded.ground
                    """, arguments: [sector.nomenclature.rawValue, sector.code, sector.ground.rawValue])
            return db.changesCount == 1
        }
    }

    /// Takes a NAF sub-class off the renovation / home-adaptation list; returns false if it was not on it.
    package func removeRenovationSector(
        code: String, nomenclature: NAFNomenclature, reason: String, actor: AuditActor, now: Date
    ) throws(StoreError) -> Bool {
        try editSectors(
            .renovationSectorRemoved(code: code, nomenclature: nomenclature, by: actor, reason: StoreRules.requiredReason(reason)), now: now
        ) { db in
            try db.execute(sql: "DELETE FROM renovation_sector WHERE nomenclature = ? AND code = ?", arguments: [nomenclature.rawValue, code])
            return db.changesCount == 1
        }
    }

    /// The renovation list inside a transaction.
    private static func renovationSectors(_ db: Database) throws -> [RenovationSector] {
        try Row.fetchAll(db, sql: "SELECT nomenclature, code, ground FROM renovation_sector ORDER BY nomenclature = 'naf2025', code").compactMap {
            row in
            guard let nomenclature = NAFNomenclature(rawValue: row["nomenclature"] as String),
                let ground = RenovationGround(rawValue: row["ground"] as String)
            else {
                return nil
            }
            return RenovationSector(nomenclature: nomenclature, code: row["code"], ground: ground)
        }
    }

    /// Adds a NAF sub-class to an audience cluster (creating the cluster); returns false if it was already there.
    package func addClusterCode(cluster: String, code: String, reason: String, actor: AuditActor, now: Date) throws(StoreError) -> Bool {
        try StoreRules.validateCluster(cluster)
        try StoreRules.validateSubclass(code)
        return try editSectors(.clusterCodeAdded(cluster: cluster, code: code, by: actor, reason: StoreRules.requiredReason(reason)), now: now) {
            db in
            try db.execute(sql: "INSERT OR IGNORE INTO sector_cluster (cluster, code) VALUES (?, ?)", arguments: [cluster, code])
            return db.changesCount == 1
        }
    }

    /// Removes a NAF sub-class from an audience cluster (a cluster left empty disappears); returns false if it was not there.
    package func removeClusterCode(cluster: String, code: String, reason: String, actor: AuditActor, now: Date) throws(StoreError) -> Bool {
        try editSectors(.clusterCodeRemoved(cluster: cluster, code: code, by: actor, reason: StoreRules.requiredReason(reason)), now: now) { db in
            try db.execute(sql: "DELETE FROM sector_cluster WHERE cluster = ? AND code = ?", arguments: [cluster, code])
            return db.changesCount == 1
        }
    }

    /// Adds a confidential sector or changes its label, scope or rationale; returns false if nothing changed.
    package func setConfidential(
        code: String, label: String, scope: String, rationale: String, reason: String, actor: AuditActor, now: Date
    ) throws(StoreError) -> Bool {
        try StoreRules.validateConfidential(code: code, label: label, scope: scope, rationale: rationale)
        return try editSectors(.confidentialSectorSet(code: code, scope: scope, by: actor, reason: StoreRules.requiredReason(reason)), now: now) {
            db in
            try db.execute(
                sql: """
                    INSERT INTO confidential_sector (code, label, scope, rationale) VALUES (?, ?, ?, ?)
                    ON CONFLICT (code) DO UPDATE SET label = excluded.label, scope = excluded.scope, rationale = excluded.rationale
                    WHERE label IS NOT excluded.label OR scope IS NOT excluded.scope OR rationale IS NOT excluded.rationale
                    """, arguments: [code, label, scope, rationale])
            return db.changesCount == 1
        }
    }

    /// Removes a confidential sector; returns false if it was not one.
    package func removeConfidential(code: String, reason: String, actor: AuditActor, now: Date) throws(StoreError) -> Bool {
        try editSectors(.confidentialSectorRemoved(code: code, by: actor, reason: StoreRules.requiredReason(reason)), now: now) { db in
            try db.execute(sql: "DELETE FROM confidential_sector WHERE code = ?", arguments: [code])
            return db.changesCount == 1
        }
    }

    /// Runs one edit of the sector tables with its audit entry; an edit that changes nothing is not audited.
    private func editSectors(_ entry: AuditDraft, now: Date, edit: (Database) throws -> Bool) throws(StoreError) -> Bool {
        let key = try requireAuditKey()
        let edited = try write { db in
            guard try edit(db) else { return false }
            _ = try Self.appendAudit(entry, key: key, now: now, db: db)
            return true
        }
        // After the commit, so that no request can cache the tables as they were before it.
        if edited { sectorCache.invalidate() }
        return edited
    }
}
