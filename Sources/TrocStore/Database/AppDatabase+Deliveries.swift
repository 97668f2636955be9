package import Foundation
import GRDB

extension AppDatabase {
    /// Grants one download of a delivery to its recipient, the actor's organisation, in one transaction: refuses another
    /// organisation (as not found), a purged or expired delivery, one with no key to seal to and one with no downloads
    /// left; otherwise counts the download and audits it.
    ///
    /// The delivery is sealed to the key bound at release. One released to a firm that had no key then is bound here, to
    /// the firm's first key: any later key is an approved change, so a token alone cannot redirect a delivery.
    package func claimDownload(deliveryID: String, actor: AuditActor, now: Date) throws(StoreError) -> ClaimedDownload {
        let key = try requireAuditKey()
        return try write { db in
            let (delivery, blobID) = try StoreRules.downloadable(
                try DeliveryRecord.fetchOne(db, key: deliveryID), deliveryID: deliveryID, by: actor, now: now)
            var claimed = delivery
            if claimed.recipientKeyPEM == nil {
                _ = try Self.settleKeyChanges(now: now, key: key, db: db)
                let recipient = try OrganisationRecord.find(db, key: delivery.recipientID)
                guard let pem = recipient.publicKeyPEM, let fingerprint = recipient.publicKeyFingerprint else {
                    throw StoreError.account(.deliveryKeyMissing(organisationID: recipient.id))
                }
                claimed.recipientKeyPEM = pem
                claimed.recipientKeyFingerprint = fingerprint
                try claimed.update(db, columns: [DeliveryRecord.Columns.recipientKeyPEM, DeliveryRecord.Columns.recipientKeyFingerprint])
            }
            // The decrement is guarded too, so the count can never go below zero whatever runs beside it.
            try db.execute(
                sql: """
                    UPDATE delivery SET downloadsRemaining = downloadsRemaining - 1, firstDownloadedAt = coalesce(firstDownloadedAt, ?)
                    WHERE id = ? AND downloadsRemaining > 0
                    """,
                arguments: [Timestamp.seconds(now), deliveryID])
            guard db.changesCount == 1 else { throw StoreError.deliveryExhausted(id: deliveryID) }
            claimed.downloadsRemaining -= 1
            claimed.firstDownloadedAt = claimed.firstDownloadedAt ?? Timestamp.stored(now)
            _ = try Self.appendAudit(.deliveryDownloaded(claimed, by: actor), key: key, now: now, db: db)
            return ClaimedDownload(delivery: claimed, blob: try BlobRecord.find(db, key: blobID))
        }
    }

    /// The delivery with `id`, or nil.
    package func delivery(id: String) throws(StoreError) -> DeliveryRecord? {
        try read { db in try DeliveryRecord.fetchOne(db, key: id) }
    }

    /// The deliveries of a deal, or only those to `recipientID`.
    package func deliveries(dealID: String, recipientID: String? = nil) throws(StoreError) -> [DeliveryRecord] {
        try read { db in
            var request = DeliveryRecord.filter(DeliveryRecord.Columns.dealID == dealID)
            if let recipientID { request = request.filter(DeliveryRecord.Columns.recipientID == recipientID) }
            return try request.order(DeliveryRecord.Columns.recipientID).fetchAll(db)
        }
    }
}

extension AppDatabase {
    /// Purges deliveries that can no longer be downloaded (expired, or no downloads left) before their deal
    /// closes: rows first, in one transaction; the caller then deletes the returned blob files.
    package func purgeSpentDeliveries(now: Date) throws(StoreError) -> [String] {
        let key = try requireAuditKey()
        return try write { db in
            let spent = try DeliveryRecord.filter(DeliveryRecord.Columns.blobID != nil)
                .filter(DeliveryRecord.Columns.expiresAt <= Timestamp.seconds(now) || DeliveryRecord.Columns.downloadsRemaining == 0).fetchAll(db)
            var purged: [String] = []
            for delivery in spent {
                guard let blobID = delivery.blobID else { continue }
                try db.execute(sql: "UPDATE delivery SET blobID = NULL, purgedAt = ? WHERE id = ?", arguments: [Timestamp.seconds(now), delivery.id])
                try BlobRecord.deleteOne(db, key: blobID)
                purged.append(blobID)
                _ = try Self.appendAudit(.deliveryPurged(delivery), key: key, now: now, db: db)
            }
            return purged
        }
    }
}
