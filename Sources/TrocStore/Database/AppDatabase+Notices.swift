package import Foundation
import GRDB
import TrocCore

/// A delivery whose record of who received whom holds some of a person's keys.
package struct IndexedDelivery: Sendable, Equatable {
    /// The delivery.
    package var delivery: DeliveryRecord
    /// Which of the keys asked for it carried.
    package var keys: [RecipientKey]

    /// `delivery`, which carried `keys`.
    package init(delivery: DeliveryRecord, keys: [RecipientKey]) {
        self.delivery = delivery
        self.keys = keys
    }
}

/// What swapping a delivery's blob found: the old blob to delete, and whether the recipient already had the delivery.
package struct RewrittenDelivery: Sendable, Equatable {
    /// The delivery as it is now.
    package var delivery: DeliveryRecord
    /// The blob it held before, for the caller to delete.
    package var oldBlobID: String
    /// Whether a download had been claimed before the swap: the recipient may hold the old content.
    package var receivedBefore: Bool

    /// What a swap found.
    package init(delivery: DeliveryRecord, oldBlobID: String, receivedBefore: Bool) {
        self.delivery = delivery
        self.oldBlobID = oldBlobID
        self.receivedBefore = receivedBefore
    }
}

extension AppDatabase {
    /// The deliveries whose blob is still held, oldest first: an erasure rewrites each one that carries the person.
    package func heldDeliveries() throws(StoreError) -> [DeliveryRecord] {
        try read { db in
            try DeliveryRecord.filter(DeliveryRecord.Columns.blobID != nil).order(DeliveryRecord.Columns.createdAt, DeliveryRecord.Columns.id)
                .fetchAll(db)
        }
    }

    /// The deliveries that carried any of `keys`, with the keys each carried, oldest first.
    package func deliveriesCarrying(_ keys: [RecipientKey]) throws(StoreError) -> [IndexedDelivery] {
        try read { db in
            var found: [String: [RecipientKey]] = [:]
            let statement = try db.makeStatement(sql: "SELECT deliveryID FROM delivery_contact WHERE kind = ? AND key = ?")
            for recipientKey in keys {
                for deliveryID in try String.fetchAll(statement, arguments: [recipientKey.kind, Data(recipientKey.key.bytes)]) {
                    found[deliveryID, default: []].append(recipientKey)
                }
            }
            return try DeliveryRecord.filter(keys: found.keys).order(DeliveryRecord.Columns.createdAt, DeliveryRecord.Columns.id).fetchAll(db).map {
                IndexedDelivery(delivery: $0, keys: found[$0.id] ?? [])
            }
        }
    }

    /// Swaps a delivery's blob for `newBlob`, a copy without the rows an erasure removed, in one transaction audited
    /// without personal data; refused once the delivery was purged. Tells whether the recipient had already claimed a
    /// download, read in the same transaction, so a download racing the swap is never missed.
    package func replaceDeliveryBlob(
        deliveryID: String, with newBlob: StoredBlob, removedRows: Int, actor: AuditActor, now: Date
    ) throws(StoreError) -> RewrittenDelivery {
        let key = try requireAuditKey()
        try StoreRules.checkRemovedRows(removedRows)
        return try write { db in
            let (delivery, oldBlobID) = try StoreRules.rewriting(
                try DeliveryRecord.fetchOne(db, key: deliveryID), id: deliveryID, with: newBlob, removedRows: removedRows)
            try BlobRecord(newBlob, createdAt: Timestamp.stored(now)).insert(db)
            try db.execute(
                sql: "UPDATE delivery SET blobID = ?, rowCount = ? WHERE id = ?", arguments: [newBlob.id, delivery.rowCount, deliveryID])
            try BlobRecord.deleteOne(db, key: oldBlobID)
            _ = try Self.appendAudit(.deliveryRewritten(delivery, removedRows: removedRows, by: actor), key: key, now: now, db: db)
            return RewrittenDelivery(delivery: delivery, oldBlobID: oldBlobID, receivedBefore: delivery.firstDownloadedAt != nil)
        }
    }

    /// The notices of one firm, or of every firm when `organisationID` is nil (operators), newest first.
    package func notices(organisationID: String?) throws(StoreError) -> [NoticeRecord] {
        try read { db in
            var request = NoticeRecord.order(NoticeRecord.Columns.createdAt.desc, NoticeRecord.Columns.id)
            if let organisationID { request = request.filter(NoticeRecord.Columns.organisationID == organisationID) }
            return try request.fetchAll(db)
        }
    }

    /// The firm's acknowledgement of a notice it received, audited; the sealed content is dropped, as the firm has it.
    /// A notice to another firm is refused as not found; acknowledging again changes nothing.
    package func acknowledgeNotice(id: String, actor: AuditActor, now: Date) throws(StoreError) -> NoticeRecord {
        let key = try requireAuditKey()
        return try write { db in
            let (notice, changed) = try StoreRules.acknowledging(try NoticeRecord.fetchOne(db, key: id), id: id, by: actor, now: now)
            guard changed else { return notice }
            try notice.update(db)
            _ = try Self.appendAudit(.noticeAcknowledged(notice, by: actor), key: key, now: now, db: db)
            return notice
        }
    }
}
