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
        if let damage = try headDamage(head, key: key, db: db) { throw StoreError.auditTrailDamaged(damage) }
        var entry = AuditRecord(
            seq: (head?.count ?? 0) + 1, at: Timestamp.stored(now), actorUserID: draft.actor.userID, actorRole: draft.actor.role,
            organisationID: draft.organisationID, dealID: draft.dealID, action: draft.action.rawValue, detail: try encodeDetail(draft.detail),
            reason: draft.reason, clientAddress: draft.actor.clientAddress, previous: head?.lastMAC ?? AuditChain.genesis, mac: Data())
        entry.mac = AuditChain.mac(of: entry, key: key)
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

    /// Entries after `afterSeq`, oldest first, at most `limit` (capped at `maximumAuditPage`), optionally of one deal.
    package func auditEntries(dealID: String? = nil, limit: Int = 100, afterSeq: Int64 = 0) throws(StoreError) -> [AuditRecord] {
        let limit = max(0, min(limit, Self.maximumAuditPage))
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
            var expectedSeq: Int64 = 1
            var previous = AuditChain.genesis
            var damage: AuditDamage?
            var count = 0
            var verified = 0
            var last: AuditRecord?
            let cursor = try AuditRecord.order(AuditRecord.Columns.seq).fetchCursor(db)
            while let entry = try cursor.next() {
                count += 1
                let macVerifies = AuditChain.mac(of: entry, key: key) == entry.mac
                if macVerifies { verified += 1 }
                if damage == nil {
                    if entry.seq != expectedSeq {
                        damage = AuditDamage(seq: expectedSeq, kind: .missing)
                    } else if entry.previous != previous {
                        // A link to an entry that is still in the trail, but not the one before: content was moved here.
                        let linksElsewhere = try Bool.fetchOne(
                            db, sql: "SELECT EXISTS (SELECT 1 FROM audit WHERE mac = ?)", arguments: [entry.previous])
                        damage = AuditDamage(seq: entry.seq, kind: linksElsewhere == true ? .reordered : .edited)
                    } else if !macVerifies {
                        damage = AuditDamage(seq: entry.seq, kind: .edited)
                    }
                }
                if damage == nil, let checkpoint, entry.seq == checkpoint.count, entry.mac != checkpoint.mac {
                    damage = AuditDamage(seq: entry.seq, kind: .rewritten)
                }
                expectedSeq = entry.seq + 1
                previous = entry.mac
                last = entry
            }
            let head = try AuditHeadRecord.fetchOne(db, key: 1)
            let headVerifies = head.map { AuditChain.headMAC(count: $0.count, lastMAC: $0.lastMAC, key: key) == $0.mac } ?? false
            if count > 0, verified == 0, !headVerifies {
                // An edit breaks one MAC; a wrong key breaks all of them.
                damage = AuditDamage(seq: 1, kind: .wrongKey)
            } else if damage == nil {
                let lastSeq = last?.seq ?? 0
                if let head {
                    if !headVerifies {
                        damage = AuditDamage(seq: lastSeq, kind: .headAltered)
                    } else if head.count > lastSeq {
                        damage = AuditDamage(seq: lastSeq + 1, kind: .truncated)
                    } else if head.count < lastSeq || head.lastMAC != last?.mac {
                        damage = AuditDamage(seq: head.count + 1, kind: .headAltered)
                    }
                } else if count > 0 {
                    damage = AuditDamage(seq: lastSeq, kind: .headAltered)
                }
            }
            if damage == nil, let checkpoint, checkpoint.count > last?.seq ?? 0 {
                damage = AuditDamage(seq: checkpoint.count, kind: .rolledBack)
            }
            return AuditVerification(entryCount: count, headMAC: head?.mac, lastMAC: last?.mac, damage: damage)
        }
    }

    /// The audit key, or the error that tells the server to set it.
    func requireAuditKey() throws(StoreError) -> AuditKey {
        guard let auditKey else { throw .auditKeyMissing }
        return auditKey
    }

    /// Why the head cannot be extended, checked in O(1): its MAC, and that it counts and names the last entry.
    private static func headDamage(_ head: AuditHeadRecord?, key: AuditKey, db: Database) throws -> AuditDamage? {
        let last = try AuditRecord.order(AuditRecord.Columns.seq.desc).fetchOne(db)
        let lastSeq = last?.seq ?? 0
        guard let head else { return last == nil ? nil : AuditDamage(seq: lastSeq, kind: .headAltered) }
        guard AuditChain.headMAC(count: head.count, lastMAC: head.lastMAC, key: key) == head.mac else {
            let lastVerifies = last.map { AuditChain.mac(of: $0, key: key) == $0.mac } ?? false
            return AuditDamage(seq: lastSeq, kind: lastVerifies ? .headAltered : .wrongKey)
        }
        if head.count > lastSeq { return AuditDamage(seq: lastSeq + 1, kind: .truncated) }
        if head.count < lastSeq || head.lastMAC != last?.mac { return AuditDamage(seq: head.count + 1, kind: .headAltered) }
        return nil
    }

    /// The detail as JSON text with sorted keys, so equal details are stored (and MAC'ed) as equal bytes.
    private static func encodeDetail(_ detail: [String: AuditValue]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(detail), as: UTF8.self)
    }
}
