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
                AuditDraft(
                    action: .suppressionAdd, actor: actor,
                    detail: ["source": .string(source.rawValue), "submitted": AuditValue(entries.count), "added": AuditValue(added)]), key: key,
                now: now, db: db)
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
    /// returns the old blob's id for the caller to delete; refused once a deal the file fed was released.
    ///
    /// `reportJSON`, when given, replaces the ingestion report, whose counts included the removed rows.
    package func replaceFileBlob(
        fileID: String, with newBlob: StoredBlob, removedRows: Int, reportJSON: String? = nil, actor: AuditActor, now: Date
    ) throws(StoreError) -> String {
        let key = try requireAuditKey()
        guard removedRows >= 0 else {
            throw .invalidField(field: "removedRows", value: String(removedRows), reason: "a count of rows cannot be negative")
        }
        return try write { db in
            guard var file = try FileRecord.fetchOne(db, key: fileID) else { throw StoreError.fileNotFound(id: fileID) }
            if let dealID = try String.fetchOne(
                db,
                sql: """
                    SELECT deal.id FROM deal_file JOIN deal ON deal.id = deal_file.dealID
                    WHERE deal_file.fileID = ? AND deal.releasedAt IS NOT NULL ORDER BY deal.releasedAt LIMIT 1
                    """, arguments: [fileID])
            {
                throw StoreError.fileReleased(fileID: fileID, dealID: dealID)
            }
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
            _ = try Self.appendAudit(
                AuditDraft(
                    action: .fileRewrite, actor: actor, organisationID: file.organisationID,
                    detail: ["fileID": .string(fileID), "removedRows": AuditValue(removedRows)]), key: key, now: now, db: db)
            return oldBlobID
        }
    }

    /// Records an erasure request once carried out: counts only, never who asked.
    package func recordErasure(
        requestedAt: Date, filesRewritten: Int, rowsRemoved: Int, keysSuppressed: Int, actor: AuditActor, now: Date
    ) throws(StoreError) -> ErasureRecord {
        let key = try requireAuditKey()
        for (field, value) in [("filesRewritten", filesRewritten), ("rowsRemoved", rowsRemoved), ("keysSuppressed", keysSuppressed)] where value < 0 {
            throw .invalidField(field: field, value: String(value), reason: "a count cannot be negative")
        }
        guard Timestamp.seconds(requestedAt) <= Timestamp.seconds(now) else {
            throw .invalidField(field: "requestedAt", value: requestedAt.ISO8601Format(), reason: "a request cannot be made after it was carried out")
        }
        return try write { db in
            let record = ErasureRecord(
                id: RecordID.make(RecordID.erasure), requestedAt: Timestamp.stored(requestedAt), completedAt: Timestamp.stored(now),
                filesRewritten: filesRewritten, rowsRemoved: rowsRemoved, keysSuppressed: keysSuppressed, actorUserID: actor.userID)
            try record.insert(db)
            _ = try Self.appendAudit(
                AuditDraft(
                    action: .erasureRequest, actor: actor,
                    detail: [
                        "erasureID": .string(record.id), "filesRewritten": AuditValue(filesRewritten), "rowsRemoved": AuditValue(rowsRemoved),
                        "keysSuppressed": AuditValue(keysSuppressed),
                    ]), key: key, now: now, db: db)
            return record
        }
    }

    /// Every erasure request carried out, oldest first.
    package func erasures() throws(StoreError) -> [ErasureRecord] {
        try read { db in try ErasureRecord.order(Column("completedAt"), Column("id")).fetchAll(db) }
    }
}
