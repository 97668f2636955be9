package import Foundation
import GRDB
import TrocCore

extension AppDatabase {
    /// Records why deal `dealID` did not match although both files `fileIDs` are in, replacing an earlier reason, and
    /// audits it. Refused if the deal moved on or a file was replaced meanwhile.
    package func holdMatch(dealID: String, _ hold: MatchHold, fileIDs: Set<String>, now: Date) throws(StoreError) -> MatchHoldRecord {
        let key = try requireAuditKey()
        return try write { db in
            guard let deal = try DealRecord.fetchOne(db, key: dealID) else { throw StoreError.dealNotFound(id: dealID) }
            guard deal.state == .awaitingFiles else { throw StoreError.dealNotAwaitingFiles(dealID: dealID, current: deal.state) }
            let attached = try DealFileRecord.filter(DealFileRecord.Columns.dealID == dealID && DealFileRecord.Columns.fileID != nil)
                .select(DealFileRecord.Columns.fileID, as: String.self).fetchAll(db)
            guard Set(attached) == fileIDs else { throw StoreError.dealFilesChanged(dealID: dealID) }
            let record = MatchHoldRecord(dealID: dealID, hold: hold, now: now)
            try record.save(db)
            _ = try Self.appendAudit(.matchHeld(record, hold), key: key, now: now, db: db)
            return record
        }
    }

    /// Why deal `dealID` did not match, if it is waiting on that.
    package func matchHold(dealID: String) throws(StoreError) -> MatchHoldRecord? {
        try read { db in try MatchHoldRecord.fetchOne(db, key: dealID) }
    }

    /// The spends still counting between two firms: those on `organisationID`'s files shown to `counterpartID`.
    package func privacySpends(organisationID: String, counterpartID: String, now: Date) throws(StoreError) -> [PrivacySpendRecord] {
        try read { db in try Self.privacySpends(organisationID: organisationID, counterpartID: counterpartID, now: now, db: db) }
    }

    /// The spends still counting on `organisationID`'s files towards `counterpartID`, oldest first.
    static func privacySpends(organisationID: String, counterpartID: String, now: Date, db: Database) throws -> [PrivacySpendRecord] {
        try PrivacySpendRecord.filter(
            PrivacySpendRecord.Columns.organisationID == organisationID && PrivacySpendRecord.Columns.counterpartID == counterpartID
        )
        .filter(PrivacySpendRecord.Columns.countsUntil > Timestamp.seconds(now)).order(
            PrivacySpendRecord.Columns.countsUntil, PrivacySpendRecord.Columns.dealID
        ).fetchAll(db)
    }

    /// Refuses when the reports between two firms that still count leave less than one report's budget, either way,
    /// saying from when a report fits again. The budget per pair is the settings' reports per pair times ε.
    static func requirePrivacyBudget(between first: String, and second: String, now: Date, db: Database) throws {
        try StoreRules.requirePrivacyBudget(
            reportsPerPair: try settings(db).privacyReportsPerPair,
            spends: try [(first, second), (second, first)].map { owner, viewer in
                (owner, viewer, try privacySpends(organisationID: owner, counterpartID: viewer, now: now, db: db))
            })
    }

    /// Spends one report's budget on each party's file towards the other, counting until the end of the deal's
    /// retention window; refused, with nothing written, when the budget between them is spent.
    static func spendPrivacyBudget(on deal: DealRecord, now: Date, db: Database) throws {
        try requirePrivacyBudget(between: deal.proposerID, and: deal.partnerID, now: now, db: db)
        for spend in StoreRules.privacySpends(of: deal, now: now) { try spend.insert(db) }
    }
}

extension AuditAction {
    /// A deal with both files in did not match: a file under the minimum, or the privacy budget between the firms spent.
    package static let dealHold: AuditAction = "deal.hold"
}
