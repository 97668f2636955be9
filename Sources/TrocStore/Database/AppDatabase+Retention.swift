package import Foundation
import GRDB
import TrocCore

/// Why a stored file was purged (docs/RULES.md "Erasure, retention, provenance"; GDPR art. 5(1)(e)).
package enum FilePurgeRule: String, Sendable, Hashable, CaseIterable {
    /// Its deal was released and the dispute window that followed has ended.
    case disputeWindowEnded = "dispute-window-ended"
    /// Every deal it was attached to ended unreleased: declined, rejected, cancelled or expired.
    case dealEnded = "deal-ended"
    /// It was attached to no deal for the allowed number of days after upload.
    case unattached
}

/// A file the retention rules purged; the caller deletes its blob file.
package struct PurgedFile: Sendable, Hashable {
    /// The file.
    package var fileID: String
    /// Its owner.
    package var organisationID: String
    /// The blob whose row is gone and whose file the caller deletes.
    package var blobID: String
    /// The rule that purged it.
    package var rule: FilePurgeRule

    /// File `fileID` of `organisationID`, whose blob `blobID` goes, purged by `rule`.
    package init(fileID: String, organisationID: String, blobID: String, rule: FilePurgeRule) {
        self.fileID = fileID
        self.organisationID = organisationID
        self.blobID = blobID
        self.rule = rule
    }
}

extension AppDatabase {
    /// Purges every stored file no deal needs any longer, in one transaction with an audit entry each: a file a deal
    /// still awaits or is matching (awaiting files, matched, accepted, approved) stays; a file of a released deal stays
    /// until the dispute window after its release ends; a file whose deals all ended unreleased goes at once; a file in
    /// no deal goes once the allowed days after its upload have passed. Rows go first; the caller then deletes the blobs.
    package func purgeExpiredFiles(now: Date) throws(StoreError) -> [PurgedFile] {
        let key = try requireAuditKey()
        return try write { db in
            let settings = try Self.settings(db)
            let nowSeconds = Timestamp.seconds(now)
            let releasedBefore = nowSeconds - Int64(settings.disputeWindowDays) * 86_400
            let uploadedBefore = nowSeconds - Int64(settings.unattachedFileDays) * 86_400
            let needing = [DealState.proposed, .awaitingFiles, .matched, .accepted, .approved].map(\.rawValue)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT file.id, file.organisationID, file.blobID,
                        EXISTS (SELECT 1 FROM deal_file WHERE deal_file.fileID = file.id) AS attached,
                        EXISTS (SELECT 1 FROM deal_file JOIN deal ON deal.id = deal_file.dealID
                                WHERE deal_file.fileID = file.id AND deal.releasedAt IS NOT NULL) AS released
                    FROM file
                    WHERE NOT EXISTS (
                        SELECT 1 FROM deal_file JOIN deal ON deal.id = deal_file.dealID
                        WHERE deal_file.fileID = file.id
                        AND (deal.state IN (\(needing.map { _ in "?" }.joined(separator: ", "))) OR deal.releasedAt > ?))
                    AND (EXISTS (SELECT 1 FROM deal_file WHERE deal_file.fileID = file.id) OR file.createdAt <= ?)
                    ORDER BY file.createdAt, file.id
                    """, arguments: StatementArguments(needing) + [releasedBefore, uploadedBefore])
            return try rows.map { row in
                let rule = FilePurgeRule(attached: row["attached"], released: row["released"])
                let purged = PurgedFile(fileID: row["id"], organisationID: row["organisationID"], blobID: row["blobID"], rule: rule)
                // Deals that no longer need the file keep their record of the attachment, without the file.
                try db.execute(sql: "UPDATE deal_file SET fileID = NULL WHERE fileID = ?", arguments: [purged.fileID])
                try db.execute(sql: "DELETE FROM file WHERE id = ?", arguments: [purged.fileID])
                try BlobRecord.deleteOne(db, key: purged.blobID)
                _ = try Self.appendAudit(.filePurged(purged), key: key, now: now, db: db)
                return purged
            }
        }
    }
}
