package import Foundation
import GRDB
package import TrocCore

extension AppDatabase {
    /// Adds keys to the suppression list, ignoring those already on it, and audits the counts; returns how many were new.
    package func addSuppressions(
        _ entries: [(MatchKeyKind, MatchKey)], source: SuppressionSource, actor: AuditActor, now: Date
    ) throws(StoreError) -> Int {
        let key = try requireAuditKey()
        return try write { db in
            let addedAt = Timestamp.seconds(now)
            var added = 0
            let statement = try db.makeStatement(sql: "INSERT OR IGNORE INTO suppression (kind, key, source, addedAt) VALUES (?, ?, ?, ?)")
            for (kind, matchKey) in entries {
                try statement.execute(arguments: [kind, Data(matchKey.bytes), source, addedAt])
                added += db.changesCount
            }
            _ = try Self.appendAudit(
                .suppressionsAdded(source: source, submitted: entries.count, added: added, by: actor), key: key, now: now, db: db)
            return added
        }
    }

    /// Every suppressed key, for the engine's `SuppressionList(entries:)`.
    package func suppressionEntries() throws(StoreError) -> [(MatchKeyKind, MatchKey)] {
        try read { db in
            try SuppressionRecord.fetchAll(db).map { ($0.kind, MatchKey(digest: [UInt8]($0.key))) }
        }
    }

    /// How many keys are suppressed.
    package func suppressionCount() throws(StoreError) -> Int {
        try read { db in try SuppressionRecord.fetchCount(db) }
    }

    /// Swaps a stored file's blob for `newBlob`, a copy without the rows an erasure removed, in one transaction, and
    /// returns the old blob's id for the caller to delete. Files of released deals too: an erasure reaches every file held.
    ///
    /// `reportJSON`, when given, replaces the ingestion report, whose counts included the removed rows.
    package func replaceFileBlob(
        fileID: String, with newBlob: StoredBlob, removedRows: Int, reportJSON: String? = nil, actor: AuditActor, now: Date
    ) throws(StoreError) -> String {
        let key = try requireAuditKey()
        try StoreRules.checkRemovedRows(removedRows)
        return try write { db in
            guard var file = try FileRecord.fetchOne(db, key: fileID) else { throw StoreError.fileNotFound(id: fileID) }
            if let reportJSON, try Bool.fetchOne(db, sql: "SELECT json_valid(?)", arguments: [reportJSON]) != true {
                throw StoreError.invalidField(field: "report", value: String(reportJSON.prefix(40)), reason: "the ingestion report is not valid JSON")
            }
            let oldBlobID = file.blobID
            try BlobRecord(newBlob, createdAt: Timestamp.stored(now)).insert(db)
            file.blobID = newBlob.id
            file.byteCount = newBlob.plaintextByteCount
            if let reportJSON { file.report = reportJSON }
            try file.update(db)
            try BlobRecord.deleteOne(db, key: oldBlobID)
            _ = try Self.appendAudit(.fileRewritten(file, removedRows: removedRows, by: actor), key: key, now: now, db: db)
            return oldBlobID
        }
    }

    /// Records an erasure request once carried out, in one transaction: the counts (never who was erased), a notice to
    /// each firm that had received the person, and the person's keys taken out of the record of who received whom.
    package func recordErasure(
        requestedAt: Date, filesRewritten: Int, rowsRemoved: Int, keysSuppressed: Int, deliveriesRewritten: Int = 0, notices: [NoticeDraft] = [],
        forgetting recipientKeys: [RecipientKey] = [], actor: AuditActor, now: Date
    ) throws(StoreError) -> ErasureRecord {
        let key = try requireAuditKey()
        let record = try StoreRules.erasure(
            requestedAt: requestedAt, filesRewritten: filesRewritten, rowsRemoved: rowsRemoved, keysSuppressed: keysSuppressed,
            deliveriesRewritten: deliveriesRewritten, notices: notices.count, actor: actor, now: now)
        return try write { db in
            try record.insert(db)
            _ = try Self.appendAudit(.erasureRecorded(record, by: actor), key: key, now: now, db: db)
            for draft in notices {
                let notice = try StoreRules.notice(draft, of: record, delivery: try DeliveryRecord.fetchOne(db, key: draft.deliveryID), now: now)
                try notice.insert(db)
                _ = try Self.appendAudit(.noticeCreated(notice, by: actor), key: key, now: now, db: db)
            }
            let forget = try db.makeStatement(sql: "DELETE FROM delivery_contact WHERE kind = ? AND key = ?")
            for recipientKey in recipientKeys {
                try forget.execute(arguments: [recipientKey.kind, Data(recipientKey.key.bytes)])
            }
            return record
        }
    }

    /// Every erasure request carried out, oldest first.
    package func erasures() throws(StoreError) -> [ErasureRecord] {
        try read { db in try ErasureRecord.order(ErasureRecord.Columns.completedAt, ErasureRecord.Columns.id).fetchAll(db) }
    }
}
