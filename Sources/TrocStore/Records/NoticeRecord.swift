package import Foundation
package import GRDB

/// A row of `notice`: an erasure communicated to a firm that had already received the person (GDPR art. 19). What the
/// firm needs to find them is sealed to the firm's key; the broker keeps only who, which deal and when.
package struct NoticeRecord: StoreRecord, Identifiable {
    package static let databaseTableName = "notice"

    /// `ntc_` and 16 base32 characters.
    package var id: String
    /// The erasure request it comes from.
    package var erasureID: String
    /// The firm notified: the recipient of the delivery.
    package var organisationID: String
    /// The deal whose delivery carried the person.
    package var dealID: String
    /// The delivery that carried the person.
    package var deliveryID: String
    /// When it was recorded.
    package var createdAt: Date
    /// The HPKE envelope of the notice's content, sealed to the firm's key; nil once acknowledged.
    package var sealed: Data?
    /// Fingerprint of the key it was sealed to.
    package var keyFingerprint: String
    /// When the firm acknowledged it.
    package var acknowledgedAt: Date?
    /// The firm's user who acknowledged it.
    package var acknowledgedBy: String?

    /// A notice row with every column.
    package init(
        id: String, erasureID: String, organisationID: String, dealID: String, deliveryID: String, createdAt: Date, sealed: Data?,
        keyFingerprint: String, acknowledgedAt: Date?, acknowledgedBy: String?
    ) {
        self.id = id
        self.erasureID = erasureID
        self.organisationID = organisationID
        self.dealID = dealID
        self.deliveryID = deliveryID
        self.createdAt = createdAt
        self.sealed = sealed
        self.keyFingerprint = keyFingerprint
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgedBy = acknowledgedBy
    }

    /// A new notice id, known before the content is sealed (the seal binds it).
    package static func newID() -> String {
        RecordID.make(RecordID.notice)
    }

    /// Column references for queries.
    package enum Columns {
        /// Creation date.
        package static let createdAt = Column(CodingKeys.createdAt)
        /// The id, which breaks ties in listing order.
        package static let id = Column(CodingKeys.id)
        /// The firm.
        package static let organisationID = Column(CodingKeys.organisationID)
    }
}

/// A notice the server sealed, before `recordErasure` records it with its erasure.
package struct NoticeDraft: Sendable, Equatable {
    /// From `NoticeRecord.newID()`.
    package var id: String
    /// The delivery that carried the person (its deal and recipient follow).
    package var deliveryID: String
    /// The sealed content.
    package var sealed: Data
    /// Fingerprint of the key it was sealed to.
    package var keyFingerprint: String

    /// A sealed notice about `deliveryID`.
    package init(id: String, deliveryID: String, sealed: Data, keyFingerprint: String) {
        self.id = id
        self.deliveryID = deliveryID
        self.sealed = sealed
        self.keyFingerprint = keyFingerprint
    }
}
