package import Foundation
import TrocCore

/// What both record stores check and build when they carry out an erasure, notify the firms that received the person,
/// and purge the files no deal needs any longer.
extension StoreRules {
    /// Refuses a negative count of removed rows.
    package static func checkRemovedRows(_ removedRows: Int) throws(StoreError) {
        guard removedRows >= 0 else {
            throw .invalidField(field: "removedRows", value: String(removedRows), reason: "a count of rows cannot be negative")
        }
    }

    /// The record of an erasure carried out now, in counts only, refused when a count is negative or the request is dated
    /// after it was carried out.
    package static func erasure(
        requestedAt: Date, filesRewritten: Int, rowsRemoved: Int, keysSuppressed: Int, deliveriesRewritten: Int, notices: Int, actor: AuditActor,
        now: Date
    ) throws(StoreError) -> ErasureRecord {
        for (field, value) in [
            ("filesRewritten", filesRewritten), ("rowsRemoved", rowsRemoved), ("keysSuppressed", keysSuppressed),
            ("deliveriesRewritten", deliveriesRewritten),
        ] where value < 0 {
            throw .invalidField(field: field, value: String(value), reason: "a count cannot be negative")
        }
        guard Timestamp.seconds(requestedAt) <= Timestamp.seconds(now) else {
            throw .invalidField(field: "requestedAt", value: requestedAt.ISO8601Format(), reason: "a request cannot be made after it was carried out")
        }
        return ErasureRecord(
            id: RecordID.make(RecordID.erasure), requestedAt: Timestamp.stored(requestedAt), completedAt: Timestamp.stored(now),
            filesRewritten: filesRewritten, rowsRemoved: rowsRemoved, keysSuppressed: keysSuppressed, actorUserID: actor.userID,
            deliveriesRewritten: deliveriesRewritten, noticesRecorded: notices)
    }

    /// The notice of `erasure` to the recipient of `delivery` (the one `draft` names), sealed as the draft is.
    package static func notice(_ draft: NoticeDraft, of erasure: ErasureRecord, delivery: DeliveryRecord?, now: Date) throws(StoreError)
        -> NoticeRecord
    {
        guard let delivery else { throw .deliveryNotFound(id: draft.deliveryID) }
        return NoticeRecord(
            id: draft.id, erasureID: erasure.id, organisationID: delivery.recipientID, dealID: delivery.dealID, deliveryID: delivery.id,
            createdAt: Timestamp.stored(now), sealed: draft.sealed, keyFingerprint: draft.keyFingerprint, acknowledgedAt: nil, acknowledgedBy: nil)
    }

    /// `notice` acknowledged now by `actor`, a user of the firm it was sent to, its sealed content dropped, and whether
    /// that changed it (acknowledging again changes nothing). A notice to another firm is refused as not found.
    package static func acknowledging(_ notice: NoticeRecord?, id: String, by actor: AuditActor, now: Date) throws(StoreError)
        -> (notice: NoticeRecord, changed: Bool)
    {
        guard var notice, let userID = actor.userID, notice.organisationID == actor.organisationID else { throw .noticeNotFound(id: id) }
        guard notice.acknowledgedAt == nil else { return (notice, false) }
        notice.acknowledgedAt = max(Timestamp.stored(now), notice.createdAt)
        notice.acknowledgedBy = userID
        notice.sealed = nil
        return (notice, true)
    }

    /// `delivery` holding `newBlob` instead of the blob it held, without the rows removed, and that old blob's id;
    /// refused once the delivery was purged.
    package static func rewriting(_ delivery: DeliveryRecord?, id: String, with newBlob: StoredBlob, removedRows: Int) throws(StoreError)
        -> (delivery: DeliveryRecord, oldBlobID: String)
    {
        guard var delivery else { throw .deliveryNotFound(id: id) }
        guard let oldBlobID = delivery.blobID else { throw .deliveryPurged(id: id, purgedAt: delivery.purgedAt ?? delivery.expiresAt) }
        delivery.blobID = newBlob.id
        delivery.rowCount = max(0, delivery.rowCount - Int64(removedRows))
        return (delivery, oldBlobID)
    }
}

extension FilePurgeRule {
    /// The rule that purges a file no deal needs: in no deal, in a released deal whose dispute window ended, or in deals
    /// that all ended unreleased.
    package init(attached: Bool, released: Bool) {
        self = !attached ? .unattached : released ? .disputeWindowEnded : .dealEnded
    }
}
