package import Foundation
import GRDB
import TrocCore

/// What one firm's stored files take, against its quotas (broker settings).
package struct FirmStorage: Sendable, Hashable {
    /// Files the firm stores.
    package var files: Int
    /// Their plaintext bytes, as listed.
    package var bytes: Int64
    /// Files it may store.
    package var fileQuota: Int
    /// Bytes it may store.
    package var storageQuotaBytes: Int64

    /// What a firm stores, against its quotas.
    package init(files: Int, bytes: Int64, fileQuota: Int, storageQuotaBytes: Int64) {
        self.files = files
        self.bytes = bytes
        self.fileQuota = fileQuota
        self.storageQuotaBytes = storageQuotaBytes
    }

    /// Bytes the firm may still store.
    package var remainingBytes: Int64 { max(0, storageQuotaBytes - bytes) }

    /// Refuses one more file when the firm already stores its quota of files.
    package func admitFile() throws(StoreError) {
        guard files < fileQuota else {
            throw .quotaExceeded(QuotaExcess(kind: .files, limit: Int64(fileQuota), used: Int64(files), requested: 1))
        }
    }

    /// Refuses a file of (at least) `requested` bytes when it does not fit what remains.
    package func admit(bytes requested: Int64) throws(StoreError) {
        guard requested <= remainingBytes else {
            throw .quotaExceeded(QuotaExcess(kind: .storage, limit: storageQuotaBytes, used: bytes, requested: requested))
        }
    }
}

extension AppDatabase {
    /// What `organisationID`'s stored files take, and its quotas.
    package func storage(organisationID: String) throws(StoreError) -> FirmStorage {
        try read { db in try Self.storage(organisationID: organisationID, db: db) }
    }

    /// What `organisationID`'s stored files take, inside a transaction.
    static func storage(organisationID: String, db: Database) throws -> FirmStorage {
        let settings = try settings(db)
        let row = try Row.fetchOne(
            db, sql: "SELECT COUNT(*) AS files, COALESCE(SUM(byteCount), 0) AS bytes FROM file WHERE organisationID = ?", arguments: [organisationID])
        return FirmStorage(
            files: row?["files"] ?? 0, bytes: row?["bytes"] ?? 0, fileQuota: settings.firmFileQuota, storageQuotaBytes: settings.firmStorageQuotaBytes
        )
    }

    /// Deletes a firm's file that no deal refers to, with its blob row, audited; returns it so the caller removes the blob file.
    ///
    /// A partner deletes only its own files (another firm's answers not found). A file attached to a deal, in any state,
    /// is refused: the deal's record and its retention decide when it goes.
    package func deleteUnattachedFile(id: String, actor: AuditActor, now: Date) throws(StoreError) -> FileRecord {
        let key = try requireAuditKey()
        return try write { db in
            guard let file = try FileRecord.fetchOne(db, key: id), actor.role != .partner || file.organisationID == actor.organisationID else {
                throw StoreError.fileNotFound(id: id)
            }
            if let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT deal.id, deal.state FROM deal_file JOIN deal ON deal.id = deal_file.dealID
                    WHERE deal_file.fileID = ? ORDER BY deal.createdAt LIMIT 1
                    """, arguments: [id])
            {
                throw StoreError.fileAttachedToDeal(fileID: id, dealID: row["id"], state: row["state"])
            }
            try file.delete(db)
            try BlobRecord.deleteOne(db, key: file.blobID)
            _ = try Self.appendAudit(.fileDeleted(file, by: actor), key: key, now: now, db: db)
            return file
        }
    }
}
