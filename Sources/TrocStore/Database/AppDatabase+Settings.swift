package import Foundation
import GRDB
import TrocCore

extension AppDatabase {
    /// The settings in force: what operators set, over the defaults.
    package func settings() throws(StoreError) -> BrokerSettings {
        try read { db in try Self.settings(db) }
    }

    /// Applies `change` after checking the merged settings with TrocCore's rules, and audits each changed setting's
    /// before and after; a change that changes nothing writes nothing.
    ///
    /// The identity (legal name, address, SIREN, VAT number, IBAN, BIC) is given whole the first time; the terms are
    /// checked on their own until then.
    package func updateSettings(_ change: SettingsChange, reason: String? = nil, actor: AuditActor, now: Date) throws(StoreError) -> BrokerSettings {
        let key = try requireAuditKey()
        return try write { db in
            let current = try BrokerSettingsRecord.find(db, key: 1)
            let before = current.settings
            if StoreRules.movedFinancialYear(change, from: before.financialYear) != nil {
                let period = before.financialYear.period(containing: Timestamp.day(now))
                let issued = try InvoiceRecord.filter(period.contains(InvoiceRecord.Columns.issueDate)).fetchCount(db)
                try StoreRules.refuseFinancialYearMove(current: period, invoices: issued)
            }
            var record = try StoreRules.applying(change, to: current)
            let after = record.settings
            guard let entry = AuditDraft.settingsUpdated(from: before, to: after, by: actor, reason: reason) else { return before }
            record.updatedAt = Timestamp.stored(now)
            try record.update(db)
            _ = try Self.appendAudit(entry, key: key, now: now, db: db)
            return after
        }
    }

    /// The settings in force, inside a transaction.
    static func settings(_ db: Database) throws -> BrokerSettings {
        // A partner's `GET /v1/me` reads them on every call; the row always exists, `find` says so if it ever did not.
        guard let record = try BrokerSettingsRecord.fetchOne(db, cached: "SELECT * FROM broker_settings WHERE id = 1", arguments: []) else {
            return try BrokerSettingsRecord.find(db, key: 1).settings
        }
        return record.settings
    }
}
