package import Foundation
import GRDB
package import TrocCore

/// The broker's legal identity as invoices print it; set as a whole the first time, then field by field.
package struct BrokerIdentity: Sendable, Hashable {
    /// Legal name.
    package var legalName: String
    /// Registered address, in France.
    package var address: PostalAddress
    /// SIREN, 9 digits.
    package var siren: String
    /// French VAT number matching the SIREN, normalised.
    package var vatNumber: String
    /// IBAN of the account partners pay into, normalised.
    package var iban: String
    /// BIC of that account.
    package var bic: String

    /// An identity from its parts.
    package init(legalName: String, address: PostalAddress, siren: String, vatNumber: String, iban: String, bic: String) {
        self.legalName = legalName
        self.address = address
        self.siren = siren
        self.vatNumber = vatNumber
        self.iban = iban
        self.bic = bic
    }
}

/// The broker settings in force: what an operator set, and the defaults for the rest.
package struct BrokerSettings: Sendable, Hashable {
    /// The invoicing identity, nil until set.
    package var identity: BrokerIdentity?
    /// Commission on the exchange net a partner received, in basis points.
    package var commissionBasisPoints: Int
    /// Lowest price a deal may agree per 1,000 addresses.
    package var minimumPricePer1000: Money
    /// Highest price a deal may agree per 1,000 addresses.
    package var maximumPricePer1000: Money
    /// Days from an invoice's issue date to its due date.
    package var paymentTermsDays: Int
    /// Late-payment penalty printed on invoices.
    package var latePenalty: LatePenaltyRate
    /// Start of the broker's invoice numbers.
    package var seriesPrefix: String
    /// Downloads each delivery allows.
    package var deliveryDownloads: Int
    /// Days a delivery stays downloadable after release.
    package var deliveryDays: Int
    /// The freshness window of contacts, and how long after release a deal stays open, keeping who received whom for
    /// erasure notices, before it closes.
    package var retentionMonths: Int
    /// Days without progress after which a deal expires.
    package var dealExpiryDays: Int
    /// Hours between an operator's approval of a delivery-key change and the new key taking effect.
    package var keyChangeDelayHours = 24
    /// Minutes without a request after which a console session ends.
    package var consoleIdleMinutes = 30
    /// Hours after which a console session ends, however busy.
    package var consoleSessionHours = 12
    /// Days after release that a deal's source files are kept for disputes, then purged.
    package var disputeWindowDays: Int
    /// Days after upload that a file attached to no deal is kept, then purged.
    package var unattachedFileDays: Int
    /// Exchangeable contacts (before the suppression list) each file needs for its deal to match, so that planting a
    /// few contacts to probe the other file costs a real file's worth of contacts.
    package var minimumExchangeable: Int = 500
    /// Match reports two firms may get about each other within the retention window: each spends the budget ε of one
    /// report on each firm's data (`PartnerPrivacy`), so averaging many reports cannot wash the noise out.
    package var privacyReportsPerPair: Int = 2
    /// Bytes of stored files (their plaintext size, as listed) one firm may keep.
    package var firmStorageQuotaBytes: Int64 = BrokerSettings.defaultFirmStorageQuotaBytes
    /// Stored files one firm may keep.
    package var firmFileQuota: Int = BrokerSettings.defaultFirmFileQuota
    /// Whether the broker collects the exchange payments for the sellers; off by default, each firm paying the other directly.
    package var collectionByBroker: Bool = false
    /// When the broker's financial year starts; the calendar year by default.
    package var financialYear: FinancialYear = .calendar

    /// What holds until an operator sets otherwise: the 20–35 € price bounds (docs/RULES.md "Money") and 13-month retention, a 5 %
    /// commission, 30-day terms, the statutory late penalty, 3 downloads within 30 days, deals expiring after 60 idle days,
    /// source files kept 30 days after release and files attached to no deal 30 days after upload.
    package static let defaults = BrokerSettings(
        identity: nil, commissionBasisPoints: 500, minimumPricePer1000: BrokerInvoicingSettings.defaultPriceBounds.lowerBound,
        maximumPricePer1000: BrokerInvoicingSettings.defaultPriceBounds.upperBound, paymentTermsDays: 30, latePenalty: .legalInterestMultiple(3),
        seriesPrefix: "TR", deliveryDownloads: 3, deliveryDays: 30, retentionMonths: 13, dealExpiryDays: 60, disputeWindowDays: 30,
        unattachedFileDays: 30)

    /// The ranges of the operational settings (the schema checks the same).
    package static let deliveryDownloadsRange = 1...100
    /// Allowed delivery windows, in days.
    package static let deliveryDaysRange = 1...365
    /// Allowed retention, in months: the CNIL's outer limit for prospects is 3 years.
    package static let retentionMonthsRange = 1...36
    /// Allowed idle days before a deal expires.
    package static let dealExpiryDaysRange = 1...365
    /// Allowed key-change delays, in hours: long enough for the firm to see the change, at most 30 days.
    package static let keyChangeDelayHoursRange = 1...720
    /// Allowed console idle timeouts, in minutes.
    package static let consoleIdleMinutesRange = 5...720
    /// Allowed console session lifetimes, in hours.
    package static let consoleSessionHoursRange = 1...168
    /// Allowed dispute windows, in days: a short one, as the files are kept no longer than the deal needs (GDPR art. 5(1)(e)).
    package static let disputeWindowDaysRange = 1...90
    /// Allowed days a file attached to no deal is kept.
    package static let unattachedFileDaysRange = 1...90
    /// Allowed minimum file sizes, in exchangeable contacts.
    package static let minimumExchangeableRange = 1...1_000_000
    /// Allowed reports per pair of firms within the retention window.
    package static let privacyReportsPerPairRange = 1...12
    /// A firm's storage by default: 10 GiB, ten of the largest uploads the daemon takes by default.
    package static let defaultFirmStorageQuotaBytes: Int64 = 10 << 30
    /// A firm's stored files by default.
    package static let defaultFirmFileQuota = 100
    /// Allowed storage quotas: 1 KiB to 1 PiB.
    package static let firmStorageQuotaBytesRange: ClosedRange<Int64> = 1 << 10...1 << 50
    /// Allowed file quotas.
    package static let firmFileQuotaRange = 1...100_000

    /// The invoicing settings TrocCore computes invoices with, checked again by TrocCore; fails until the identity is set.
    package func invoicing() throws(StoreError) -> BrokerInvoicingSettings {
        guard let identity else { throw .invoicingNotConfigured(missing: BrokerSettings.identityFields) }
        do throws(BrokerSettingsError) {
            return try BrokerInvoicingSettings(
                legalName: identity.legalName, address: identity.address, siren: identity.siren, vatNumber: identity.vatNumber,
                iban: identity.iban, bic: identity.bic, commissionBasisPoints: commissionBasisPoints, minimumPricePer1000: minimumPricePer1000,
                maximumPricePer1000: maximumPricePer1000, paymentTermsDays: paymentTermsDays, latePenalty: latePenalty, seriesPrefix: seriesPrefix)
        } catch {
            throw .invalidSettings(error)
        }
    }

    /// The names of the identity fields, as `SettingsChange` and problems name them.
    package static let identityFields = ["legalName", "address", "siren", "vatNumber", "iban", "bic"]

    /// Every setting by name, as the audit trail shows changes.
    var auditValues: [String: AuditValue] {
        var values: [String: AuditValue] = [
            "commissionBasisPoints": AuditValue(commissionBasisPoints), "minimumPricePer1000": .integer(minimumPricePer1000.cents),
            "maximumPricePer1000": .integer(maximumPricePer1000.cents), "paymentTermsDays": AuditValue(paymentTermsDays),
            "latePenalty": .string(latePenalty.frenchText), "seriesPrefix": .string(seriesPrefix),
            "deliveryDownloads": AuditValue(deliveryDownloads), "deliveryDays": AuditValue(deliveryDays),
            "retentionMonths": AuditValue(retentionMonths), "dealExpiryDays": AuditValue(dealExpiryDays),
            "keyChangeDelayHours": AuditValue(keyChangeDelayHours),
            "consoleIdleMinutes": AuditValue(consoleIdleMinutes), "consoleSessionHours": AuditValue(consoleSessionHours),
            "disputeWindowDays": AuditValue(disputeWindowDays), "unattachedFileDays": AuditValue(unattachedFileDays),
            "minimumExchangeable": AuditValue(minimumExchangeable), "privacyReportsPerPair": AuditValue(privacyReportsPerPair),
            "firmStorageQuotaBytes": .integer(firmStorageQuotaBytes), "firmFileQuota": AuditValue(firmFileQuota),
            "collectionByBroker": .boolean(collectionByBroker), "financialYearStart": .string(financialYear.text),
        ]
        for field in Self.identityFields { values[field] = .null }
        if let identity {
            values["legalName"] = .string(identity.legalName)
            values["address"] = [
                "street": .string(identity.address.street), "postcode": .string(identity.address.postcode),
                "city": .string(identity.address.city), "countryCode": .string(identity.address.countryCode),
            ]
            values["siren"] = .string(identity.siren)
            values["vatNumber"] = .string(identity.vatNumber)
            values["iban"] = .string(identity.iban)
            values["bic"] = .string(identity.bic)
        }
        return values
    }
}

