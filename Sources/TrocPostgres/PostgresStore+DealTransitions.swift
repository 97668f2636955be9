package import Foundation
import PostgresNIO
package import TrocCore
package import TrocStore

/// The deal transitions that change the deal and its parties' answers, and the attachment of files, in PostgreSQL.
///
/// Each locks the deal's row (`FOR UPDATE`) before it checks the state it leaves, and the UPDATE is guarded by that state
/// as well: of two instances running transitions on one deal, the second waits for the first to commit, then reads the
/// state it left and is refused with it, as the SQLite store refuses it.
extension PostgresStore {
    /// Records an operator's reason to let unrelated sectors trade: `proposed` → `awaiting-files`.
    package func overrideDeal(id: String, reason: String, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord {
        let reason = try StoreRules.requiredReason(reason)
        return try await transition(id, .override, actor: actor, reason: reason, now: now) { deal in deal.overrideReason = reason }
    }

    /// Records the engine's report once both files are in: `awaiting-files` → `matched`, spending the privacy budget of
    /// one report on each party's file towards the other (refused with `privacyBudgetSpent` when it is spent).
    ///
    /// `fileIDs` are the files the engine read; if a party replaced its file meanwhile the match is refused and must run
    /// again. Both firms' rows are locked, so that two matches between the same firms on two instances count each
    /// other's spend.
    package func recordMatch(dealID: String, fileIDs: Set<String>, reportJSON: String, actor: AuditActor, now: Date) async throws(StoreError)
        -> DealRecord
    {
        let key = try requireAuditKey()
        return try await transaction { connection in
            var deal = try StoreRules.checkTransition(.match, of: try await lockedDeal(dealID, on: connection), dealID: dealID, by: actor)
            let from = deal.state
            try StoreRules.checkMatch(
                of: deal, attached: try await dealFiles(dealID: dealID, on: connection), fileIDs: fileIDs, reportJSON: reportJSON)
            for id in deal.partyIDs.sorted() { _ = try await organisation(where: #""id" = \#(id) FOR UPDATE"#, on: connection) }
            let settings = try await settingsRow(on: connection, locking: false).settings
            var spends: [(owner: String, viewer: String, spends: [PrivacySpendRecord])] = []
            for (owner, viewer) in [(deal.proposerID, deal.partnerID), (deal.partnerID, deal.proposerID)] {
                spends.append((owner, viewer, try await privacySpends(organisationID: owner, counterpartID: viewer, now: now, on: connection)))
            }
            try StoreRules.requirePrivacyBudget(reportsPerPair: settings.privacyReportsPerPair, spends: spends)
            for spend in StoreRules.privacySpends(of: deal, now: now) {
                try await connection.query(
                    #"""
                    INSERT INTO "privacy_spend" ("dealID", "organisationID", "counterpartID", "milliEpsilon", "spentAt", "countsUntil")
                    VALUES (\#(spend.dealID), \#(spend.organisationID), \#(spend.counterpartID), \#(spend.milliEpsilon),
                        \#(Timestamp.seconds(spend.spentAt)), \#(Timestamp.seconds(spend.countsUntil)))
                    """#, logger: logger)
            }
            try await connection.query(#"DELETE FROM "deal_match_hold" WHERE "dealID" = \#(dealID)"#, logger: logger)
            deal.reportJSON = reportJSON
            deal.move(.match, now: now, settings: settings)
            try await writeDeal(deal, leaving: from, by: .match, on: connection)
            try await PostgresAuditTrail.append(
                .dealMoved(.match, deal, from: from, by: actor, reason: nil), key: key, now: now, on: connection, logger: logger)
            return deal
        }
    }

    /// Records a party's acceptance of the report; the second acceptance moves the deal `matched` → `accepted` and
    /// freezes its terms (`DealTerms`), in the same transaction.
    ///
    /// The party is the actor's organisation; accepting again changes nothing. A firm that has not registered its VAT
    /// status and bank account cannot accept, nor can the second firm when the terms could not be invoiced. The deal's
    /// row lock orders two parties accepting at once on two instances: the second sees the first's acceptance.
    package func accept(dealID: String, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord {
        let key = try requireAuditKey()
        return try await transaction { connection in
            let (deal, organisationID) = try await partyAnswering(dealID, .accept, actor: actor, on: connection)
            let answers = try await dealParties(dealID: dealID, on: connection)
            if answers.first(where: { $0.organisationID == organisationID })?.acceptedAt != nil { return deal }
            _ = try await dealPartner(organisationID, on: connection)
            try await connection.query(
                #"""
                UPDATE "deal_party" SET "acceptedAt" = \#(Timestamp.seconds(now)) WHERE "dealID" = \#(dealID) AND "organisationID" = \#(organisationID)
                """#, logger: logger)
            let bothAccepted = answers.allSatisfy { $0.organisationID == organisationID || $0.acceptedAt != nil }
            let settings = try await settingsRow(on: connection, locking: false).settings
            var updated = deal
            if bothAccepted {
                updated.move(.accept, now: now, settings: settings)
                try await writeDeal(updated, leaving: deal.state, by: .accept, on: connection)
                try await ensureTerms(updated, settings: settings, now: now, on: connection)
            } else {
                updated.touch(now: now, settings: settings)
                try await writeDeal(updated, leaving: deal.state, by: .accept, on: connection)
            }
            try await PostgresAuditTrail.append(
                .dealAccepted(updated, from: deal.state, by: actor, organisationID: organisationID, bothAccepted: bothAccepted), key: key, now: now,
                on: connection, logger: logger)
            return updated
        }
    }

    /// An operator approves a deal both parties accepted: `accepted` → `approved`, once both firms have a billing mandate
    /// in force (the broker issues their exchange invoices in their names at release).
    package func approve(dealID: String, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord {
        let key = try requireAuditKey()
        return try await transaction { connection in
            var deal = try StoreRules.checkTransition(.approve, of: try await lockedDeal(dealID, on: connection), dealID: dealID, by: actor)
            let from = deal.state
            try await requireMandates(deal, on: connection)
            let settings = try await settingsRow(on: connection, locking: false).settings
            try await ensureTerms(deal, settings: settings, now: now, on: connection)
            deal.move(.approve, now: now, settings: settings)
            try await writeDeal(deal, leaving: from, by: .approve, on: connection)
            try await PostgresAuditTrail.append(
                .dealMoved(.approve, deal, from: from, by: actor, reason: nil), key: key, now: now, on: connection, logger: logger)
            return deal
        }
    }

    /// Records the deliveries the server sealed and stored, and moves the deal `approved` → `released`; refused while a
    /// party has no billing mandate in force.
    ///
    /// At most one delivery per party, each to a party from the other; downloads and expiry come from the settings. When
    /// the release is refused (another release won the race), nothing is recorded and the caller deletes its blob files.
    /// Due key changes are put in force first (each delivery is sealed to the key its recipient has now), then the
    /// parties' rows are locked for sharing while their mandates are read, so that a withdrawal and a release on two
    /// instances cannot both succeed.
    package func release(dealID: String, deliveries: [DeliveryDraft], actor: AuditActor, now: Date) async throws(StoreError) -> [DeliveryRecord] {
        let key = try requireAuditKey()
        return try await transaction { connection in
            var deal = try StoreRules.checkTransition(.release, of: try await lockedDeal(dealID, on: connection), dealID: dealID, by: actor)
            _ = try await settleKeyChanges(now: now, key: key, on: connection)
            // A mandate withdrawn since approval stops the release: its invoices could not be issued.
            try await requireMandates(deal, on: connection)
            let settings = try await settingsRow(on: connection, locking: false).settings
            try await ensureTerms(deal, settings: settings, now: now, on: connection)
            try StoreRules.checkDeliveries(deliveries, of: deal)
            let from = deal.state
            deal.move(.release, now: now, settings: settings)
            deal.releasedAt = Timestamp.stored(now)
            try await writeDeal(deal, leaving: from, by: .release, on: connection)
            var records: [DeliveryRecord] = []
            for draft in deliveries {
                let recipient = try StoreRules.partner(
                    try await organisation(where: #""id" = \#(draft.recipientID)"#, on: connection), id: draft.recipientID)
                let record = DeliveryRecord(releasing: draft, of: deal, to: recipient, settings: settings, now: now)
                try await insert(BlobRecord(draft.blob, createdAt: record.createdAt), on: connection)
                try await connection.query(
                    #"""
                    INSERT INTO "delivery" ("id", "dealID", "recipientID", "supplierID", "blobID", "rowCount", "downloadsRemaining", "createdAt",
                        "expiresAt", "recipientKeyPEM", "recipientKeyFingerprint")
                    VALUES (\#(record.id), \#(record.dealID), \#(record.recipientID), \#(record.supplierID), \#(record.blobID), \#(record.rowCount),
                        \#(record.downloadsRemaining), \#(Timestamp.seconds(record.createdAt)), \#(Timestamp.seconds(record.expiresAt)),
                        \#(record.recipientKeyPEM), \#(record.recipientKeyFingerprint))
                    """#, logger: logger)
                // The record of who received whom: many keys per delivery, written a statement per ten thousand.
                for chunk in stride(from: 0, to: draft.recipientKeys.count, by: Self.keysPerStatement) {
                    let (kinds, keys) = Self.columns(draft.recipientKeys[chunk..<min(chunk + Self.keysPerStatement, draft.recipientKeys.count)])
                    try await connection.query(
                        #"""
                        INSERT INTO "delivery_contact" ("deliveryID", "kind", "key")
                        SELECT \#(record.id), "kind", "key" FROM unnest(\#(kinds)::text[], \#(keys)::bytea[]) AS "new"("kind", "key")
                        ON CONFLICT DO NOTHING
                        """#, logger: logger)
                }
                records.append(record)
            }
            try await PostgresAuditTrail.append(
                .dealReleased(deal, from: from, deliveries: records, by: actor), key: key, now: now, on: connection, logger: logger)
            return records
        }
    }

    /// The delivery with `id`, or nil.
    package func delivery(id: String) async throws(StoreError) -> DeliveryRecord? {
        try await withConnection { connection in try await deliveries(where: #""id" = \#(id)"#, on: connection).first }
    }

    /// The deliveries of a deal, or only those to `recipientID`.
    package func deliveries(dealID: String, recipientID: String?) async throws(StoreError) -> [DeliveryRecord] {
        try await withConnection { connection in
            if let recipientID {
                return try await deliveries(
                    where: #""dealID" = \#(dealID) AND "recipientID" = \#(recipientID) ORDER BY "recipientID" COLLATE "C""#, on: connection)
            }
            return try await deliveries(where: #""dealID" = \#(dealID) ORDER BY "recipientID" COLLATE "C""#, on: connection)
        }
    }

    /// The deliveries `condition` selects, in its order.
    func deliveries(where condition: PostgresQuery, on connection: PostgresConnection) async throws -> [DeliveryRecord] {
        try await select("delivery", where: condition, on: connection) { columns throws(StoreError) in try columns.delivery() }
    }

    /// The terms a deal was agreed on, or nil before both firms accepted.
    package func dealTerms(dealID: String) async throws(StoreError) -> DealTerms? {
        try await withConnection { connection in try await storedTerms(dealID, on: connection) }
    }

    /// Freezes the deal's terms unless they are already: at the second acceptance, and for a deal accepted before terms
    /// were recorded, at its approval or release.
    func ensureTerms(_ deal: DealRecord, settings: BrokerSettings, now: Date, on connection: PostgresConnection) async throws {
        guard try await storedTerms(deal.id, on: connection) == nil else { return }
        let broker = try settings.invoicing()
        let partners = (try await dealPartner(deal.proposerID, on: connection), try await dealPartner(deal.partnerID, on: connection))
        let (terms, json) = try StoreRules.terms(
            of: deal, broker: broker, collectionByBroker: settings.collectionByBroker, partners: partners, now: now)
        try await connection.query(
            #"""
            INSERT INTO "deal_terms" ("dealID", "terms", "agreedOn", "createdAt")
            VALUES (\#(deal.id), \#(json), \#(terms.agreedOn.iso8601), \#(Timestamp.seconds(now)))
            """#, logger: logger)
    }

    /// The stored terms of deal `dealID`, or nil.
    func storedTerms(_ dealID: String, on connection: PostgresConnection) async throws -> DealTerms? {
        let rows = try await connection.query(#"SELECT "terms" FROM "deal_terms" WHERE "dealID" = \#(dealID)"#, logger: logger).collect()
        guard let json = try rows.first?.decode(String.self) else { return nil }
        return try JSONDecoder().decode(DealTerms.self, from: Data(json.utf8))
    }

    /// A firm as a deal's terms hold it, read on `connection`.
    private func dealPartner(_ id: String, on connection: PostgresConnection) async throws -> DealPartner {
        let organisation = try StoreRules.partner(try await organisation(where: #""id" = \#(id)"#, on: connection), id: id)
        return try StoreRules.dealPartner(
            organisation, status: try await vatStatus(organisationID: id, on: connection),
            account: try await bankAccount(organisationID: id, on: connection))
    }

    /// Refuses, naming them, when a party of `deal` has no billing mandate in force; the parties' rows are locked for
    /// sharing, so that a withdrawal on another instance waits for this transaction.
    private func requireMandates(_ deal: DealRecord, on connection: PostgresConnection) async throws {
        // Firms' rows are locked in one order (their ids) wherever a transaction takes several, so that none waits in a cycle.
        var organisations: [String: OrganisationRecord] = [:]
        for id in deal.partyIDs.sorted() { organisations[id] = try await organisation(where: #""id" = \#(id) FOR SHARE"#, on: connection) }
        var missing: [String] = []
        for id in deal.partyIDs {
            let organisation = organisations[id]
            let inForce = try await connection.query(
                #"SELECT 1 FROM "billing_mandate" WHERE "organisationID" = \#(id) AND "withdrawnAt" IS NULL"#, logger: logger
            ).collect()
            if inForce.isEmpty { missing.append(organisation?.name ?? id) }
        }
        guard missing.isEmpty else { throw StoreError.billingMandateMissing(dealID: deal.id, firms: missing) }
    }

    /// Records a party's refusal of the report: `matched` → `cancelled`.
    package func decline(dealID: String, reason: String?, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord {
        let key = try requireAuditKey()
        return try await transaction { connection in
            let (deal, organisationID) = try await partyAnswering(dealID, .decline, actor: actor, on: connection)
            try await connection.query(
                #"""
                UPDATE "deal_party" SET "declinedAt" = \#(Timestamp.seconds(now)), "acceptedAt" = NULL
                WHERE "dealID" = \#(dealID) AND "organisationID" = \#(organisationID)
                """#, logger: logger)
            var updated = deal
            updated.move(.decline, now: now, settings: try await settingsRow(on: connection, locking: false).settings)
            try await writeDeal(updated, leaving: deal.state, by: .decline, on: connection)
            try await PostgresAuditTrail.append(
                .dealMoved(.decline, updated, from: deal.state, by: actor, organisationID: organisationID, reason: reason), key: key, now: now,
                on: connection, logger: logger)
            return updated
        }
    }

    /// An operator rejects a deal, saying why: `accepted` → `rejected`.
    package func reject(dealID: String, reason: String, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord {
        let reason = try StoreRules.requiredReason(reason)
        return try await transition(dealID, .reject, actor: actor, reason: reason, now: now)
    }

    /// A party or an operator withdraws before release: → `cancelled`.
    package func cancel(dealID: String, reason: String?, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord {
        try await transition(dealID, .cancel, actor: actor, reason: reason, now: now)
    }

    /// Attaches a party's file to a deal awaiting files, replacing the file that party attached before; returns the deal's files.
    ///
    /// The party is the file's organisation; a partner attaches only its own files to its own deals. The file's row is
    /// locked for sharing, so that its deletion on another instance waits for the attachment (and is then refused).
    package func attachFile(dealID: String, fileID: String, actor: AuditActor, now: Date) async throws(StoreError) -> [DealFileRecord] {
        let key = try requireAuditKey()
        return try await transaction { connection in
            var deal = try StoreRules.visible(try await lockedDeal(dealID, on: connection), dealID: dealID, to: actor)
            let locked = try await files(where: #""id" = \#(fileID) FOR SHARE"#, on: connection).first
            guard let file = locked, actor.role != .partner || file.organisationID == actor.organisationID else {
                throw StoreError.fileNotFound(id: fileID)
            }
            guard deal.partyIDs.contains(file.organisationID) else {
                throw StoreError.invalidField(
                    field: "fileID", value: fileID, reason: "the file belongs to \(file.organisationID), which is not a party of deal \(dealID)")
            }
            guard deal.state == .awaitingFiles else { throw StoreError.dealNotAwaitingFiles(dealID: dealID, current: deal.state) }
            let previous =
                try await connection.query(
                    #"SELECT "fileID" FROM "deal_file" WHERE "dealID" = \#(dealID) AND "organisationID" = \#(file.organisationID)"#, logger: logger
                ).collect().first.map { try $0.decode(String?.self) } ?? nil
            try await connection.query(
                #"""
                INSERT INTO "deal_file" ("dealID", "organisationID", "fileID", "attachedAt")
                VALUES (\#(dealID), \#(file.organisationID), \#(fileID), \#(Timestamp.seconds(now)))
                ON CONFLICT ("dealID", "organisationID") DO UPDATE SET "fileID" = excluded."fileID", "attachedAt" = excluded."attachedAt"
                """#, logger: logger)
            // A new file is a new chance to match.
            try await connection.query(#"DELETE FROM "deal_match_hold" WHERE "dealID" = \#(dealID)"#, logger: logger)
            let state = deal.state
            deal.touch(now: now, settings: try await settingsRow(on: connection, locking: false).settings)
            try await writeDeal(deal, leaving: state, by: nil, on: connection)
            let files = try await dealFiles(dealID: dealID, on: connection)
            try await PostgresAuditTrail.append(
                .dealFileAttached(file, dealID: dealID, replaced: previous, attached: files.count, by: actor), key: key, now: now, on: connection,
                logger: logger)
            return files
        }
    }

    /// Runs a transition that changes nothing but the deal row (and what `changes` sets on it), in one transaction with its audit entry.
    private func transition(
        _ dealID: String, _ transition: DealTransition, actor: AuditActor, reason: String?, now: Date, changes: (inout DealRecord) -> Void = { _ in }
    ) async throws(StoreError) -> DealRecord {
        let key = try requireAuditKey()
        return try await transaction { connection in
            var deal = try StoreRules.checkTransition(transition, of: try await lockedDeal(dealID, on: connection), dealID: dealID, by: actor)
            let from = deal.state
            changes(&deal)
            deal.move(transition, now: now, settings: try await settingsRow(on: connection, locking: false).settings)
            try await writeDeal(deal, leaving: from, by: transition, on: connection)
            try await PostgresAuditTrail.append(
                .dealMoved(transition, deal, from: from, by: actor, reason: reason), key: key, now: now, on: connection, logger: logger)
            return deal
        }
    }

    /// The deal and the actor's party row for a party's answer, the deal locked and checked for `transition`.
    private func partyAnswering(
        _ dealID: String, _ transition: DealTransition, actor: AuditActor, on connection: PostgresConnection
    ) async throws -> (DealRecord, String) {
        let deal = try StoreRules.checkTransition(transition, of: try await lockedDeal(dealID, on: connection), dealID: dealID, by: actor)
        guard let organisationID = actor.organisationID,
            try await connection.query(
                #"SELECT 1 FROM "deal_party" WHERE "dealID" = \#(dealID) AND "organisationID" = \#(organisationID)"#, logger: logger
            ).collect().count == 1
        else { throw StoreError.dealNotFound(id: dealID) }
        return (deal, organisationID)
    }

    /// Writes the deal's changing columns, guarded by the state it was read in: a deal another writer moved meanwhile is
    /// refused with the state it is in (`transition`'s refusal, or not awaiting files when only touched).
    func writeDeal(_ deal: DealRecord, leaving from: DealState, by transition: DealTransition?, on connection: PostgresConnection) async throws {
        let changed = try await connection.query(
            #"""
            UPDATE "deal" SET "state" = \#(deal.state.rawValue), "overrideReason" = \#(deal.overrideReason), "reportJSON" = \#(deal.reportJSON),
                "updatedAt" = \#(Timestamp.seconds(deal.updatedAt)), "expiresAt" = \#(Timestamp.seconds(deal.expiresAt)),
                "releasedAt" = \#(deal.releasedAt.map(Timestamp.seconds))
            WHERE "id" = \#(deal.id) AND "state" = \#(from.rawValue) RETURNING "id"
            """#, logger: logger
        ).collect()
        guard changed.isEmpty else { return }
        let current = try await deals(where: #""id" = \#(deal.id)"#, on: connection).first?.state ?? from
        guard let transition else { throw StoreError.dealNotAwaitingFiles(dealID: deal.id, current: current) }
        throw StoreError.dealTransitionRefused(DealTransitionError(transition: transition, current: current))
    }

    /// The deal `id`, its row locked for the transaction, or nil.
    func lockedDeal(_ id: String, on connection: PostgresConnection) async throws -> DealRecord? {
        try await deals(where: #""id" = \#(id) FOR UPDATE"#, on: connection).first
    }
}
