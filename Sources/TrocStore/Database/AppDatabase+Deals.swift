package import Foundation
import GRDB
package import TrocCore

extension AppDatabase {
    /// Proposes a deal: `awaiting-files` for complementary sectors, `proposed` (waiting for an override) for unrelated ones;
    /// confidential and competing sectors are refused. Price bounds, expiry and retention come from the settings in force.
    package func createDeal(_ draft: DealDraft, actor: AuditActor, now: Date) throws(StoreError) -> DealRecord {
        let key = try requireAuditKey()
        let initial = try StoreRules.initialState(of: draft, proposedBy: actor)
        return try write { db in
            let settings = try Self.settings(db)
            let parties = try [draft.proposerID, draft.partnerID].map { try OrganisationRecord.fetchOne(db, key: $0) }
            try StoreRules.checkProposal(draft, parties: parties, settings: settings)
            // A deal whose report could never be released is refused before anyone uploads for it.
            try Self.requirePrivacyBudget(between: draft.proposerID, and: draft.partnerID, now: now, db: db)
            let deal = DealRecord(proposing: draft, state: initial, settings: settings, now: now)
            try deal.insert(db)
            for party in deal.partyIDs {
                try DealPartyRecord(dealID: deal.id, organisationID: party, acceptedAt: nil, declinedAt: nil).insert(db)
            }
            _ = try Self.appendAudit(.dealCreated(deal, by: actor), key: key, now: now, db: db)
            return deal
        }
    }

    /// Records an operator's reason to let unrelated sectors trade: `proposed` → `awaiting-files`.
    package func overrideDeal(id: String, reason: String, actor: AuditActor, now: Date) throws(StoreError) -> DealRecord {
        let reason = try StoreRules.requiredReason(reason)
        return try transition(id, .override, actor: actor, reason: reason, now: now) { deal, _ in deal.overrideReason = reason }
    }

    /// Attaches a party's file to a deal awaiting files, replacing the file that party attached before; returns the deal's files.
    ///
    /// The party is the file's organisation; a partner attaches only its own files to its own deals.
    package func attachFile(dealID: String, fileID: String, actor: AuditActor, now: Date) throws(StoreError) -> [DealFileRecord] {
        let key = try requireAuditKey()
        return try write { db in
            let deal = try Self.visibleDeal(dealID, actor: actor, db: db)
            guard let file = try FileRecord.fetchOne(db, key: fileID), actor.role != .partner || file.organisationID == actor.organisationID else {
                throw StoreError.fileNotFound(id: fileID)
            }
            guard deal.partyIDs.contains(file.organisationID) else {
                throw StoreError.invalidField(
                    field: "fileID", value: fileID, reason: "the file belongs to \(file.organisationID), which is not a party of deal \(dealID)")
            }
            guard deal.state == .awaitingFiles else { throw StoreError.dealNotAwaitingFiles(dealID: dealID, current: deal.state) }
            let attachedAt = Timestamp.stored(now)
            let previous = try DealFileRecord.fetchOne(db, key: ["dealID": dealID, "organisationID": file.organisationID])
            try DealFileRecord(dealID: dealID, organisationID: file.organisationID, fileID: fileID, attachedAt: attachedAt).save(db)
            // A new file is a new chance to match.
            try MatchHoldRecord.deleteOne(db, key: dealID)
            try Self.touch(deal, now: now, settings: Self.settings(db), db: db) { StoreError.dealNotAwaitingFiles(dealID: dealID, current: $0) }
            let files = try DealFileRecord.filter(DealFileRecord.Columns.dealID == dealID).order(
                DealFileRecord.Columns.attachedAt, DealFileRecord.Columns.organisationID
            ).fetchAll(db)
            _ = try Self.appendAudit(
                .dealFileAttached(file, dealID: dealID, replaced: previous?.fileID, attached: files.count, by: actor), key: key, now: now, db: db)
            return files
        }
    }