/// The settings an operator changes; nil leaves a setting as it is.
package struct SettingsChange: Sendable, Hashable {
    /// Legal name.
    package var legalName: String?
    /// Registered address.
    package var address: PostalAddress?
    /// SIREN.
    package var siren: String?
    /// VAT number.
    package var vatNumber: String?
    /// IBAN.
    package var iban: String?
    /// BIC.
    package var bic: String?
    /// Commission, basis points.
    package var commissionBasisPoints: Int?
    /// Lowest price per 1,000 addresses.
    package var minimumPricePer1000: Money?
    /// Highest price per 1,000 addresses.
    package var maximumPricePer1000: Money?
    /// Payment terms, days.
    package var paymentTermsDays: Int?
    /// Late-payment penalty.
    package var latePenalty: LatePenaltyRate?
    /// Invoice series prefix.
    package var seriesPrefix: String?
    /// Downloads per delivery.
    package var deliveryDownloads: Int?
    /// Days a delivery stays downloadable.
    package var deliveryDays: Int?
    /// Retention in months.
    package var retentionMonths: Int?
    /// Idle days before a deal expires.
    package var dealExpiryDays: Int?
    /// Hours before an approved key change takes effect.
    package var keyChangeDelayHours: Int?
    /// Minutes of idleness that end a console session.
    package var consoleIdleMinutes: Int?
    /// Hours a console session lasts at most.
    package var consoleSessionHours: Int?
    /// Days source files are kept after release.
    package var disputeWindowDays: Int?
    /// Days a file attached to no deal is kept.
    package var unattachedFileDays: Int?
    /// Exchangeable contacts each file of a deal needs.
    package var minimumExchangeable: Int?
    /// Match reports per pair of firms within the retention window.
    package var privacyReportsPerPair: Int?
    /// Bytes of stored files per firm.
    package var firmStorageQuotaBytes: Int64?
    /// Stored files per firm.
    package var firmFileQuota: Int?
    /// Whether the broker collects the exchange payments.
    package var collectionByBroker: Bool?
    /// When the financial year starts.
    package var financialYear: FinancialYear?

    /// A change of the given settings.
    package init(
        legalName: String? = nil, address: PostalAddress? = nil, siren: String? = nil, vatNumber: String? = nil, iban: String? = nil,
        bic: String? = nil, commissionBasisPoints: Int? = nil, minimumPricePer1000: Money? = nil, maximumPricePer1000: Money? = nil,
        paymentTermsDays: Int? = nil, latePenalty: LatePenaltyRate? = nil, seriesPrefix: String? = nil, deliveryDownloads: Int? = nil,
        deliveryDays: Int? = nil, retentionMonths: Int? = nil, dealExpiryDays: Int? = nil, disputeWindowDays: Int? = nil,
        unattachedFileDays: Int? = nil, minimumExchangeable: Int? = nil, privacyReportsPerPair: Int? = nil, firmStorageQuotaBytes: Int64? = nil,
        firmFileQuota: Int? = nil, collectionByBroker: Bool? = nil, financialYear: FinancialYear? = nil
    ) {
        self.legalName = legalName
        self.address = address
        self.siren = siren
        self.vatNumber = vatNumber
        self.iban = iban
        self.bic = bic
        self.commissionBasisPoints = commissionBasisPoints
        self.minimumPricePer1000 = minimumPricePer1000
        self.maximumPricePer1000 = maximumPricePer1000
        self.paymentTermsDays = paymentTermsDays
        self.latePenalty = latePenalty
        self.seriesPrefix = seriesPrefix
        self.deliveryDownloads = deliveryDownloads
        self.deliveryDays = deliveryDays
        self.retentionMonths = retentionMonths
        self.dealExpiryDays = dealExpiryDays
        self.disputeWindowDays = disputeWindowDays
        self.unattachedFileDays = unattachedFileDays
        self.minimumExchangeable = minimumExchangeable
        self.privacyReportsPerPair = privacyReportsPerPair
        self.firmStorageQuotaBytes = firmStorageQuotaBytes
        self.firmFileQuota = firmFileQuota
        self.collectionByBroker = collectionByBroker
        self.financialYear = financialYear
    }
}

