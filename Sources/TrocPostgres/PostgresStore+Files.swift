package import Foundation
import PostgresNIO
import TrocCore
package import TrocStore

extension PostgresStore {
    /// Records an uploaded file and its blob together, in one transaction, with the ingestion report and the report its
    /// firm sees as opaque JSON.
    ///
    /// Refused when the file would take its organisation over a quota, checked in the same transaction under the
    /// organisation's row lock: two instances storing files of one firm at once count one after the other.
    package func createFile(
        organisationID: String, blob stored: StoredBlob, name: String, byteCount: Int64, reportJSON: String, partnerReportJSON: String?, now: Date
    ) async throws(StoreError) -> FileRecord {
        try StoreRules.validateFileName(name)
        try StoreRules.validateReports(reportJSON, partnerReportJSON)
        return try await transaction { connection in
            guard try await organisation(where: #""id" = \#(organisationID) FOR UPDATE"#, on: connection) != nil else {
                throw StoreError.organisationNotFound(id: organisationID)
            }
            let storage = try await storage(organisationID: organisationID, on: connection)
            try storage.admitFile()
            try storage.admit(bytes: byteCount)
            let file = FileRecord(
                storing: stored, organisationID: organisationID, name: name, byteCount: byteCount, reportJSON: reportJSON,
                partnerReportJSON: partnerReportJSON, now: now)
            try await insert(BlobRecord(stored, createdAt: file.createdAt), on: connection)
            try await connection.query(
                #"""
                INSERT INTO "file" ("id", "organisationID", "blobID", "name", "byteCount", "report", "createdAt", "partnerReport")
                VALUES (\#(file.id), \#(file.organisationID), \#(file.blobID), \#(file.name), \#(file.byteCount), \#(file.report),
                    \#(Timestamp.seconds(file.createdAt)), \#(file.partnerReport))
                """#, logger: logger)
            return file
        }
    }

    /// The file with `id`, or nil.
    package func file(id: String) async throws(StoreError) -> FileRecord? {
        try await withConnection { connection in try await files(where: #""id" = \#(id)"#, on: connection).first }
    }

    /// The files of one organisation, or of all when `organisationID` is nil, oldest first.
    package func files(organisationID: String?) async throws(StoreError) -> [FileRecord] {
        try await withConnection { connection in
            if let organisationID {
                return try await files(where: #""organisationID" = \#(organisationID) ORDER BY "createdAt", "id" COLLATE "C""#, on: connection)
            }
            return try await files(where: #"TRUE ORDER BY "createdAt", "id" COLLATE "C""#, on: connection)
        }
    }

    /// The blob row with `id`, or nil.
    package func blob(id: String) async throws(StoreError) -> BlobRecord? {
        try await withConnection { connection in try await blob(id: id, on: connection) }
    }

    /// The blob row with `id` read on `connection`, or nil.
    func blob(id: String, on connection: PostgresConnection) async throws -> BlobRecord? {
        try await select("blob", where: #""id" = \#(id)"#, on: connection) { columns throws(StoreError) in try columns.blob() }.first
    }

    /// The ids of every blob row.
    package func blobIDs() async throws(StoreError) -> Set<String> {
        try await withConnection { connection in
            var ids: Set<String> = []
            for try await (id) in try await connection.query(#"SELECT "id" FROM "blob""#, logger: logger).decode(String.self) { ids.insert(id) }
            return ids
        }
    }

    /// What `organisationID`'s stored files take, and its quotas.
    package func storage(organisationID: String) async throws(StoreError) -> FirmStorage {
        try await withConnection { connection in try await storage(organisationID: organisationID, on: connection) }
    }

    /// Deletes a firm's file that no deal refers to, with its blob row, audited; returns it so the caller removes the blob file.
    ///
    /// A partner deletes only its own files (another firm's answers not found). A file attached to a deal, in any state,
    /// is refused: the deal's record and its retention decide when it goes. The file's row is locked first, so that a
    /// deal attaching it on another instance waits for the deletion and then finds no file.
    package func deleteUnattachedFile(id: String, actor: AuditActor, now: Date) async throws(StoreError) -> FileRecord {
        let key = try requireAuditKey()
        return try await transaction { connection in
            let locked = try await files(where: #""id" = \#(id) FOR UPDATE"#, on: connection).first
            guard let file = locked, actor.role != .partner || file.organisationID == actor.organisationID else {
                throw StoreError.fileNotFound(id: id)
            }
            let attached = try await connection.query(
                #"""
                SELECT "deal"."id", "deal"."state" FROM "deal_file" JOIN "deal" ON "deal"."id" = "deal_file"."dealID"
                WHERE "deal_file"."fileID" = \#(id) ORDER BY "deal"."createdAt" LIMIT 1
                """#, logger: logger)
            for try await row in attached {
                let columns = PostgresColumns(row)
                throw StoreError.fileAttachedToDeal(fileID: id, dealID: try columns.value("id"), state: try columns.raw("state"))
            }
            try await connection.query(#"DELETE FROM "file" WHERE "id" = \#(id)"#, logger: logger)
            try await connection.query(#"DELETE FROM "blob" WHERE "id" = \#(file.blobID)"#, logger: logger)
            try await PostgresAuditTrail.append(.fileDeleted(file, by: actor), key: key, now: now, on: connection, logger: logger)
            return file
        }
    }

    /// Records a blob stored whole.
    func insert(_ blob: BlobRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            #"""
            INSERT INTO "blob" ("id", "wrappedKey", "masterKeyID", "plaintextByteCount", "storedByteCount", "createdAt")
            VALUES (\#(blob.id), \#(blob.wrappedKey), \#(blob.masterKeyID), \#(blob.plaintextByteCount), \#(blob.storedByteCount),
                \#(Timestamp.seconds(blob.createdAt)))
            """#, logger: logger)
    }

    /// What `organisationID`'s stored files take against the quotas in force, read on `connection`.
    func storage(organisationID: String, on connection: PostgresConnection) async throws -> FirmStorage {
        let settings = try await settingsRow(on: connection, locking: false).settings
        let rows = try await connection.query(
            #"SELECT count(*), COALESCE(sum("byteCount"), 0)::bigint FROM "file" WHERE "organisationID" = \#(organisationID)"#, logger: logger)
        var (files, bytes) = (0, Int64(0))
        for try await (count, sum) in rows.decode((Int, Int64).self) { (files, bytes) = (count, sum) }
        return FirmStorage(files: files, bytes: bytes, fileQuota: settings.firmFileQuota, storageQuotaBytes: settings.firmStorageQuotaBytes)
    }

    /// The files `condition` selects, in its order.
    func files(where condition: PostgresQuery, on connection: PostgresConnection) async throws -> [FileRecord] {
        try await select("file", where: condition, on: connection) { columns throws(StoreError) in try columns.file() }
    }
}

extension PostgresStore: FileStore {}
