public import FoundationEssentials

/// An erasure notice as `GET /v1/notices` lists it: who, which deal and when in clear; what identifies the person only
/// in `sealed`, an envelope to the firm's key (docs/envelope.md) that the broker cannot open.
public struct ErasureNotice: Codable, Hashable, Sendable {
    public var id: String
    /// The erasure request it comes from.
    public var erasureId: String
    /// The firm notified.
    public var organisationId: String
    /// The deal whose delivery carried the person.
    public var dealId: String
    /// The delivery that carried the person.
    public var deliveryId: String
    public var createdAt: Date
    /// Fingerprint of the firm's key the content is sealed to.
    public var keyFingerprint: String
    /// The envelope, base64; absent once acknowledged (the broker then deletes it).
    public var sealed: String?
    /// The envelope purpose to open `sealed` with: `notice:<id>:<organisation>`.
    public var purpose: String
    public var acknowledgedAt: Date?
    /// The firm's user who acknowledged it.
    public var acknowledgedBy: String?

    public init(
        id: String, erasureId: String, organisationId: String, dealId: String, deliveryId: String, createdAt: Date, keyFingerprint: String,
        sealed: String?, acknowledgedAt: Date?, acknowledgedBy: String?
    ) {
        self.id = id
        self.erasureId = erasureId
        self.organisationId = organisationId
        self.dealId = dealId
        self.deliveryId = deliveryId
        self.createdAt = createdAt
        self.keyFingerprint = keyFingerprint
        self.sealed = sealed
        self.purpose = TransferPurpose.notice(noticeID: id, organisationID: organisationId)
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgedBy = acknowledgedBy
    }
}

/// What a notice tells the firm, sealed to its key: the person's values as the firm received them, so it can find and
/// erase them (GDPR art. 17(1) and 19), with the deal and delivery they came in.
public struct NoticeContent: Codable, Hashable, Sendable {
    /// The notice's id, as listed.
    public var notice: String
    /// The deal whose delivery carried the person.
    public var dealId: String
    /// The delivery that carried the person.
    public var deliveryId: String
    /// When that delivery was released.
    public var deliveredAt: Date
    /// When the person asked the broker to erase them.
    public var requestedAt: Date
    /// Their email addresses the delivery carried, as the request gave them, lowercased (Gmail addresses may differ
    /// in dots and `+tags`).
    public var emails: [String]
    /// Their phone numbers the delivery carried, in E.164.
    public var phones: [String]
    /// Their SIRETs the delivery carried.
    public var sirets: [String]
    /// What the firm must do.
    public var instruction: String

    public init(
        notice: String, dealId: String, deliveryId: String, deliveredAt: Date, requestedAt: Date, emails: [String], phones: [String],
        sirets: [String]
    ) {
        self.notice = notice
        self.dealId = dealId
        self.deliveryId = deliveryId
        self.deliveredAt = deliveredAt
        self.requestedAt = requestedAt
        self.emails = emails
        self.phones = phones
        self.sirets = sirets
        instruction = NoticeContent.instruction
    }

    /// The firm's duty, in words.
    public static let instruction =
        "The person asked for the erasure of their data (GDPR art. 17). Erase every record of them that came from this delivery, "
        + "stop any prospecting of them, and acknowledge this notice; the broker has removed them from every file it holds and "
        + "keeps them on its suppression list."
}

extension TransferPurpose {
    /// The content of erasure notice `noticeID` to organisation `organisationID`.
    public static func notice(noticeID: String, organisationID: String) -> String { "notice:\(noticeID):\(organisationID)" }
}
