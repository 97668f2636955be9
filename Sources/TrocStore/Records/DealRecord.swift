package import Foundation
public import GRDB
package import TrocCore

extension DealState: DatabaseValueConvertible {}
extension BalancingPolicy: DatabaseValueConvertible {}

/// A row of `deal`: a proposed exchange between two partner organisations, and where it stands.
package struct DealRecord: StoreRecord, Identifiable {
    package static let databaseTableName = "deal"

    /// `del_` and 16 base32 characters.
    package var id: String
    /// Where the deal stands; changed only by the transitions of `DealTransition`.
    package var state: DealState
    /// Partner A, who proposed the deal.
    package var proposerID: String
    /// Partner B, who was invited.
    package var partnerID: String
    /// The agreed price per 1,000 addresses exchanged, excluding VAT, in cents.
    package var pricePer1000Cents: Int64
    /// How the two deliveries are sized.
    package var policy: BalancingPolicy
    /// The sector verdict the deal was proposed under (complementary, or unrelated until overridden).
    package var verdict: SectorVerdict
    /// Why an operator let unrelated sectors trade.
    package var overrideReason: String?
    /// The engine's full match report as JSON, set by the match.
    package var reportJSON: String?
    /// Months the source files and deliveries are kept after release.
    package var retentionMonths: Int
    /// When the deal was proposed.
    package var createdAt: Date
    /// When it last changed.
    package var updatedAt: Date
    /// When the expiry service ends it if it has not been released by then; pushed back by every step.
    package var expiresAt: Date
    /// When the deliveries were released: the date of the service on the invoices.
    package var releasedAt: Date?

    /// A record with every column given (the other stores build it from their rows).
    package init(
        id: String, state: DealState, proposerID: String, partnerID: String, pricePer1000Cents: Int64, policy: BalancingPolicy,
        verdict: SectorVerdict, overrideReason: String?, reportJSON: String?, retentionMonths: Int, createdAt: Date, updatedAt: Date, expiresAt: Date,
        releasedAt: Date?
    ) {
        self.id = id
        self.state = state
        self.proposerID = proposerID
        self.partnerID = partnerID
        self.pricePer1000Cents = pricePer1000Cents
        self.policy = policy
        self.verdict = verdict
        self.overrideReason = overrideReason
        self.reportJSON = reportJSON
        self.retentionMonths = retentionMonths
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.expiresAt = expiresAt
        self.releasedAt = releasedAt
    }

    /// The agreed price per 1,000 addresses.
    package var pricePer1000: Money { Money(cents: pricePer1000Cents) }

    /// Both parties, proposer first.
    package var partyIDs: [String] { [proposerID, partnerID] }

    /// The other party than `organisationID`.
    package func counterparty(of organisationID: String) -> String { organisationID == proposerID ? partnerID : proposerID }

    /// Column references for queries.
    package enum Columns {
        /// The state.
        package static let state = Column(CodingKeys.state)
        /// The proposer.
        package static let proposerID = Column(CodingKeys.proposerID)
        /// The invited partner.
        package static let partnerID = Column(CodingKeys.partnerID)
        /// Expiry of a stalled deal.
        package static let expiresAt = Column(CodingKeys.expiresAt)
        /// Creation date.
        package static let createdAt = Column(CodingKeys.createdAt)
        /// The id, which breaks ties in listing order.
        package static let id = Column(CodingKeys.id)
    }
}

/// What a caller gives to propose a deal; the store adds the id, state, dates and retention.
package struct DealDraft: Sendable, Equatable {
    /// Partner A, who proposes.
    package var proposerID: String
    /// Partner B, who is invited.
    package var partnerID: String
    /// The price per 1,000 addresses, within the broker's bounds.
    package var pricePer1000: Money
    /// How the deliveries are sized.
    package var policy: BalancingPolicy
    /// The verdict of `SectorRules.verdict(proposer's NAF code, partner's NAF code)` over the broker's reference data.
    package var verdict: SectorVerdict

    /// Gathers the terms of a proposed deal.
    package init(proposerID: String, partnerID: String, pricePer1000: Money, policy: BalancingPolicy = .equalCount, verdict: SectorVerdict) {
        self.proposerID = proposerID
        self.partnerID = partnerID
        self.pricePer1000 = pricePer1000
        self.policy = policy
        self.verdict = verdict
    }
}

