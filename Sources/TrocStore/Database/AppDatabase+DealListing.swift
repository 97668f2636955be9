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

    /// `deals` with the rows around them, grouped by deal (the recipient's first delivery of each, `deliveries` being
    /// in their creation order).
    package init(
        deals: [DealRecord], parties: [DealPartyRecord], files: [DealFileRecord], organisations: [OrganisationRecord], deliveries: [DeliveryRecord],
        holds: [MatchHoldRecord]
    ) {
        self.deals = deals
        self.parties = Dictionary(grouping: parties, by: \.dealID)
        self.files = Dictionary(grouping: files, by: \.dealID)
        self.organisations = Dictionary(uniqueKeysWithValues: organisations.map { ($0.id, $0) })
        var first: [String: DeliveryRecord] = [:]
        for delivery in deliveries where first[delivery.dealID] == nil { first[delivery.dealID] = delivery }
        self.deliveries = first
        self.holds = Dictionary(uniqueKeysWithValues: holds.map { ($0.dealID, $0) })
    }
}

extension AppDatabase {
    /// The most deals one page of a listing holds.
    package static let dealPageLimit = 1000

    /// Up to `limit` deals that `organisationID` is a party of (every deal when nil), oldest first, starting after the deal
    /// `afterID`, with what their views need and `recipientID`'s deliveries; nil when `afterID` names no such deal.
    package func dealPage(organisationID: String?, after afterID: String?, limit: Int, recipientID: String?) throws(StoreError) -> DealListing? {
        try read { db -> DealListing? in
            // Four shapes of one query (a firm's or every deal, first page or a later one), each a prepared statement.
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let organisationID {
                conditions.append("(proposerID = ? OR partnerID = ?)")
                arguments += [organisationID, organisationID]
            }
            if let afterID {
                let after = try DealRecord.fetchOne(db, cached: "SELECT * FROM deal WHERE id = ?", arguments: [afterID])
                guard let after, organisationID.map(after.partyIDs.contains) ?? true else { return nil }
                // Keyset paging: the position is the deal's (createdAt, id), so a page costs the same however deep it is.
                conditions.append("(createdAt, id) > (?, ?)")
                arguments += [Timestamp.seconds(after.createdAt), after.id]
            }
            arguments += [max(1, min(limit, Self.dealPageLimit))]
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ") + " "
            let deals = try DealRecord.fetchAll(db, cached: "SELECT * FROM deal \(filter)ORDER BY createdAt, id LIMIT ?", arguments: arguments)
            return try Self.listing(of: deals, recipientID: recipientID, db: db)
        }
    }

    /// `deals` with what their views need, read in one transaction.
    package func listing(of deals: [DealRecord], recipientID: String?) throws(StoreError) -> DealListing {
        try read { db in try Self.listing(of: deals, recipientID: recipientID, db: db) }
    }

    /// The rows around `deals`, one query per table.
    ///
    /// The ids go in as one JSON array (`json_each`) rather than an `IN (?, ?, …)` list, so that each query has one text
    /// whatever the page's size and stays prepared on the connection.
    private static func listing(of deals: [DealRecord], recipientID: String?, db: Database) throws -> DealListing {
        let ids = try jsonArray(deals.map(\.id))
        let inPage = "IN (SELECT value FROM json_each(?))"
        let parties = try DealPartyRecord.fetchAll(db, cached: "SELECT * FROM deal_party WHERE dealID \(inPage)", arguments: [ids])
        let files = try DealFileRecord.fetchAll(
            db, cached: "SELECT * FROM deal_file WHERE dealID \(inPage) ORDER BY attachedAt, organisationID", arguments: [ids])
        let organisationIDs = try jsonArray(Array(Set(deals.flatMap(\.partyIDs))))
        let organisations = try OrganisationRecord.fetchAll(db, cached: "SELECT * FROM organisation WHERE id \(inPage)", arguments: [organisationIDs])
        let deliveries =
            try recipientID.map { recipientID in
                try DeliveryRecord.fetchAll(
                    db, cached: "SELECT * FROM delivery WHERE dealID \(inPage) AND recipientID = ? ORDER BY createdAt, id",
                    arguments: [ids, recipientID])
            } ?? []
        let holds = try MatchHoldRecord.fetchAll(db, cached: "SELECT * FROM deal_match_hold WHERE dealID \(inPage)", arguments: [ids])
        return DealListing(deals: deals, parties: parties, files: files, organisations: organisations, deliveries: deliveries, holds: holds)
    }

    /// `values` as a JSON array, the argument of `json_each`.
    private static func jsonArray(_ values: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(values), as: UTF8.self)
    }
}
