package import Foundation
import NIOCore
import PostgresNIO
package import TrocCore
package import TrocStore

/// The suppression list, erasures, the notices they send and the retention purge of files, in PostgreSQL: the rest of
/// `PrivacyStore` (match holds are with the deal listings).
///
/// A rewrite locks the row it swaps a blob in (the file's, the delivery's), so that a download, a purge or another
/// rewrite on another instance waits and then reads the new blob; the purge of expired files takes its files with
/// `FOR UPDATE SKIP LOCKED`, so that instances share the duty and a file being attached elsewhere is left for later.
extension PostgresStore {
    /// Keys per statement when many are written at once (an opposition list holds millions, a delivery one per contact).
    static let keysPerStatement = 10_000

    /// Adds keys to the suppression list, ignoring those already on it, and audits the counts; returns how many were new.
    package func addSuppressions(
        _ entries: [(MatchKeyKind, MatchKey)], source: SuppressionSource, actor: AuditActor, now: Date
    ) async throws(StoreError) -> Int {
        let key = try requireAuditKey()
        return try await transaction { connection in
            var added = 0
            var start = 0
            while start < entries.count {
                let chunk = entries[start..<min(start + Self.keysPerStatement, entries.count)]
                let (kinds, keys) = Self.columns(chunk.lazy.map { RecipientKey(kind: $0.0, key: $0.1) })
                let rows = try await connection.query(
                    #"""
                    INSERT INTO "suppression" ("kind", "key", "source", "addedAt")
                    SELECT "kind", "key", \#(source.rawValue), \#(Timestamp.seconds(now)) FROM unnest(\#(kinds)::text[], \#(keys)::bytea[]) AS "new"("kind", "key")
                    ON CONFLICT DO NOTHING RETURNING 1
                    """#, logger: logger
                ).collect()
                added += rows.count
                start += Self.keysPerStatement
            }
            try await PostgresAuditTrail.append(
                .suppressionsAdded(source: source, submitted: entries.count, added: added, by: actor), key: key, now: now, on: connection,
                logger: logger)
            return added
        }
    }

    /// Every suppressed key, for the engine's `SuppressionList(entries:)`.
    package func suppressionEntries() async throws(StoreError) -> [(MatchKeyKind, MatchKey)] {
        try await withConnection { connection in
            var entries: [(MatchKeyKind, MatchKey)] = []
            let rows = try await connection.query(#"SELECT "kind", "key" FROM "suppression""#, logger: logger)
            for try await (kind, key) in rows.decode((String, ByteBuffer).self) {
                entries.append((try Self.kind(kind), MatchKey(digest: Array(key.readableBytesView))))
            }
            return entries
        }
    }

    /// How many keys are suppressed.
    package func suppressionCount() async throws(StoreError) -> Int {
        try await withConnection { connection in
            try await count(#"SELECT count(*) FROM "suppression""#, on: connection)
        }
    }

    /// Swaps a stored file's blob for `newBlob`, a copy without the rows an erasure removed, in one transaction, and
    /// returns the old blob's id for the caller to delete. Files of released deals too: an erasure reaches every file held.
    ///
    /// `reportJSON`, when given, replaces the ingestion report, whose counts included the removed rows.
    package func replaceFileBlob(
        fileID: String, with newBlob: StoredBlob, removedRows: Int, reportJSON: String?, actor: AuditActor, now: Date
    ) async throws(StoreError) -> String {
        let key = try requireAuditKey()
        try StoreRules.checkRemovedRows(removedRows)
        if let reportJSON, !StoreRules.isJSON(reportJSON) {
            throw .invalidField(field: "report", value: String(reportJSON.prefix(40)), reason: "the ingestion report is not valid JSON")
        }
        return try await transaction { connection in
            guard var file = try await files(where: #""id" = \#(fileID) FOR UPDATE"#, on: connection).first else {
                throw StoreError.fileNotFound(id: fileID)
            }
            let oldBlobID = file.blobID
            try await insert(BlobRecord(newBlob, createdAt: Timestamp.stored(now)), on: connection)
            file.blobID = newBlob.id
            file.byteCount = newBlob.plaintextByteCount
            if let reportJSON { file.report = reportJSON }
            try await connection.query(
                #"""
                UPDATE "file" SET "blobID" = \#(file.blobID), "byteCount" = \#(file.byteCount), "report" = \#(file.report) WHERE "id" = \#(fileID)
                """#, logger: logger)
            try await connection.query(#"DELETE FROM "blob" WHERE "id" = \#(oldBlobID)"#, logger: logger)
            try await PostgresAuditTrail.append(
                .fileRewritten(file, removedRows: removedRows, by: actor), key: key, now: now, on: connection, logger: logger)
            return oldBlobID
        }
    }

    /// Records an erasure request once carried out, in one transaction: the counts (never who was erased), a notice to
    /// each firm that had received the person, and the person's keys taken out of the record of who received whom.
    package func recordErasure(
        requestedAt: Date, filesRewritten: Int, rowsRemoved: Int, keysSuppressed: Int, deliveriesRewritten: Int, notices: [NoticeDraft],
        forgetting recipientKeys: [RecipientKey], actor: AuditActor, now: Date
    ) async throws(StoreError) -> ErasureRecord {
        let key = try requireAuditKey()
        let record = try StoreRules.erasure(
            requestedAt: requestedAt, filesRewritten: filesRewritten, rowsRemoved: rowsRemoved, keysSuppressed: keysSuppressed,
            deliveriesRewritten: deliveriesRewritten, notices: notices.count, actor: actor, now: now)
        return try await transaction { connection in
            try await connection.query(
                #"""
                INSERT INTO "erasure" ("id", "requestedAt", "completedAt", "filesRewritten", "rowsRemoved", "keysSuppressed", "actorUserID",
                    "deliveriesRewritten", "noticesRecorded")
                VALUES (\#(record.id), \#(Timestamp.seconds(record.requestedAt)), \#(Timestamp.seconds(record.completedAt)),
                    \#(record.filesRewritten), \#(record.rowsRemoved), \#(record.keysSuppressed), \#(record.actorUserID),
                    \#(record.deliveriesRewritten), \#(record.noticesRecorded))
                """#, logger: logger)
            try await PostgresAuditTrail.append(.erasureRecorded(record, by: actor), key: key, now: now, on: connection, logger: logger)
            for draft in notices {
                let delivery = try await deliveries(where: #""id" = \#(draft.deliveryID)"#, on: connection).first
                let notice = try StoreRules.notice(draft, of: record, delivery: delivery, now: now)
                try await connection.query(
                    #"""
                    INSERT INTO "notice" ("id", "erasureID", "organisationID", "dealID", "deliveryID", "createdAt", "sealed", "keyFingerprint")
                    VALUES (\#(notice.id), \#(notice.erasureID), \#(notice.organisationID), \#(notice.dealID), \#(notice.deliveryID),
                        \#(Timestamp.seconds(notice.createdAt)), \#(notice.sealed), \#(notice.keyFingerprint))
                    """#, logger: logger)
                try await PostgresAuditTrail.append(.noticeCreated(notice, by: actor), key: key, now: now, on: connection, logger: logger)
            }
            let (kinds, keys) = Self.columns(recipientKeys)
            try await connection.query(
                #"""
                DELETE FROM "delivery_contact" WHERE ("kind", "key") IN (SELECT * FROM unnest(\#(kinds)::text[], \#(keys)::bytea[]))
                """#, logger: logger)
            return record
        }
    }

    /// Every erasure request carried out, oldest first.
    package func erasures() async throws(StoreError) -> [ErasureRecord] {
        try await withConnection { connection in
            try await select("erasure", where: #"TRUE ORDER BY "completedAt", "id" COLLATE "C""#, on: connection) { columns throws(StoreError) in
                try columns.erasure()
            }
        }
    }

    /// The deliveries whose blob is still held, oldest first: an erasure rewrites each one that carries the person.
    package func heldDeliveries() async throws(StoreError) -> [DeliveryRecord] {
        try await withConnection { connection in
            try await deliveries(where: #""blobID" IS NOT NULL ORDER BY "createdAt", "id" COLLATE "C""#, on: connection)
        }
    }

    /// The deliveries that carried any of `keys`, with the keys each carried (in the order asked), oldest first.
    package func deliveriesCarrying(_ keys: [RecipientKey]) async throws(StoreError) -> [IndexedDelivery] {
        try await withConnection { connection in
            var found: [String: [RecipientKey]] = [:]
            for recipientKey in keys {
                let rows = try await connection.query(
                    #"""
                    SELECT "deliveryID" FROM "delivery_contact" WHERE "kind" = \#(recipientKey.kind.name) AND "key" = \#(Data(recipientKey.key.bytes))
                    """#, logger: logger)
                for try await deliveryID in rows.decode(String.self) { found[deliveryID, default: []].append(recipientKey) }
            }
            let carrying = try await deliveries(
                where: #""id" = ANY(\#(Array(found.keys))) ORDER BY "createdAt", "id" COLLATE "C""#, on: connection)
            return carrying.map { IndexedDelivery(delivery: $0, keys: found[$0.id] ?? []) }
        }
    }

    /// Swaps a delivery's blob for `newBlob`, a copy without the rows an erasure removed, in one transaction audited
    /// without personal data; refused once the delivery was purged. Tells whether the recipient had already claimed a
    /// download: the delivery's row is locked, so a download racing the swap on another instance is either counted here
    /// or waits and then reads the new blob.
    package func replaceDeliveryBlob(
        deliveryID: String, with newBlob: StoredBlob, removedRows: Int, actor: AuditActor, now: Date
    ) async throws(StoreError) -> RewrittenDelivery {
        let key = try requireAuditKey()
        try StoreRules.checkRemovedRows(removedRows)
        return try await transaction { connection in
            let (delivery, oldBlobID) = try StoreRules.rewriting(
                try await deliveries(where: #""id" = \#(deliveryID) FOR UPDATE"#, on: connection).first, id: deliveryID, with: newBlob,
                removedRows: removedRows)
            try await insert(BlobRecord(newBlob, createdAt: Timestamp.stored(now)), on: connection)
            try await connection.query(
                #"UPDATE "delivery" SET "blobID" = \#(newBlob.id), "rowCount" = \#(delivery.rowCount) WHERE "id" = \#(deliveryID)"#, logger: logger)
            try await connection.query(#"DELETE FROM "blob" WHERE "id" = \#(oldBlobID)"#, logger: logger)
            try await PostgresAuditTrail.append(
                .deliveryRewritten(delivery, removedRows: removedRows, by: actor), key: key, now: now, on: connection, logger: logger)
            return RewrittenDelivery(delivery: delivery, oldBlobID: oldBlobID, receivedBefore: delivery.firstDownloadedAt != nil)
        }
    }

    /// The notices of one firm, or of every firm when `organisationID` is nil (operators), newest first.
    package func notices(organisationID: String?) async throws(StoreError) -> [NoticeRecord] {
        try await withConnection { connection in
            if let organisationID {
                return try await notices(
                    where: #""organisationID" = \#(organisationID) ORDER BY "createdAt" DESC, "id" COLLATE "C""#, on: connection)
            }
            return try await notices(where: #"TRUE ORDER BY "createdAt" DESC, "id" COLLATE "C""#, on: connection)
        }
    }

    /// The firm's acknowledgement of a notice it received, audited; the sealed content is dropped, as the firm has it.
    /// A notice to another firm is refused as not found; acknowledging again changes nothing.
    package func acknowledgeNotice(id: String, actor: AuditActor, now: Date) async throws(StoreError) -> NoticeRecord {
        let key = try requireAuditKey()
        return try await transaction { connection in
            let stored = try await notices(where: #""id" = \#(id) FOR UPDATE"#, on: connection).first
            let (notice, changed) = try StoreRules.acknowledging(stored, id: id, by: actor, now: now)
            guard changed else { return notice }
            try await connection.query(
                #"""
                UPDATE "notice" SET "acknowledgedAt" = \#(notice.acknowledgedAt.map(Timestamp.seconds)), "acknowledgedBy" = \#(notice.acknowledgedBy),
                    "sealed" = NULL
                WHERE "id" = \#(id)
                """#, logger: logger)
            try await PostgresAuditTrail.append(.noticeAcknowledged(notice, by: actor), key: key, now: now, on: connection, logger: logger)
            return notice
        }
    }

    /// Purges every stored file no deal needs any longer, in one transaction with an audit entry each: a file a deal
    /// still awaits or is matching (proposed, awaiting files, matched, accepted, approved) stays; a file of a released
    /// deal stays until the dispute window after its release ends; a file whose deals all ended unreleased goes at once;
    /// a file in no deal goes once the allowed days after its upload have passed. Rows go first; the caller then deletes
    /// the blobs.
    package func purgeExpiredFiles(now: Date) async throws(StoreError) -> [PurgedFile] {
        let key = try requireAuditKey()
        return try await transaction { connection in
            let settings = try await settingsRow(on: connection, locking: false).settings
            let nowSeconds = Timestamp.seconds(now)
            let releasedBefore = nowSeconds - Int64(settings.disputeWindowDays) * 86_400
            let uploadedBefore = nowSeconds - Int64(settings.unattachedFileDays) * 86_400
            let needing = [DealState.proposed, .awaitingFiles, .matched, .accepted, .approved].map(\.rawValue)
            let rows = try await connection.query(
                #"""
                SELECT "file"."id", "file"."organisationID", "file"."blobID",
                    EXISTS (SELECT 1 FROM "deal_file" WHERE "deal_file"."fileID" = "file"."id"),
                    EXISTS (SELECT 1 FROM "deal_file" JOIN "deal" ON "deal"."id" = "deal_file"."dealID"
                            WHERE "deal_file"."fileID" = "file"."id" AND "deal"."releasedAt" IS NOT NULL)
                FROM "file"
                WHERE NOT EXISTS (
                    SELECT 1 FROM "deal_file" JOIN "deal" ON "deal"."id" = "deal_file"."dealID"
                    WHERE "deal_file"."fileID" = "file"."id" AND ("deal"."state" = ANY(\#(needing)) OR "deal"."releasedAt" > \#(releasedBefore)))
                AND (EXISTS (SELECT 1 FROM "deal_file" WHERE "deal_file"."fileID" = "file"."id") OR "file"."createdAt" <= \#(uploadedBefore))
                ORDER BY "file"."createdAt", "file"."id" COLLATE "C"
                FOR UPDATE OF "file" SKIP LOCKED
                """#, logger: logger
            ).collect()
            var purged: [PurgedFile] = []
            for row in rows {
                let (fileID, organisationID, blobID, attached, released) = try row.decode((String, String, String, Bool, Bool).self)
                let file = PurgedFile(
                    fileID: fileID, organisationID: organisationID, blobID: blobID, rule: FilePurgeRule(attached: attached, released: released))
                // Deals that no longer need the file keep their record of the attachment, without the file.
                try await connection.query(#"UPDATE "deal_file" SET "fileID" = NULL WHERE "fileID" = \#(fileID)"#, logger: logger)
                try await connection.query(#"DELETE FROM "file" WHERE "id" = \#(fileID)"#, logger: logger)
                try await connection.query(#"DELETE FROM "blob" WHERE "id" = \#(blobID)"#, logger: logger)
                try await PostgresAuditTrail.append(.filePurged(file), key: key, now: now, on: connection, logger: logger)
                purged.append(file)
            }
            return purged
        }
    }

    /// The notices `condition` selects, in its order.
    private func notices(where condition: PostgresQuery, on connection: PostgresConnection) async throws -> [NoticeRecord] {
        try await select("notice", where: condition, on: connection) { columns throws(StoreError) in try columns.notice() }
    }

    /// `keys` as two parallel columns, kinds by name and keys as bytes, for `unnest`.
    static func columns(_ keys: some Collection<RecipientKey>) -> (kinds: [String], keys: [ByteBuffer]) {
        (keys.map(\.kind.name), keys.map { ByteBuffer(bytes: $0.key.bytes) })
    }

    /// The kind of key stored by `name`.
    static func kind(_ name: String) throws(StoreError) -> MatchKeyKind {
        guard let kind = MatchKeyKind.allCases.first(where: { $0.name == name }) else {
            throw .database("PostgreSQL: \(name) is not a kind of key")
        }
        return kind
    }
}

extension PostgresStore: PrivacyStore {}