/// A row of `deal_party`: one party's answer to the match report.
package struct DealPartyRecord: StoreRecord {
    package static let databaseTableName = "deal_party"

    /// The deal.
    package var dealID: String
    /// The party.
    package var organisationID: String
    /// When the party accepted.
    package var acceptedAt: Date?
    /// When the party declined.
    package var declinedAt: Date?

    /// A record with every column given (the other stores build it from their rows).
    package init(dealID: String, organisationID: String, acceptedAt: Date?, declinedAt: Date?) {
        self.dealID = dealID
        self.organisationID = organisationID
        self.acceptedAt = acceptedAt
        self.declinedAt = declinedAt
    }

    /// Column references for queries.
    package enum Columns {
        /// The deal.
        package static let dealID = Column(CodingKeys.dealID)
        /// Acceptance date.
        package static let acceptedAt = Column(CodingKeys.acceptedAt)
    }
}

/// A row of `deal_file`: the file a party brings to a deal.
package struct DealFileRecord: StoreRecord {
    package static let databaseTableName = "deal_file"

    /// The deal.
    package var dealID: String
    /// The party that brought it.
    package var organisationID: String
    /// The file, nil once it was purged or deleted after the deal no longer needed it.
    package var fileID: String?
    /// When it was attached (or last replaced).
    package var attachedAt: Date

    /// A record with every column given (the other stores build it from their rows).
    package init(dealID: String, organisationID: String, fileID: String?, attachedAt: Date) {
        self.dealID = dealID
        self.organisationID = organisationID
        self.fileID = fileID
        self.attachedAt = attachedAt
    }

    /// Column references for queries.
    package enum Columns {
        /// When the file was attached.
        package static let attachedAt = Column(CodingKeys.attachedAt)
        /// The deal.
        package static let dealID = Column(CodingKeys.dealID)
        /// The attached file; nil once purged.
        package static let fileID = Column(CodingKeys.fileID)
        /// The firm.
        package static let organisationID = Column(CodingKeys.organisationID)
    }
}

/// A row of `delivery`: the contacts one party receives from the other, encrypted to the recipient, downloadable a few times.
package struct DeliveryRecord: StoreRecord, Identifiable {
    package static let databaseTableName = "delivery"

    /// `dlv_` and 16 base32 characters.
    package var id: String
    /// The deal released.
    package var dealID: String
    /// The party that downloads it.
    package var recipientID: String
    /// The party whose contacts it holds.
    package var supplierID: String
    /// The blob holding it, nil once purged.
    package var blobID: String?
    /// Contacts in it.
    package var rowCount: Int64
    /// Downloads left.
    package var downloadsRemaining: Int
    /// When it was released.
    package var createdAt: Date
    /// The first instant it can no longer be downloaded.
    package var expiresAt: Date
    /// When it was purged at the end of retention.
    package var purgedAt: Date?
    /// The recipient's key it is sealed to on download: the one registered at release, or the firm's first key when it had
    /// none then (bound at the first download). Never changes once set.
    package var recipientKeyPEM: String?
    /// That key's fingerprint, shown on download.
    package var recipientKeyFingerprint: String?
    /// When the recipient first claimed a download: from then on it holds the contacts.
    package var firstDownloadedAt: Date?

    /// A record with every column given (the other stores build it from their rows).
    package init(
        id: String, dealID: String, recipientID: String, supplierID: String, blobID: String?, rowCount: Int64, downloadsRemaining: Int,
        createdAt: Date, expiresAt: Date, purgedAt: Date?, recipientKeyPEM: String?, recipientKeyFingerprint: String?, firstDownloadedAt: Date?
    ) {
        self.id = id
        self.dealID = dealID
        self.recipientID = recipientID
        self.supplierID = supplierID
        self.blobID = blobID
        self.rowCount = rowCount
        self.downloadsRemaining = downloadsRemaining
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.purgedAt = purgedAt
        self.recipientKeyPEM = recipientKeyPEM
        self.recipientKeyFingerprint = recipientKeyFingerprint
        self.firstDownloadedAt = firstDownloadedAt
    }

    /// Column references for queries.
    package enum Columns {
        /// The delivery's blob; nil once purged.
        package static let blobID = Column(CodingKeys.blobID)
        /// Creation date.
        package static let createdAt = Column(CodingKeys.createdAt)
        /// The deal.
        package static let dealID = Column(CodingKeys.dealID)
        /// Downloads left.
        package static let downloadsRemaining = Column(CodingKeys.downloadsRemaining)
        /// Expiry date.
        package static let expiresAt = Column(CodingKeys.expiresAt)
        /// The id, which breaks ties in listing order.
        package static let id = Column(CodingKeys.id)
        /// The recipient firm.
        package static let recipientID = Column(CodingKeys.recipientID)
        /// The key the delivery is sealed to, PEM.
        package static let recipientKeyPEM = Column(CodingKeys.recipientKeyPEM)
        /// Fingerprint of the key the delivery is sealed to.
        package static let recipientKeyFingerprint = Column(CodingKeys.recipientKeyFingerprint)
    }
}

