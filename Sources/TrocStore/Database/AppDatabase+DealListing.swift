import Foundation
import GRDB

/// Deals with every row their API views need, read in one transaction: the parties' answers, the files, both
/// organisations, the recipient's deliveries and the match holds, each fetched once for all the deals.
package struct DealListing: Sendable {
    /// The deals, in listing order (oldest first).
    package var deals: [DealRecord]
    /// Each deal's parties' answers, by deal id.
    package var parties: [String: [DealPartyRecord]]
    /// Each deal's attached files, by deal id.
    package var files: [String: [DealFileRecord]]
    /// The organisations of every party, by id.
    package var organisations: [String: OrganisationRecord]
    /// The recipient's first delivery of each deal, by deal id (empty without a recipient).
    package var deliveries: [String: DeliveryRecord]
    /// Why a deal's match is held, by deal id.
    package var holds: [String: MatchHoldRecord]
}

extension AppDatabase {
    /// The most deals one page of a listing holds.
    package static let dealPageLimit = 1000

    /// Up to `limit` deals that `organisationID` is a party of (every deal when nil), oldest first, starting after the deal
    /// `afterID`, with what their views need and `recipientID`'s deliveries; nil when `afterID` names no such deal.
    package func dealPage(organisationID: String?, after afterID: String?, limit: Int, recipientID: String?) throws(StoreError) -> DealListing? {
        try read { db -> DealListing? in
            var request = DealRecord.order(DealRecord.Columns.createdAt, DealRecord.Columns.id).limit(max(1, min(limit, Self.dealPageLimit)))
            if let organisationID {
                request = request.filter(DealRecord.Columns.proposerID == organisationID || DealRecord.Columns.partnerID == organisationID)
            }
            if let afterID {
                guard let after = try DealRecord.fetchOne(db, key: afterID), organisationID.map(after.partyIDs.contains) ?? true else { return nil }
                // Keyset paging: the position is the deal's (createdAt, id), so a page costs the same however deep it is.
                request = request.filter(
                    literal: "(\(DealRecord.Columns.createdAt), \(DealRecord.Columns.id)) > (\(Timestamp.seconds(after.createdAt)), \(after.id))")
            }
            return try Self.listing(of: request.fetchAll(db), recipientID: recipientID, db: db)
        }
    }

    /// `deals` with what their views need, read in one transaction.
    package func listing(of deals: [DealRecord], recipientID: String?) throws(StoreError) -> DealListing {
        try read { db in try Self.listing(of: deals, recipientID: recipientID, db: db) }
    }

    /// The rows around `deals`, one query per table.
    private static func listing(of deals: [DealRecord], recipientID: String?, db: Database) throws -> DealListing {
        let ids = deals.map(\.id)
        let parties = try DealPartyRecord.filter(ids.contains(DealPartyRecord.Columns.dealID)).fetchAll(db)
        let files = try DealFileRecord.filter(ids.contains(DealFileRecord.Columns.dealID)).order(
            DealFileRecord.Columns.attachedAt, DealFileRecord.Columns.organisationID
        ).fetchAll(db)
        let organisationIDs = Set(deals.flatMap(\.partyIDs))
        let organisations = try OrganisationRecord.filter(keys: organisationIDs).fetchAll(db)
        var deliveries: [String: DeliveryRecord] = [:]
        if let recipientID {
            let records = try DeliveryRecord.filter(ids.contains(DeliveryRecord.Columns.dealID) && DeliveryRecord.Columns.recipientID == recipientID)
                .order(DeliveryRecord.Columns.createdAt, DeliveryRecord.Columns.id).fetchAll(db)
            for record in records where deliveries[record.dealID] == nil { deliveries[record.dealID] = record }
        }
        let holds = try MatchHoldRecord.filter(keys: ids).fetchAll(db)
        return DealListing(
            deals: deals, parties: Dictionary(grouping: parties, by: \.dealID), files: Dictionary(grouping: files, by: \.dealID),
            organisations: Dictionary(uniqueKeysWithValues: organisations.map { ($0.id, $0) }), deliveries: deliveries,
            holds: Dictionary(uniqueKeysWithValues: holds.map { ($0.dealID, $0) }))
    }
}
