package import Foundation
import GRDB
import TrocCore

extension AppDatabase {
    /// Most bytes a file name may take, as on common file systems.
    package static let maximumFileNameBytes = 255

    /// Records a blob that `BlobWriter.finish()` stored, on its own (a file's blob goes through `createFile`).
    package func insertBlob(_ stored: StoredBlob, now: Date) throws(StoreError) -> BlobRecord {
        try write { db in
            let blob = BlobRecord(stored, createdAt: Timestamp.stored(now))
            try blob.insert(db)
            return blob
        }
    }

    /// The ids of every blob row.
    package func blobIDs() throws(StoreError) -> Set<String> {
        try read { db in Set(try BlobRecord.select(BlobRecord.Columns.id, as: String.self).fetchAll(db)) }
    }

    /// The blob row with `id`, or nil.
    package func blob(id: String) throws(StoreError) -> BlobRecord? {
        try read { db in try BlobRecord.fetchOne(db, key: id) }
    }

    /// Records an uploaded file and its blob together, in one transaction, with the ingestion report and the report its
    /// firm sees as opaque JSON.
    ///
    /// Refused when the file would take its organisation over a quota, checked in the same transaction.
    package func createFile(
        organisationID: String, blob stored: StoredBlob, name: String, byteCount: Int64, reportJSON: String, partnerReportJSON: String? = nil,
        now: Date
    ) throws(StoreError) -> FileRecord {
        try StoreRules.validateFileName(name)
        try StoreRules.validateReports(reportJSON, partnerReportJSON)
        return try write { db in
            guard try OrganisationRecord.exists(db, key: organisationID) else { throw StoreError.organisationNotFound(id: organisationID) }
            let storage = try Self.storage(organisationID: organisationID, db: db)
            try storage.admitFile()
            try storage.admit(bytes: byteCount)
            let file = FileRecord(
                storing: stored, organisationID: organisationID, name: name, byteCount: byteCount, reportJSON: reportJSON,
                partnerReportJSON: partnerReportJSON, now: now)
            try BlobRecord(stored, createdAt: file.createdAt).insert(db)
            try file.insert(db)
            return file
        }
    }

    /// The file with `id`, or nil.
    package func file(id: String) throws(StoreError) -> FileRecord? {
        try read { db in try FileRecord.fetchOne(db, key: id) }
    }

    /// The files of one organisation, or of all when `organisationID` is nil, oldest first.
    package func files(organisationID: String? = nil) throws(StoreError) -> [FileRecord] {
        try read { db in
            var request = FileRecord.order(FileRecord.Columns.createdAt, FileRecord.Columns.id)
            if let organisationID { request = request.filter(FileRecord.Columns.organisationID == organisationID) }
            return try request.fetchAll(db)
        }
    }

    /// Deletes a file and its blob row in one transaction and returns the file; the caller then removes the blob file.
    ///
    /// Rows go first: a crash in between leaves an unreferenced blob file (harmless), never a row without its file.
    /// A file that a deal still needs (attached, not yet released, not ended) is refused; deals that no longer need it
    /// keep their record of the attachment without the file.
    package func deleteFile(id: String) throws(StoreError) -> FileRecord {
        try write { db in
            guard let file = try FileRecord.fetchOne(db, key: id) else { throw StoreError.fileNotFound(id: id) }
            // Until release the deal reads its source files again (the match, then the deliveries).
            let needing = [DealState.awaitingFiles, .matched, .accepted, .approved].map(\.rawValue)
            if let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT deal.id, deal.state FROM deal_file JOIN deal ON deal.id = deal_file.dealID
                    WHERE deal_file.fileID = ? AND deal.state IN (\(needing.map { _ in "?" }.joined(separator: ", ")))
                    ORDER BY deal.createdAt LIMIT 1
                    """, arguments: StatementArguments([id] + needing))
            {
                throw StoreError.fileInUse(fileID: id, dealID: row["id"], state: row["state"])
            }
            try db.execute(sql: "UPDATE deal_file SET fileID = NULL WHERE fileID = ?", arguments: [id])
            try file.delete(db)
            try BlobRecord.deleteOne(db, key: file.blobID)
            return file
        }
    }
}