    /// Records the engine's report once both files are in: `awaiting-files` → `matched`, spending the privacy budget of
    /// one report on each party's file towards the other (refused with `privacyBudgetSpent` when it is spent).
    ///
    /// `fileIDs` are the files the engine read; if a party replaced its file meanwhile the match is refused and must run again.
    package func recordMatch(dealID: String, fileIDs: Set<String>, reportJSON: String, actor: AuditActor = .system, now: Date) throws(StoreError)
        -> DealRecord
    {
        try transition(dealID, .match, actor: actor, now: now) { deal, db in
            let files = try DealFileRecord.filter(DealFileRecord.Columns.dealID == dealID).fetchAll(db)
            try StoreRules.checkMatch(of: deal, attached: files, fileIDs: fileIDs, reportJSON: reportJSON)
            try Self.spendPrivacyBudget(on: deal, now: now, db: db)
            try MatchHoldRecord.deleteOne(db, key: dealID)
            deal.reportJSON = reportJSON
        }
    }

    /// Records a party's acceptance of the report; the second acceptance moves the deal `matched` → `accepted` and
    /// freezes its terms (`DealTerms`), in the same transaction.
    ///
    /// The party is the actor's organisation; accepting again changes nothing. A firm that has not registered its VAT
    /// status and bank account cannot accept, nor can the second firm when the terms could not be invoiced.
    package func accept(dealID: String, actor: AuditActor, now: Date) throws(StoreError) -> DealRecord {
        let key = try requireAuditKey()
        return try write { db in
            let (deal, party) = try Self.partyAnswering(dealID, .accept, actor: actor, db: db)
            if party.acceptedAt != nil { return deal }
            _ = try Self.dealPartner(party.organisationID, db: db)
            try db.execute(
                sql: "UPDATE deal_party SET acceptedAt = ? WHERE dealID = ? AND organisationID = ?",
                arguments: [Timestamp.seconds(now), dealID, party.organisationID])
            let waiting = try DealPartyRecord.filter(DealPartyRecord.Columns.dealID == dealID && DealPartyRecord.Columns.acceptedAt == nil)
                .fetchCount(db)
            let settings = try Self.settings(db)
            var updated = deal
            if waiting == 0 {
                try Self.move(&updated, .accept, now: now, settings: settings, db: db)
                try Self.ensureTerms(updated, now: now, db: db)
            } else {
                updated = try Self.touch(deal, now: now, settings: settings, db: db) { current in
                    StoreError.dealTransitionRefused(DealTransitionError(transition: .accept, current: current))
                }
            }
            _ = try Self.appendAudit(
                .dealAccepted(updated, from: deal.state, by: actor, organisationID: party.organisationID, bothAccepted: waiting == 0), key: key,
                now: now,
                db: db)
            return updated
        }
    }

    /// Records a party's refusal of the report: `matched` → `cancelled`.
    package func decline(dealID: String, reason: String?, actor: AuditActor, now: Date) throws(StoreError) -> DealRecord {
        let key = try requireAuditKey()
        return try write { db in
            let (deal, party) = try Self.partyAnswering(dealID, .decline, actor: actor, db: db)
            try db.execute(
                sql: "UPDATE deal_party SET declinedAt = ?, acceptedAt = NULL WHERE dealID = ? AND organisationID = ?",
                arguments: [Timestamp.seconds(now), dealID, party.organisationID])
            var updated = deal
            try Self.move(&updated, .decline, now: now, settings: Self.settings(db), db: db)
            _ = try Self.appendAudit(
                .dealMoved(.decline, updated, from: deal.state, by: actor, organisationID: party.organisationID, reason: reason), key: key, now: now,
                db: db)
            return updated
        }
    }

    /// An operator approves a deal both parties accepted: `accepted` → `approved`, once both firms have a billing mandate
    /// in force (the broker issues their exchange invoices in their names at release).
    package func approve(dealID: String, actor: AuditActor, now: Date) throws(StoreError) -> DealRecord {
        try transition(dealID, .approve, actor: actor, now: now) { deal, db in
            try Self.requireMandates(deal, db: db)
            try Self.ensureTerms(deal, now: now, db: db)
        }
    }

    /// An operator rejects a deal, saying why: `accepted` → `rejected`.
    package func reject(dealID: String, reason: String, actor: AuditActor, now: Date) throws(StoreError) -> DealRecord {
        let reason = try StoreRules.requiredReason(reason)
        return try transition(dealID, .reject, actor: actor, reason: reason, now: now)
    }

