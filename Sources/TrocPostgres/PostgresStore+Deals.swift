package import Foundation
import PostgresNIO
package import TrocCore
package import TrocStore

/// Deals in PostgreSQL: so far their proposal, the files attached, the transitions that change only the deal and its
/// parties' answers (override, decline, reject, cancel) and what is read of them; the rest of `DealStore` (match,
/// acceptance with its terms, approval, release, expiry, closing, pages and downloads) follows the same pattern.
extension PostgresStore {
    /// Proposes a deal: `awaiting-files` for complementary sectors, `proposed` (waiting for an override) for unrelated ones;
    /// confidential and competing sectors are refused. Price bounds, expiry and retention come from the settings in force.
    ///
    /// Both firms' rows are locked for sharing, so that neither changes sector or disappears while the deal is recorded.
    package func createDeal(_ draft: DealDraft, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord {
        let key = try requireAuditKey()
        let initial = try StoreRules.initialState(of: draft, proposedBy: actor)
        return try await transaction { connection in
            let settings = try await settingsRow(on: connection, locking: false).settings
            // Locked in the order of their ids, as everywhere several firms' rows are locked, so that none waits in a cycle.
            var locked: [String: OrganisationRecord] = [:]
            for id in Set([draft.proposerID, draft.partnerID]).sorted() {
                locked[id] = try await organisation(where: #""id" = \#(id) FOR SHARE"#, on: connection)
            }
            let parties = [locked[draft.proposerID], locked[draft.partnerID]]
            try StoreRules.checkProposal(draft, parties: parties, settings: settings)
            // A deal whose report could never be released is refused before anyone uploads for it.
            var spends: [(owner: String, viewer: String, spends: [PrivacySpendRecord])] = []
            for (owner, viewer) in [(draft.proposerID, draft.partnerID), (draft.partnerID, draft.proposerID)] {
                spends.append((owner, viewer, try await privacySpends(organisationID: owner, counterpartID: viewer, now: now, on: connection)))
            }
            try StoreRules.requirePrivacyBudget(reportsPerPair: settings.privacyReportsPerPair, spends: spends)
            let deal = DealRecord(proposing: draft, state: initial, settings: settings, now: now)
            let verdict = String(decoding: try PostgresColumns.jsonEncoder.encode(deal.verdict), as: UTF8.self)
            try await connection.query(
                #"""
                INSERT INTO "deal" ("id", "state", "proposerID", "partnerID", "pricePer1000Cents", "policy", "verdict", "retentionMonths",
                    "createdAt", "updatedAt", "expiresAt")
                VALUES (\#(deal.id), \#(deal.state.rawValue), \#(deal.proposerID), \#(deal.partnerID), \#(deal.pricePer1000Cents),
                    \#(deal.policy.rawValue), \#(verdict), \#(deal.retentionMonths), \#(Timestamp.seconds(deal.createdAt)),
                    \#(Timestamp.seconds(deal.updatedAt)), \#(Timestamp.seconds(deal.expiresAt)))
                """#, logger: logger)
            for party in deal.partyIDs {
                try await connection.query(#"INSERT INTO "deal_party" ("dealID", "organisationID") VALUES (\#(deal.id), \#(party))"#, logger: logger)
            }
            try await PostgresAuditTrail.append(.dealCreated(deal, by: actor), key: key, now: now, on: connection, logger: logger)
            return deal
        }
    }

    /// The deal with `id`, or nil.
    package func deal(id: String) async throws(StoreError) -> DealRecord? {
        try await withConnection { connection in try await deals(where: #""id" = \#(id)"#, on: connection).first }
    }

    /// Deals in `state`, oldest first: what a maintenance duty looks for, without reading every deal the broker holds.
    package func deals(in state: DealState) async throws(StoreError) -> [DealRecord] {
        try await withConnection { connection in
            try await deals(where: #""state" = \#(state.rawValue) ORDER BY "createdAt", "id" COLLATE "C""#, on: connection)
        }
    }

    /// The two parties' answers, proposer first.
    package func dealParties(dealID: String) async throws(StoreError) -> [DealPartyRecord] {
        try await withConnection { connection in try await dealParties(dealID: dealID, on: connection) }
    }

    /// The two parties' answers, read on `connection`.
    func dealParties(dealID: String, on connection: PostgresConnection) async throws -> [DealPartyRecord] {
        try await select(
            "deal_party",
            where: #"""
                "dealID" = \#(dealID) ORDER BY ("organisationID" != (SELECT "proposerID" FROM "deal" WHERE "id" = \#(dealID)))
                """#, on: connection
        ) { columns throws(StoreError) in try columns.dealParty() }
    }

    /// The files attached to a deal, first attached first.
    package func dealFiles(dealID: String) async throws(StoreError) -> [DealFileRecord] {
        try await withConnection { connection in try await dealFiles(dealID: dealID, on: connection) }
    }

    /// The files attached to a deal, read on `connection`.
    func dealFiles(dealID: String, on connection: PostgresConnection) async throws -> [DealFileRecord] {
        try await select("deal_file", where: #""dealID" = \#(dealID) ORDER BY "attachedAt", "organisationID" COLLATE "C""#, on: connection) {
            columns throws(StoreError) in try columns.dealFile()
        }
    }

    /// The spends still counting on `organisationID`'s files towards `counterpartID`, oldest first.
    func privacySpends(organisationID: String, counterpartID: String, now: Date, on connection: PostgresConnection) async throws
        -> [PrivacySpendRecord]
    {
        try await select(
            "privacy_spend",
            where: #"""
                "organisationID" = \#(organisationID) AND "counterpartID" = \#(counterpartID) AND "countsUntil" > \#(Timestamp.seconds(now))
                ORDER BY "countsUntil", "dealID" COLLATE "C"
                """#, on: connection
        ) { columns throws(StoreError) in try columns.privacySpend() }
    }

    /// The deals `condition` selects, in its order.
    func deals(where condition: PostgresQuery, on connection: PostgresConnection) async throws -> [DealRecord] {
        try await select("deal", where: condition, on: connection) { columns throws(StoreError) in try columns.deal() }
    }
}