/// A delivery the server has sealed to its recipient and stored as a blob, before `release` records it.
package struct DeliveryDraft: Sendable, Equatable {
    /// The party that receives it.
    package var recipientID: String
    /// The blob `BlobWriter.finish()` stored.
    package var blob: StoredBlob
    /// Contacts in it.
    package var rowCount: Int
    /// The keyed hashes, under the broker's recipient key, of every email, phone and SIRET in it.
    package var recipientKeys: [RecipientKey]

    /// A delivery to `recipientID` of `rowCount` contacts stored in `blob`, whose values hash to `recipientKeys`.
    package init(recipientID: String, blob: StoredBlob, rowCount: Int, recipientKeys: [RecipientKey] = []) {
        self.recipientID = recipientID
        self.blob = blob
        self.rowCount = rowCount
        self.recipientKeys = recipientKeys
    }
}

/// An email, phone or SIRET a delivery carried, as its keyed hash under the broker-wide recipient key: what lets an
/// erasure find, after the delivery itself is gone, the firms that received a person (GDPR art. 19).
package struct RecipientKey: Hashable, Sendable, Comparable {
    /// Which kind of value was hashed.
    package var kind: MatchKeyKind
    /// The 128-bit keyed hash.
    package var key: MatchKey

    /// The key of a value of `kind`.
    package init(kind: MatchKeyKind, key: MatchKey) {
        self.kind = kind
        self.key = key
    }

    package static func < (lhs: RecipientKey, rhs: RecipientKey) -> Bool {
        (lhs.kind.rawValue, lhs.key) < (rhs.kind.rawValue, rhs.key)
    }
}

/// A download granted by `claimDownload`: the delivery after the count went down, and the blob to stream.
package struct ClaimedDownload: Sendable, Equatable {
    /// The delivery, `downloadsRemaining` already decremented.
    package var delivery: DeliveryRecord
    /// Its blob.
    package var blob: BlobRecord

    /// The delivery and its blob.
    package init(delivery: DeliveryRecord, blob: BlobRecord) {
        self.delivery = delivery
        self.blob = blob
    }
}

/// What closing a deal purged: the blob files the caller now deletes from the blob store.
package struct ClosedDeal: Sendable, Equatable {
    /// The deal, closed.
    package var deal: DealRecord
    /// Blobs whose rows were deleted: the deliveries' and the source files' no other deal still holds.
    package var purgedBlobIDs: [String]

    /// The deal as closed and the blobs to delete.
    package init(deal: DealRecord, purgedBlobIDs: [String]) {
        self.deal = deal
        self.purgedBlobIDs = purgedBlobIDs
    }
}

extension DealPartyRecord {
    /// Reads a `deal_party` row column by column: the `Decodable` default costs more than the query on the hot read paths (authentication, deal pages).
    package init(row: Row) throws {
        self.init(
            dealID: try row.decode(forColumn: "dealID"), organisationID: try row.decode(forColumn: "organisationID"),
            acceptedAt: try row.decode(forColumn: "acceptedAt"), declinedAt: try row.decode(forColumn: "declinedAt"))
    }
}

extension DealFileRecord {
    /// Reads a `deal_file` row column by column: the `Decodable` default costs more than the query on the hot read paths (authentication, deal pages).
    package init(row: Row) throws {
        self.init(
            dealID: try row.decode(forColumn: "dealID"), organisationID: try row.decode(forColumn: "organisationID"),
            fileID: try row.decode(forColumn: "fileID"), attachedAt: try row.decode(forColumn: "attachedAt"))
    }
}