    /// Records the deliveries the server sealed and stored, and moves the deal `approved` → `released`; refused while a
    /// party has no billing mandate in force.
    ///
    /// At most one delivery per party, each to a party from the other; downloads and expiry come from the settings. When
    /// the release is refused (another release won the race), nothing is recorded and the caller deletes its blob files.
    package func release(dealID: String, deliveries: [DeliveryDraft], actor: AuditActor, now: Date) throws(StoreError) -> [DeliveryRecord] {
        let key = try requireAuditKey()
        return try write { db in
            var deal = try Self.dealForTransition(dealID, .release, actor: actor, db: db)
            // A mandate withdrawn since approval stops the release: its invoices could not be issued.
            try Self.requireMandates(deal, db: db)
            try Self.ensureTerms(deal, now: now, db: db)
            try StoreRules.checkDeliveries(deliveries, of: deal)
            let settings = try Self.settings(db)
            let from = deal.state
            try Self.move(&deal, .release, now: now, settings: settings, db: db) { deal in deal.releasedAt = Timestamp.stored(now) }
            // Each delivery is sealed to the key its recipient has registered now, including a change whose delay just ended.
            _ = try Self.settleKeyChanges(now: now, key: key, db: db)
            let records = try deliveries.map { draft in
                let record = DeliveryRecord(
                    releasing: draft, of: deal, to: try OrganisationRecord.find(db, key: draft.recipientID), settings: settings, now: now)
                try BlobRecord(draft.blob, createdAt: record.createdAt).insert(db)
                try record.insert(db)
                let indexed = try db.makeStatement(sql: "INSERT OR IGNORE INTO delivery_contact (deliveryID, kind, key) VALUES (?, ?, ?)")
                for recipientKey in draft.recipientKeys {
                    try indexed.execute(arguments: [record.id, recipientKey.kind, Data(recipientKey.key.bytes)])
                }
                return record
            }
            _ = try Self.appendAudit(.dealReleased(deal, from: from, deliveries: records, by: actor), key: key, now: now, db: db)
            return records
        }
    }

    /// A party or an operator withdraws before release: → `cancelled`.
    package func cancel(dealID: String, reason: String?, actor: AuditActor, now: Date) throws(StoreError) -> DealRecord {
        try transition(dealID, .cancel, actor: actor, reason: reason, now: now)
    }

    /// Ends every deal not released whose expiry has come: → `expired`, one audit entry each, all in one transaction.
    package func expireStalledDeals(now: Date) throws(StoreError) -> [DealRecord] {
        let key = try requireAuditKey()
        return try write { db in
            let stalled = try DealRecord.filter(DealTransition.expire.from.map(\.rawValue).contains(DealRecord.Columns.state))
                .filter(DealRecord.Columns.expiresAt <= Timestamp.seconds(now)).order(DealRecord.Columns.expiresAt, DealRecord.Columns.id).fetchAll(
                    db)
            let settings = try Self.settings(db)
            return try stalled.map { deal in
                var expired = deal
                try Self.move(&expired, .expire, now: now, settings: settings, db: db)
                _ = try Self.appendAudit(.dealMoved(.expire, expired, from: deal.state, by: .system, reason: nil), key: key, now: now, db: db)
                return expired
            }
        }
    }

