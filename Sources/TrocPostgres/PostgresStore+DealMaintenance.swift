package import Foundation
import PostgresNIO
import TrocCore
package import TrocStore

/// What the maintenance duties and the downloads do to deals in PostgreSQL: expiry, spent deliveries and the grant of
/// one download. Closing a deal at the end of retention comes with the invoices, which it follows.
///
/// A duty may run on every instance at once: each selects its rows with `FOR UPDATE SKIP LOCKED`, so two instances
/// share the work rather than do it twice, and each row's change is guarded by what was read.
extension PostgresStore {
    /// Ends every deal not released whose expiry has come: → `expired`, one audit entry each, all in one transaction.
    package func expireStalledDeals(now: Date) async throws(StoreError) -> [DealRecord] {
        let key = try requireAuditKey()
        return try await transaction { connection in
            let states = DealTransition.expire.from.map(\.rawValue)
            let stalled = try await deals(
                where: #"""
                    "state" = ANY(\#(states)) AND "expiresAt" <= \#(Timestamp.seconds(now)) ORDER BY "expiresAt", "id" COLLATE "C" FOR UPDATE SKIP LOCKED
                    """#, on: connection)
            let settings = try await settingsRow(on: connection, locking: false).settings
            var expired: [DealRecord] = []
            for deal in stalled {
                var moved = deal
                moved.move(.expire, now: now, settings: settings)
                try await writeDeal(moved, leaving: deal.state, by: .expire, on: connection)
                try await PostgresAuditTrail.append(
                    .dealMoved(.expire, moved, from: deal.state, by: .system, reason: nil), key: key, now: now, on: connection, logger: logger)
                expired.append(moved)
            }
            return expired
        }
    }

    /// The deals the maintenance pass may have to finish by `now`: released ones (a crash may have left their invoices
    /// unissued) and invoiced ones whose retention may have run out (a month is at least 28 days).
    package func dealsDueForMaintenance(now: Date) async throws(StoreError) -> [DealRecord] {
        try await withConnection { connection in
            try await deals(
                where: #"""
                    "state" = 'released' OR ("state" = 'invoiced' AND "releasedAt" IS NOT NULL
                        AND "releasedAt" <= \#(Timestamp.seconds(now)) - "retentionMonths" * 28 * 86400)
                    ORDER BY "createdAt", "id" COLLATE "C"
                    """#, on: connection)
        }
    }

    /// Grants one download of a delivery to its recipient, the actor's organisation, in one transaction: refuses another
    /// organisation (as not found), a purged or expired delivery, one with no key to seal to and one with no downloads
    /// left; otherwise counts the download and audits it. The delivery's row is locked, so that downloads on several
    /// instances count one after the other.
    ///
    /// The delivery is sealed to the key bound at release. One released to a firm that had no key then is bound here, to
    /// the firm's first key: any later key is an approved change, so a token alone cannot redirect a delivery.
    package func claimDownload(deliveryID: String, actor: AuditActor, now: Date) async throws(StoreError) -> ClaimedDownload {
        let key = try requireAuditKey()
        return try await transaction { connection in
            let (delivery, blobID) = try StoreRules.downloadable(
                try await lockedDelivery(deliveryID, on: connection), deliveryID: deliveryID, by: actor, now: now)
            var claimed = delivery
            if claimed.recipientKeyPEM == nil {
                // Bound to the key the firm has now, a change whose delay just ended included.
                _ = try await settleKeyChanges(now: now, key: key, on: connection)
                let recipient = try await organisation(where: #""id" = \#(delivery.recipientID)"#, on: connection)
                guard let pem = recipient?.publicKeyPEM, let fingerprint = recipient?.publicKeyFingerprint else {
                    throw StoreError.account(.deliveryKeyMissing(organisationID: delivery.recipientID))
                }
                (claimed.recipientKeyPEM, claimed.recipientKeyFingerprint) = (pem, fingerprint)
            }
            guard claimed.downloadsRemaining > 0 else { throw StoreError.deliveryExhausted(id: deliveryID) }
            claimed.downloadsRemaining -= 1
            claimed.firstDownloadedAt = claimed.firstDownloadedAt ?? Timestamp.stored(now)
            try await connection.query(
                #"""
                UPDATE "delivery" SET "downloadsRemaining" = \#(claimed.downloadsRemaining),
                    "firstDownloadedAt" = \#(claimed.firstDownloadedAt.map(Timestamp.seconds)), "recipientKeyPEM" = \#(claimed.recipientKeyPEM),
                    "recipientKeyFingerprint" = \#(claimed.recipientKeyFingerprint)
                WHERE "id" = \#(deliveryID)
                """#, logger: logger)
            try await PostgresAuditTrail.append(.deliveryDownloaded(claimed, by: actor), key: key, now: now, on: connection, logger: logger)
            guard let blob = try await blob(id: blobID, on: connection) else {
                throw StoreError.database("the blob of delivery \(deliveryID) is missing")
            }
            return ClaimedDownload(delivery: claimed, blob: blob)
        }
    }

    /// Purges deliveries that can no longer be downloaded (expired, or no downloads left) before their deal closes: rows
    /// first, in one transaction; the caller then deletes the returned blob files.
    package func purgeSpentDeliveries(now: Date) async throws(StoreError) -> [String] {
        let key = try requireAuditKey()
        return try await transaction { connection in
            let spent = try await deliveries(
                where: #"""
                    "blobID" IS NOT NULL AND ("expiresAt" <= \#(Timestamp.seconds(now)) OR "downloadsRemaining" = 0)
                    ORDER BY "id" COLLATE "C" FOR UPDATE SKIP LOCKED
                    """#, on: connection)
            var purged: [String] = []
            for delivery in spent {
                guard let blobID = delivery.blobID else { continue }
                try await purge(delivery, blobID: blobID, now: now, on: connection)
                try await PostgresAuditTrail.append(.deliveryPurged(delivery), key: key, now: now, on: connection, logger: logger)
                purged.append(blobID)
            }
            return purged
        }
    }

    /// Empties a delivery of its blob: the row keeps when, the blob row goes.
    func purge(_ delivery: DeliveryRecord, blobID: String, now: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            #"UPDATE "delivery" SET "blobID" = NULL, "purgedAt" = \#(Timestamp.seconds(now)) WHERE "id" = \#(delivery.id)"#, logger: logger)
        try await connection.query(#"DELETE FROM "blob" WHERE "id" = \#(blobID)"#, logger: logger)
    }

    /// The delivery `id`, its row locked for the transaction, or nil.
    private func lockedDelivery(_ id: String, on connection: PostgresConnection) async throws -> DeliveryRecord? {
        try await deliveries(where: #""id" = \#(id) FOR UPDATE"#, on: connection).first
    }
}