/// The single row of `broker_settings`: one nullable column per setting, NULL meaning the default.
///
/// Columns rather than one JSON document: SQLite checks each value's range, an unset setting follows the default of
/// the running build, a new setting is a new nullable column, and the identity's all-or-nothing rule is one CHECK.
package struct BrokerSettingsRecord: StoreRecord {
    package static let databaseTableName = "broker_settings"

    /// Always 1: the table has one row.
    package var id: Int64
    /// Legal name; the nine identity columns are all set or all NULL.
    package var legalName: String?
    /// Street of the registered address.
    package var street: String?
    /// Postcode of the registered address.
    package var postcode: String?
    /// City of the registered address.
    package var city: String?
    /// Country of the registered address, always FR.
    package var countryCode: String?
    /// SIREN.
    package var siren: String?
    /// VAT number, normalised.
    package var vatNumber: String?
    /// IBAN, normalised.
    package var iban: String?
    /// BIC.
    package var bic: String?
    /// Commission in basis points.
    package var commissionBasisPoints: Int?
    /// Lowest price per 1,000 addresses, in cents.
    package var minimumPricePer1000Cents: Int64?
    /// Highest price per 1,000 addresses, in cents.
    package var maximumPricePer1000Cents: Int64?
    /// Payment terms in days.
    package var paymentTermsDays: Int?
    /// Late-payment penalty, as JSON.
    package var latePenalty: LatePenaltyRate?
    /// Invoice series prefix.
    package var seriesPrefix: String?
    /// Downloads per delivery.
    package var deliveryDownloads: Int?
    /// Days a delivery stays downloadable.
    package var deliveryDays: Int?
    /// Retention in months.
    package var retentionMonths: Int?
    /// Idle days before a deal expires.
    package var dealExpiryDays: Int?
    /// Hours before an approved key change takes effect.
    package var keyChangeDelayHours: Int?
    /// Minutes of idleness that end a console session.
    package var consoleIdleMinutes: Int?
    /// Hours a console session lasts at most.
    package var consoleSessionHours: Int?
    /// Days source files are kept after release.
    package var disputeWindowDays: Int?
    /// Days a file attached to no deal is kept.
    package var unattachedFileDays: Int?
    /// Exchangeable contacts each file of a deal needs.
    package var minimumExchangeable: Int?
    /// Match reports per pair of firms within the retention window.
    package var privacyReportsPerPair: Int?
    /// Bytes of stored files per firm.
    package var firmStorageQuotaBytes: Int64?
    /// Stored files per firm.
    package var firmFileQuota: Int?
    /// When an operator last changed a setting.
    package var updatedAt: Date?
    /// Whether the broker collects the exchange payments.
    package var collectionByBroker: Bool?
    /// Month the financial year starts; set with the day or not at all.
    package var financialYearStartMonth: Int?
    /// Day of that month.
    package var financialYearStartDay: Int?

    /// The settings in force: these values over the defaults.
    package var settings: BrokerSettings {
        let defaults = BrokerSettings.defaults
        var identity: BrokerIdentity?
        if let legalName, let street, let postcode, let city, let countryCode, let siren, let vatNumber, let iban, let bic {
            identity = BrokerIdentity(
                legalName: legalName, address: PostalAddress(street: street, postcode: postcode, city: city, countryCode: countryCode),
                siren: siren, vatNumber: vatNumber, iban: iban, bic: bic)
        }
        var settings = BrokerSettings(
            identity: identity, commissionBasisPoints: commissionBasisPoints ?? defaults.commissionBasisPoints,
            minimumPricePer1000: minimumPricePer1000Cents.map(Money.init(cents:)) ?? defaults.minimumPricePer1000,
            maximumPricePer1000: maximumPricePer1000Cents.map(Money.init(cents:)) ?? defaults.maximumPricePer1000,
            paymentTermsDays: paymentTermsDays ?? defaults.paymentTermsDays, latePenalty: latePenalty ?? defaults.latePenalty,
            seriesPrefix: seriesPrefix ?? defaults.seriesPrefix, deliveryDownloads: deliveryDownloads ?? defaults.deliveryDownloads,
            deliveryDays: deliveryDays ?? defaults.deliveryDays, retentionMonths: retentionMonths ?? defaults.retentionMonths,
            dealExpiryDays: dealExpiryDays ?? defaults.dealExpiryDays, disputeWindowDays: disputeWindowDays ?? defaults.disputeWindowDays,
            unattachedFileDays: unattachedFileDays ?? defaults.unattachedFileDays)
        settings.keyChangeDelayHours = keyChangeDelayHours ?? defaults.keyChangeDelayHours
        settings.consoleIdleMinutes = consoleIdleMinutes ?? defaults.consoleIdleMinutes
        settings.consoleSessionHours = consoleSessionHours ?? defaults.consoleSessionHours
        settings.minimumExchangeable = minimumExchangeable ?? defaults.minimumExchangeable
        settings.privacyReportsPerPair = privacyReportsPerPair ?? defaults.privacyReportsPerPair
        settings.firmStorageQuotaBytes = firmStorageQuotaBytes ?? defaults.firmStorageQuotaBytes
        settings.firmFileQuota = firmFileQuota ?? defaults.firmFileQuota
        settings.collectionByBroker = collectionByBroker ?? defaults.collectionByBroker
        settings.financialYear =
            financialYearStartMonth.flatMap { month in
                financialYearStartDay.flatMap { try? FinancialYear(startMonth: month, startDay: $0) }
            } ?? defaults.financialYear
        return settings
    }

    /// Sets the identity columns.
    package mutating func setIdentity(_ identity: BrokerIdentity) {
        legalName = identity.legalName
        street = identity.address.street
        postcode = identity.address.postcode
        city = identity.address.city
        countryCode = identity.address.countryCode
        siren = identity.siren
        vatNumber = identity.vatNumber
        iban = identity.iban
        bic = identity.bic
    }
}

extension BrokerSettingsRecord {
    /// The row with every setting at its default (each column NULL), as a new broker's is.
    package init() {
        id = 1
    }
}