    /// Closes an invoiced deal at the end of retention: `invoiced` → `closed`, purging its deliveries, the record of who
    /// received whom, and the source files no other deal still holds. Rows go first; the caller then deletes the returned
    /// blob files.
    package func closeDeal(dealID: String, actor: AuditActor, now: Date) throws(StoreError) -> ClosedDeal {
        let key = try requireAuditKey()
        return try write { db in
            var deal = try Self.dealForTransition(dealID, .close, actor: actor, db: db)
            let from = deal.state
            try Self.move(&deal, .close, now: now, settings: Self.settings(db), db: db)
            var purged: [String] = []
            for delivery in try DeliveryRecord.filter(DeliveryRecord.Columns.dealID == dealID).fetchAll(db) {
                guard let blobID = delivery.blobID else { continue }
                try db.execute(
                    sql: "UPDATE delivery SET blobID = NULL, purgedAt = ? WHERE id = ?", arguments: [Timestamp.seconds(now), delivery.id])
                try BlobRecord.deleteOne(db, key: blobID)
                purged.append(blobID)
            }
            try db.execute(
                sql: "DELETE FROM delivery_contact WHERE deliveryID IN (SELECT id FROM delivery WHERE dealID = ?)", arguments: [dealID])
            let recipientKeysPurged = db.changesCount
            let fileIDs = try DealFileRecord.filter(DealFileRecord.Columns.dealID == dealID && DealFileRecord.Columns.fileID != nil)
                .select(DealFileRecord.Columns.fileID, as: String.self).fetchAll(db)
            try db.execute(sql: "UPDATE deal_file SET fileID = NULL WHERE dealID = ?", arguments: [dealID])
            var filesPurged = 0
            for fileID in fileIDs {
                // A file another deal still holds stays until that deal lets it go.
                guard try DealFileRecord.filter(DealFileRecord.Columns.fileID == fileID).fetchCount(db) == 0 else { continue }
                let file = try FileRecord.find(db, key: fileID)
                try file.delete(db)
                try BlobRecord.deleteOne(db, key: file.blobID)
                purged.append(file.blobID)
                filesPurged += 1
            }
            _ = try Self.appendAudit(
                .dealClosed(
                    deal, from: from, blobsPurged: purged.count, filesPurged: filesPurged, recipientKeysPurged: recipientKeysPurged, by: actor),
                key: key, now: now, db: db)
            return ClosedDeal(deal: deal, purgedBlobIDs: purged)
        }
    }

    /// The deal with `id`, or nil.
    package func deal(id: String) throws(StoreError) -> DealRecord? {
        try read { db in try DealRecord.fetchOne(db, key: id) }
    }

    /// The deals an organisation is a party of, or every deal when `organisationID` is nil (operators), oldest first.
    package func deals(organisationID: String?) throws(StoreError) -> [DealRecord] {
        try read { db in
            var request = DealRecord.order(DealRecord.Columns.createdAt, DealRecord.Columns.id)
            if let organisationID {
                request = request.filter(DealRecord.Columns.proposerID == organisationID || DealRecord.Columns.partnerID == organisationID)
            }
            return try request.fetchAll(db)
        }
    }

    /// Deals in `state`, oldest first: what a maintenance duty looks for, without reading every deal the broker holds.
    package func deals(in state: DealState) throws(StoreError) -> [DealRecord] {
        try read { db in
            try DealRecord.fetchAll(db, cached: "SELECT * FROM deal WHERE state = ? ORDER BY createdAt, id", arguments: [state.rawValue])
        }
    }

    /// The deals the maintenance pass may have to finish by `now`: released ones (a crash may have left their invoices
    /// unissued) and invoiced ones whose retention may have run out. A month is at least 28 days, so an invoiced deal
    /// released less than `retentionMonths` × 28 days ago cannot be due; the caller's calendar decides for the rest.
    /// A pass then reads what may be due, not every deal the broker ever held.
    package func dealsDueForMaintenance(now: Date) throws(StoreError) -> [DealRecord] {
        try read { db in
            try DealRecord.fetchAll(
                db,
                cached: """
                    SELECT * FROM deal
                    WHERE state = 'released'
                       OR (state = 'invoiced' AND releasedAt IS NOT NULL AND releasedAt <= ? - retentionMonths * 28 * 86400)
                    ORDER BY createdAt, id
                    """, arguments: [Timestamp.seconds(now)])
        }
    }

    /// The two parties' answers, proposer first.
    package func dealParties(dealID: String) throws(StoreError) -> [DealPartyRecord] {
        try read { db in
            try DealPartyRecord.fetchAll(
                db,
                sql: """
                    SELECT deal_party.* FROM deal_party JOIN deal ON deal.id = deal_party.dealID
                    WHERE deal_party.dealID = ? ORDER BY deal_party.organisationID != deal.proposerID
                    """, arguments: [dealID])
        }
    }

    /// The files attached to a deal, first attached first.
    package func dealFiles(dealID: String) throws(StoreError) -> [DealFileRecord] {
        try read { db in
            try DealFileRecord.filter(DealFileRecord.Columns.dealID == dealID).order(
                DealFileRecord.Columns.attachedAt, DealFileRecord.Columns.organisationID
            ).fetchAll(db)
        }
    }

