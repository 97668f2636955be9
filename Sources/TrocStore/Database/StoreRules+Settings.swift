import Foundation
package import TrocCore

/// The rules a change of the broker's settings or of its sector tables meets, whatever the engine that stores them.
extension StoreRules {
    /// The settings row after `change`: the identity merged (given whole the first time), each given setting set, the
    /// result checked with TrocCore's rules and the operational ranges and its identity normalised.
    ///
    /// A new start of the financial year is applied here; the caller first refuses it with `refuseFinancialYearMove`
    /// when the current year already has invoices, which only its engine can count.
    package static func applying(_ change: SettingsChange, to current: BrokerSettingsRecord) throws(StoreError) -> BrokerSettingsRecord {
        var record = current
        let before = record.settings
        if let identity = try mergedIdentity(before.identity, change) { record.setIdentity(identity) }
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
        if let value = movedFinancialYear(change, from: before.financialYear) {
            (record.financialYearStartMonth, record.financialYearStartDay) = (value.startMonth, value.startDay)
        }
        if let identity = try validated(record.settings).identity { record.setIdentity(identity) }
        return record
    }

    /// The financial year `change` sets, when it differs from `current`.
    package static func movedFinancialYear(_ change: SettingsChange, from current: FinancialYear) -> FinancialYear? {
        guard let value = change.financialYear, value != current else { return nil }
        return value
    }

    /// Refuses to move the financial year's start once invoices were issued in the current one (`invoices` of them in
    /// `period`): its FEC would then cover a different period than the books already kept for it.
    package static func refuseFinancialYearMove(current period: ClosedRange<CivilDate>, invoices: Int) throws(StoreError) {
        guard invoices == 0 else { throw .financialYearLocked(current: period, invoices: invoices) }
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

    /// Checks a sector for the renovation / home-adaptation list: a sub-class of the nomenclature it names.
    package static func validateRenovationSector(_ sector: RenovationSector) throws(StoreError) {
        guard ReferenceData.embedded.subclass(sector.code, in: sector.nomenclature) != nil else {
            throw .invalidField(field: "code", value: sector.code, reason: "not a \(sector.nomenclature.name) sub-class code")
        }
    }

    /// Checks a confidential sector as an operator writes it: a NAF rév. 2 sub-class, a scope, a label and a rationale.
    package static func validateConfidential(code: String, label: String, scope: String, rationale: String) throws(StoreError) {
        try validateSubclass(code)
        guard ["core", "optional"].contains(scope) else {
            throw .invalidField(field: "scope", value: scope, reason: "core (always excluded) or optional (excluded by default, reviewable)")
        }
        for (field, value) in [("label", label), ("rationale", rationale)] where value.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .invalidField(field: field, value: value, reason: "must not be empty")
        }
    }

    /// Checks that `code` is a NAF rév. 2 sub-class.
    package static func validateSubclass(_ code: String) throws(StoreError) {
        guard ReferenceData.embedded.subclasses[code] != nil else {
            throw .invalidField(field: "code", value: code, reason: "not a NAF rév. 2 sub-class code (expected the form 43.32A)")
        }
    }

    /// Checks a cluster name: lowercase letters, digits and dashes, as in `renovation-habitat`.
    package static func validateCluster(_ cluster: String) throws(StoreError) {
        let bytes = Array(cluster.utf8)
        let valid =
            (1...64).contains(bytes.count)
            && bytes.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "-") }
        guard valid else {
            throw .invalidField(field: "cluster", value: cluster, reason: "1 to 64 lowercase letters, digits and dashes, such as renovation-habitat")
        }
    }
}
