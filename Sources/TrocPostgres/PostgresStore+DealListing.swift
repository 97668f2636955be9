package import Foundation
import PostgresNIO
import TrocCore
package import TrocStore

/// The deal pages the API lists and the match holds they show, in PostgreSQL.
extension PostgresStore {
    /// Up to `limit` deals that `organisationID` is a party of (every deal when nil), oldest first, starting after the deal
    /// `afterID`, with what their views need and `recipientID`'s deliveries; nil when `afterID` names no such deal.
    ///
    /// One snapshot (repeatable read) for the page and the rows around it; keyset paging on (createdAt, id), so a page
    /// costs the same however deep it is.
    package func dealPage(organisationID: String?, after afterID: String?, limit: Int, recipientID: String?) async throws(StoreError) -> DealListing?
    {
        try await transaction { connection -> DealListing? in
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            let limit = max(1, min(limit, AppDatabase.dealPageLimit))
            var after: (seconds: Int64, id: String)?
            if let afterID {
                let deal = try await deals(where: #""id" = \#(afterID)"#, on: connection).first
                guard let deal, organisationID.map(deal.partyIDs.contains) ?? true else { return nil }
                after = (Timestamp.seconds(deal.createdAt), deal.id)
            }
            // Four shapes of one query (a firm's or every deal, first page or a later one).
            let query: PostgresQuery =
                switch (organisationID, after) {
                case (nil, nil):
                    #"TRUE ORDER BY "createdAt", "id" COLLATE "C" LIMIT \#(limit)"#
                case (let organisationID?, nil):
                    #"\#(organisationID) IN ("proposerID", "partnerID") ORDER BY "createdAt", "id" COLLATE "C" LIMIT \#(limit)"#
                case (nil, let after?):
                    #"""
                    ("createdAt" > \#(after.seconds) OR ("createdAt" = \#(after.seconds) AND "id" COLLATE "C" > \#(after.id)))
                    ORDER BY "createdAt", "id" COLLATE "C" LIMIT \#(limit)
                    """#
                case (let organisationID?, let after?):
                    #"""
                    \#(organisationID) IN ("proposerID", "partnerID")
                    AND ("createdAt" > \#(after.seconds) OR ("createdAt" = \#(after.seconds) AND "id" COLLATE "C" > \#(after.id)))
                    ORDER BY "createdAt", "id" COLLATE "C" LIMIT \#(limit)
                    """#
                }
            return try await listing(of: try await deals(where: query, on: connection), recipientID: recipientID, on: connection)
        }
    }

    /// `deals` with what their views need, read in one snapshot.
    package func listing(of deals: [DealRecord], recipientID: String?) async throws(StoreError) -> DealListing {
        try await transaction { connection in
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            return try await listing(of: deals, recipientID: recipientID, on: connection)
        }
    }

    /// Holds a deal's match, saying why (files too small, or the privacy budget between the firms spent), for the files
    /// the engine read; a deal whose files changed meanwhile is refused (the match runs again). Audited.
    package func holdMatch(dealID: String, _ hold: MatchHold, fileIDs: Set<String>, now: Date) async throws(StoreError) -> MatchHoldRecord {
        let key = try requireAuditKey()
        return try await transaction { connection in
            guard let deal = try await deals(where: #""id" = \#(dealID) FOR UPDATE"#, on: connection).first else {
                throw StoreError.dealNotFound(id: dealID)
            }
            guard deal.state == .awaitingFiles else { throw StoreError.dealNotAwaitingFiles(dealID: dealID, current: deal.state) }
            guard Set(try await dealFiles(dealID: dealID, on: connection).compactMap(\.fileID)) == fileIDs else {
                throw StoreError.dealFilesChanged(dealID: dealID)
            }
            let record = MatchHoldRecord(dealID: dealID, hold: hold, now: now)
            try await connection.query(
                #"""
                INSERT INTO "deal_match_hold" ("dealID", "reason", "organisationIDs", "minimumExchangeable", "availableFrom", "heldAt")
                VALUES (\#(record.dealID), \#(record.reason), \#(record.organisationIDs), \#(record.minimumExchangeable),
                    \#(record.availableFrom.map(Timestamp.seconds)), \#(Timestamp.seconds(record.heldAt)))
                ON CONFLICT ("dealID") DO UPDATE SET "reason" = excluded."reason", "organisationIDs" = excluded."organisationIDs",
                    "minimumExchangeable" = excluded."minimumExchangeable", "availableFrom" = excluded."availableFrom", "heldAt" = excluded."heldAt"
                """#, logger: logger)
            try await PostgresAuditTrail.append(.matchHeld(record, hold), key: key, now: now, on: connection, logger: logger)
            return record
        }
    }

    /// Why deal `dealID`'s match is held, or nil.
    package func matchHold(dealID: String) async throws(StoreError) -> MatchHoldRecord? {
        try await withConnection { connection in try await holds(of: [dealID], on: connection).first }
    }

    /// The rows around `deals`, one query per table, the ids bound as one array.
    private func listing(of deals: [DealRecord], recipientID: String?, on connection: PostgresConnection) async throws -> DealListing {
        let ids = deals.map(\.id)
        let parties = try await select("deal_party", where: #""dealID" = ANY(\#(ids))"#, on: connection) { columns throws(StoreError) in
            try columns.dealParty()
        }
        let files = try await select(
            "deal_file", where: #""dealID" = ANY(\#(ids)) ORDER BY "attachedAt", "organisationID" COLLATE "C""#, on: connection
        ) { columns throws(StoreError) in try columns.dealFile() }
        let organisationIDs = Array(Set(deals.flatMap(\.partyIDs)))
        let organisations = try await select("organisation", where: #""id" = ANY(\#(organisationIDs))"#, on: connection) {
            columns throws(StoreError) in
            try columns.organisation()
        }
        var deliveries: [DeliveryRecord] = []
        if let recipientID {
            deliveries = try await self.deliveries(
                where: #""dealID" = ANY(\#(ids)) AND "recipientID" = \#(recipientID) ORDER BY "createdAt", "id" COLLATE "C""#, on: connection)
        }
        return DealListing(
            deals: deals, parties: parties, files: files, organisations: organisations, deliveries: deliveries,
            holds: try await holds(of: ids, on: connection))
    }

    /// The match holds of `dealIDs`.
    private func holds(of dealIDs: [String], on connection: PostgresConnection) async throws -> [MatchHoldRecord] {
        try await select("deal_match_hold", where: #""dealID" = ANY(\#(dealIDs))"#, on: connection) { columns throws(StoreError) in
            try columns.matchHold()
        }
    }
}