    /// Runs a transition that changes nothing but the deal row, in one transaction with its audit entry.
    private func transition(
        _ dealID: String, _ transition: DealTransition, actor: AuditActor, reason: String? = nil, now: Date,
        changes: (inout DealRecord, Database) throws -> Void = { _, _ in }
    ) throws(StoreError) -> DealRecord {
        let key = try requireAuditKey()
        return try write { db in
            var deal = try Self.dealForTransition(dealID, transition, actor: actor, db: db)
            let from = deal.state
            try changes(&deal, db)
            try Self.move(&deal, transition, now: now, settings: Self.settings(db), db: db)
            _ = try Self.appendAudit(.dealMoved(transition, deal, from: from, by: actor, reason: reason), key: key, now: now, db: db)
            return deal
        }
    }

    /// The deal, if the actor may see it: partners see only their own deals, others see all.
    static func visibleDeal(_ dealID: String, actor: AuditActor, db: Database) throws -> DealRecord {
        try StoreRules.visible(try DealRecord.fetchOne(db, key: dealID), dealID: dealID, to: actor)
    }

    /// The deal, once the actor may make `transition` and the deal is in one of its `from` states.
    static func dealForTransition(_ dealID: String, _ transition: DealTransition, actor: AuditActor, db: Database) throws -> DealRecord {
        try StoreRules.checkTransition(transition, of: try DealRecord.fetchOne(db, key: dealID), dealID: dealID, by: actor)
    }

    /// Applies `transition` with an UPDATE guarded by the state read: zero rows changed means another transaction moved
    /// the deal first, and the transition is refused with the state it left.
    static func move(
        _ deal: inout DealRecord, _ transition: DealTransition, now: Date, settings: BrokerSettings, db: Database,
        changes: (inout DealRecord) -> Void = { _ in }
    ) throws {
        let from = deal.state
        deal.move(transition, now: now, settings: settings)
        changes(&deal)
        try db.execute(
            sql: """
                UPDATE deal SET state = ?, overrideReason = ?, reportJSON = ?, updatedAt = ?, expiresAt = ?, releasedAt = ?
                WHERE id = ? AND state = ?
                """,
            arguments: [
                deal.state, deal.overrideReason, deal.reportJSON, Timestamp.seconds(deal.updatedAt), Timestamp.seconds(deal.expiresAt),
                deal.releasedAt.map(Timestamp.seconds), deal.id, from,
            ])
        guard db.changesCount == 1 else {
            let current = try DealRecord.filter(key: deal.id).select(DealRecord.Columns.state, as: DealState.self).fetchOne(db) ?? from
            throw StoreError.dealTransitionRefused(DealTransitionError(transition: transition, current: current))
        }
    }

    /// Records progress on a deal that keeps its state: its update date, and its expiry pushed back; `refusal` is thrown
    /// with the state found if another transaction moved the deal first.
    @discardableResult
    static func touch(
        _ deal: DealRecord, now: Date, settings: BrokerSettings, db: Database, refusal: (DealState) -> StoreError
    ) throws -> DealRecord {
        var touched = deal
        touched.touch(now: now, settings: settings)
        try db.execute(
            sql: "UPDATE deal SET updatedAt = ?, expiresAt = ? WHERE id = ? AND state = ?",
            arguments: [Timestamp.seconds(touched.updatedAt), Timestamp.seconds(touched.expiresAt), deal.id, deal.state])
        guard db.changesCount == 1 else {
            throw refusal(try DealRecord.filter(key: deal.id).select(DealRecord.Columns.state, as: DealState.self).fetchOne(db) ?? deal.state)
        }
        return touched
    }

    /// The deal and the answering party's row, for `accept` and `decline`: the actor's organisation must be a party.
    private static func partyAnswering(
        _ dealID: String, _ transition: DealTransition, actor: AuditActor, db: Database
    ) throws -> (DealRecord, DealPartyRecord) {
        let deal = try dealForTransition(dealID, transition, actor: actor, db: db)
        guard let organisationID = actor.organisationID,
            let party = try DealPartyRecord.fetchOne(db, key: ["dealID": dealID, "organisationID": organisationID])
        else { throw StoreError.dealNotFound(id: dealID) }
        return (deal, party)
    }
}
