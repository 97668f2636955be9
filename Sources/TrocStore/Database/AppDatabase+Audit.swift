package import Foundation
package import GRDB

extension AppDatabase {
    /// Most entries one `auditEntries` call returns.
    package static let maximumAuditPage = 1000

    /// Appends an entry to the trail inside the caller's write transaction, so a change and its entry commit or fail together.
    ///
    /// The head is checked first (its MAC, and that it names the last entry): extending a damaged trail would give the
    /// damage a valid head, so the write is refused with `auditTrailDamaged` instead.
    package static func appendAudit(_ draft: AuditDraft, key: AuditKey, now: Date, db: Database) throws -> AuditRecord {
        let head = try AuditHeadRecord.fetchOne(db, key: 1)
        let last = try AuditRecord.order(AuditRecord.Columns.seq.desc).fetchOne(db)
        if let damage = AuditChainWalk.headDamage(head.map { ($0.count, $0.lastMAC, $0.mac) }, last: last, key: key) {
            throw StoreError.auditTrailDamaged(damage)
        }
        let entry = try AuditRecord(draft: draft, seq: (head?.count ?? 0) + 1, previous: head?.lastMAC ?? AuditChain.genesis, key: key, now: now)
        try entry.insert(db)
        try AuditHeadRecord(id: 1, count: entry.seq, lastMAC: entry.mac, mac: AuditChain.headMAC(count: entry.seq, lastMAC: entry.mac, key: key))
            .save(db)
        return entry
    }

    /// Records an action that changes nothing else in the database (a download link served, a token revoked elsewhere).
    package func recordAudit(_ draft: AuditDraft, now: Date) throws(StoreError) -> AuditRecord {
        let key = try requireAuditKey()
        return try write { db in try Self.appendAudit(draft, key: key, now: now, db: db) }
    }

    /// How many entries one `auditEntries` call returns for a requested `limit`, whichever backend answers it.
    package static func auditPageLimit(_ limit: Int) -> Int {
        max(0, min(limit, maximumAuditPage))
    }

    /// Entries after `afterSeq`, oldest first, at most `limit` (capped at `maximumAuditPage`), optionally of one deal.
    package func auditEntries(dealID: String? = nil, limit: Int = 100, afterSeq: Int64 = 0) throws(StoreError) -> [AuditRecord] {
        let limit = Self.auditPageLimit(limit)
        return try read { db in
            var request = AuditRecord.filter(AuditRecord.Columns.seq > afterSeq)
            if let dealID { request = request.filter(AuditRecord.Columns.dealID == dealID) }
            return try request.order(AuditRecord.Columns.seq).limit(limit).fetchAll(db)
        }
    }

    /// Walks the whole trail in one snapshot and reports the first damage: an edited, missing or moved entry, a removed
    /// tail, an altered head, or a key under which nothing verifies.
    ///
    /// A rollback of the whole database to an earlier consistent state (an old backup, an old head replayed with the
    /// entries after it), or a trail rewritten by someone holding the master key, is consistent by construction: given a
    /// checkpoint recorded elsewhere (`expecting`), the trail must still extend it, or the damage is `rolledBack` or
    /// `rewritten`.
    package func verifyAudit(key: AuditKey, expecting checkpoint: AuditCheckpoint? = nil) throws(StoreError) -> AuditVerification {
        try read { db in
            var walk = AuditChainWalk(key: key, expecting: checkpoint)
            let cursor = try AuditRecord.order(AuditRecord.Columns.seq).fetchCursor(db)
            while let entry = try cursor.next() {
                try walk.visit(entry) { mac in
                    try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM audit WHERE mac = ?)", arguments: [mac]) == true
                }
            }
            return walk.verdict(head: try AuditHeadRecord.fetchOne(db, key: 1).map { ($0.count, $0.lastMAC, $0.mac) })
        }
    }

    /// The audit key, or the error that tells the server to set it.
    func requireAuditKey() throws(StoreError) -> AuditKey {
        guard let auditKey else { throw .auditKeyMissing }
        return auditKey
    }

}
