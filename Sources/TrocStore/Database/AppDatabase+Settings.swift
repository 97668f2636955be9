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
            var record = try BrokerSettingsRecord.find(db, key: 1)
            let before = record.settings
            if let identity = try Self.mergedIdentity(before.identity, change) { record.setIdentity(identity) }
            if let value = change.commissionBasisPoints { record.commissionBasisPoints = value }
            if let value = change.minimumPricePer1000 { record.minimumPricePer1000Cents = value.cents }
            if let value = change.maximumPricePer1000 { record.maximumPricePer1000Cents = value.cents }
            if let value = change.paymentTermsDays { record.paymentTermsDays = value }
            if let value = change.latePenalty { record.latePenalty = value }
            if let value = change.seriesPrefix { record.seriesPrefix = value }
            if let value = change.deliveryDownloads { record.deliveryDownloads = value }
            if let value = change.deliveryDays { record.deliveryDays = value }
            if let value = change.retentionMonths { record.retentionMonths = value }
            if let value = change.dealExpiryDays { record.dealExpiryDays = value }
            if let value = change.keyChangeDelayHours { record.keyChangeDelayHours = value }
            if let value = change.consoleIdleMinutes { record.consoleIdleMinutes = value }
            if let value = change.consoleSessionHours { record.consoleSessionHours = value }
            if let value = change.disputeWindowDays { record.disputeWindowDays = value }
            if let value = change.unattachedFileDays { record.unattachedFileDays = value }
            if let value = change.minimumExchangeable { record.minimumExchangeable = value }
            if let value = change.privacyReportsPerPair { record.privacyReportsPerPair = value }
            if let value = change.firmStorageQuotaBytes { record.firmStorageQuotaBytes = value }
            if let value = change.firmFileQuota { record.firmFileQuota = value }
            if let value = change.collectionByBroker { record.collectionByBroker = value }
            if let value = change.financialYear, value != before.financialYear {
                try Self.refuseFinancialYearChange(before.financialYear, today: Timestamp.day(now), db: db)
                (record.financialYearStartMonth, record.financialYearStartDay) = (value.startMonth, value.startDay)
            }
            var after = try Self.validated(record.settings)
            if let identity = after.identity { record.setIdentity(identity) }
            after = record.settings
            let (old, new) = (before.auditValues, after.auditValues)
            let changed = new.keys.filter { old[$0] != new[$0] }.sorted()
            guard !changed.isEmpty else { return before }
            record.updatedAt = Timestamp.stored(now)
            try record.update(db)
            var detail: [String: AuditValue] = [:]
            for name in changed { detail[name] = ["before": old[name] ?? .null, "after": new[name] ?? .null] }
            _ = try Self.appendAudit(
                AuditDraft(action: .settingsUpdate, actor: actor, detail: ["changes": .object(detail)], reason: reason), key: key, now: now, db: db)
            return after
        }
    }

    /// Refuses to move the financial year's start once invoices were issued in the current one: its FEC would then
    /// cover a different period than the books already kept for it.
    private static func refuseFinancialYearChange(_ current: FinancialYear, today: CivilDate, db: Database) throws {
        let period = current.period(containing: today)
        let issued =
            try InvoiceRecord.filter(period.contains(InvoiceRecord.Columns.issueDate)).fetchCount(db)
        guard issued == 0 else { throw StoreError.financialYearLocked(current: period, invoices: issued) }
    }

    /// The settings in force, inside a transaction.
    static func settings(_ db: Database) throws -> BrokerSettings {
        // A partner's `GET /v1/me` reads them on every call; the row always exists, `find` says so if it ever did not.
        guard let record = try BrokerSettingsRecord.fetchOne(db, cached: "SELECT * FROM broker_settings WHERE id = 1", arguments: []) else {
            return try BrokerSettingsRecord.find(db, key: 1).settings
        }
        return record.settings
    }

    /// The identity after `change`: nil when none is set or given, an error naming what is missing when only part is.
    private static func mergedIdentity(_ current: BrokerIdentity?, _ change: SettingsChange) throws(StoreError) -> BrokerIdentity? {
        let legalName = change.legalName ?? current?.legalName
        let address = change.address ?? current?.address
        let siren = change.siren ?? current?.siren
        let vatNumber = change.vatNumber ?? current?.vatNumber
        let iban = change.iban ?? current?.iban
        let bic = change.bic ?? current?.bic
        if let legalName, let address, let siren, let vatNumber, let iban, let bic {
            return BrokerIdentity(legalName: legalName, address: address, siren: siren, vatNumber: vatNumber, iban: iban, bic: bic)
        }
        let given: [String: Bool] = [
            "legalName": legalName != nil, "address": address != nil, "siren": siren != nil, "vatNumber": vatNumber != nil, "iban": iban != nil,
            "bic": bic != nil,
        ]
        let missing = BrokerSettings.identityFields.filter { given[$0] == false }
        guard missing.count < BrokerSettings.identityFields.count else { return nil }
        throw .invalidSettings(BrokerSettingsError(problems: missing.map(BrokerSettingsProblem.emptyField)))
    }

    /// `settings` with the identity normalised by TrocCore, or every problem TrocCore and the operational ranges find.
    private static func validated(_ settings: BrokerSettings) throws(StoreError) -> BrokerSettings {
        let operational: [(String, Int, ClosedRange<Int>, String)] = [
            ("deliveryDownloads", settings.deliveryDownloads, BrokerSettings.deliveryDownloadsRange, "downloads"),
            ("deliveryDays", settings.deliveryDays, BrokerSettings.deliveryDaysRange, "days"),
            ("retentionMonths", settings.retentionMonths, BrokerSettings.retentionMonthsRange, "months (the CNIL's outer limit is 36)"),
            ("dealExpiryDays", settings.dealExpiryDays, BrokerSettings.dealExpiryDaysRange, "days"),
            ("keyChangeDelayHours", settings.keyChangeDelayHours, BrokerSettings.keyChangeDelayHoursRange, "hours"),
            ("consoleIdleMinutes", settings.consoleIdleMinutes, BrokerSettings.consoleIdleMinutesRange, "minutes"),
            ("consoleSessionHours", settings.consoleSessionHours, BrokerSettings.consoleSessionHoursRange, "hours"),
            ("disputeWindowDays", settings.disputeWindowDays, BrokerSettings.disputeWindowDaysRange, "days"),
            ("unattachedFileDays", settings.unattachedFileDays, BrokerSettings.unattachedFileDaysRange, "days"),
            ("minimumExchangeable", settings.minimumExchangeable, BrokerSettings.minimumExchangeableRange, "exchangeable contacts"),
            ("privacyReportsPerPair", settings.privacyReportsPerPair, BrokerSettings.privacyReportsPerPairRange, "reports"),
            ("firmFileQuota", settings.firmFileQuota, BrokerSettings.firmFileQuotaRange, "files"),
        ]
        for (field, value, range, unit) in operational where !range.contains(value) {
            throw .invalidField(field: field, value: String(value), reason: "must be \(range.lowerBound) to \(range.upperBound) \(unit)")
        }
        let storage = BrokerSettings.firmStorageQuotaBytesRange
        if !storage.contains(settings.firmStorageQuotaBytes) {
            throw .invalidField(
                field: "firmStorageQuotaBytes", value: String(settings.firmStorageQuotaBytes),
                reason: "must be \(storage.lowerBound) bytes (1 KiB) to \(storage.upperBound) bytes (1 PiB)")
        }
        var result = settings
        if settings.identity != nil {
            let checked = try settings.invoicing()
            result.identity?.legalName = checked.legalName
            result.identity?.vatNumber = checked.vatNumber.text
            result.identity?.iban = checked.iban.text
            result.identity?.bic = checked.bic.text
            return result
        }
        // Without an identity, TrocCore still judges the terms: its complaints about the missing identity are set aside.
        do throws(BrokerSettingsError) {
            _ = try BrokerInvoicingSettings(
                legalName: "", address: PostalAddress(street: "", postcode: "", city: "", countryCode: ""), siren: "", vatNumber: "", iban: "",
                bic: "", commissionBasisPoints: settings.commissionBasisPoints, minimumPricePer1000: settings.minimumPricePer1000,
                maximumPricePer1000: settings.maximumPricePer1000, paymentTermsDays: settings.paymentTermsDays, latePenalty: settings.latePenalty,
                seriesPrefix: settings.seriesPrefix)
        } catch {
            let terms = error.problems.filter { problem in
                switch problem {
                case .commissionOutOfRange, .priceBoundsOutOfRange, .priceBoundsInverted, .paymentTermsOutOfRange, .latePenaltyTooLow,
                    .invalidSeriesPrefix:
                    true
                default:
                    false
                }
            }
            if !terms.isEmpty { throw .invalidSettings(BrokerSettingsError(problems: terms)) }
        }
        return result
    }
}
