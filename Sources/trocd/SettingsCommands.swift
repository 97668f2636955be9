import ArgumentParser
import Foundation
import Logging
import TrocCore
import TrocCrypto
import TrocPostgres
import TrocServer
import TrocStore

/// `trocd admin settings show|set`: the broker's invoicing identity, commission, price bounds, terms, delivery limits.
struct SettingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings", abstract: "Show or change the broker's settings (audited).", subcommands: [Show.self, Set.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the settings.")
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await AdminBroker.with(storage) { broker in print(SettingsText.render(try await broker.store.settings())) }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Change settings: KEY=VALUE …",
            discussion: """
                Keys: legal-name, street, postcode, city, country, siren, vat-number, iban, bic (the invoicing identity); commission \
                (percent, such as 5 or 2.5); price-min, price-max (euros per 1,000 addresses); payment-terms-days; late-penalty \
                (3xlegal, ecb+10, or an annual percent such as 12); series-prefix; delivery-downloads; delivery-days; retention-months; \
                deal-expiry-days; dispute-window-days (source files kept after release); unattached-file-days (files in no deal); \
                key-change-delay-hours (hours between an operator's approval of a delivery-key change and the new key taking effect, \
                1 to 720, default 24); min-exchangeable (exchangeable contacts each file of a deal needs before it can match); \
                reports-per-pair (match reports two firms may get about each other within the retention window, each spending \
                the privacy budget of one report); firm-storage-quota (bytes a firm's stored files may take: 10GiB, 500MiB or a \
                number of bytes); firm-file-quota (files a firm may store); \
                collection-by-broker (on or off: whether the broker collects exchange payments for the sellers, off by default); \
                financial-year-start (MM-DD, 01-01 by default; fixed once the current year has invoices); console-idle-minutes (a \
                console session ends after this many minutes without a request, 5 to 720, default 30); console-session-hours (and \
                after this many hours in any case, 1 to 168, default 12).
                """)
        @OptionGroup var storage: StorageOptions
        @Argument(help: "KEY=VALUE pairs.") var assignments: [String]
        @Option(help: "Why (audited).") var reason: String?

        func run() async throws {
            try await AdminBroker.with(storage) { broker in
                let current = try await broker.store.settings()
                let change = try SettingsParser.change(assignments, current: current)
                let updated: BrokerSettings
                do {
                    updated = try await broker.store.updateSettings(change, reason: reason, actor: .system, now: Date())
                } catch {
                    throw SettingsInputError(error)
                }
                print(SettingsText.render(updated))
            }
        }
    }
}

/// Opens the broker's records for an administration command, with the audit key: the data directory's, or those in
/// PostgreSQL that `--database` names (the pool closed when the command ends).
enum AdminBroker {
    static func with<Result>(_ storage: StorageOptions, create: Bool = false, _ body: (Broker) async throws -> Result) async throws -> Result {
        let (masterKey, created) = try storage.masterKey(create: create)
        if created { print("Created a master key: \(storage.masterKeyFile)") }
        let configuration = ServerConfiguration(dataDirectory: storage.data, host: "127.0.0.1", port: 0, transport: .http, masterKey: masterKey)
        guard let location = try storage.postgresLocation() else { return try await body(try Broker.open(configuration)) }
        var logger = Logger(label: "trocd.admin")
        logger.logLevel = .warning
        let records = try await PostgresRecords.connect(location, logger: logger)
        do {
            let result = try await body(try await Broker.open(configuration, postgres: records.store))
            await records.close()
            return result
        } catch {
            await records.close()
            throw error
        }
    }
}

/// `KEY=VALUE` words to a settings change.
enum SettingsParser {
    static func change(_ assignments: [String], current: BrokerSettings) throws -> SettingsChange {
        var change = SettingsChange()
        var address = current.identity?.address ?? PostalAddress(street: "", postcode: "", city: "", countryCode: "FR")
        var addressChanged = false
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "=") else { throw SettingsInputError("\(assignment): expected KEY=VALUE") }
            let key = String(assignment[..<equals])
            let value = String(assignment[assignment.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
            func integer() throws -> Int {
                guard let number = Int(value) else { throw SettingsInputError("\(key)=\(value): expected a whole number") }
                return number
            }
            func cents() throws -> Money {
                guard let number = Decimal(string: value.replacingOccurrences(of: ",", with: ".")) else {
                    throw SettingsInputError("\(key)=\(value): expected euros, such as 25 or 24,50")
                }
                return Money(cents: Int64(truncating: NSDecimalNumber(decimal: number * 100)))
            }
            func basisPoints() throws -> Int {
                guard let number = Decimal(string: value.replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: "%", with: "")) else {
                    throw SettingsInputError("\(key)=\(value): expected a percentage, such as 5 or 2,5")
                }
                return Int(truncating: NSDecimalNumber(decimal: number * 100))
            }
            switch key {
            case "legal-name": change.legalName = value
            case "street":
                address.street = value
                addressChanged = true
            case "postcode":
                address.postcode = value
                addressChanged = true
            case "city":
                address.city = value
                addressChanged = true
            case "country":
                address.countryCode = value.uppercased()
                addressChanged = true
            case "siren": change.siren = value
            case "vat-number": change.vatNumber = value
            case "iban": change.iban = value
            case "bic": change.bic = value
            case "commission": change.commissionBasisPoints = try basisPoints()
            case "price-min": change.minimumPricePer1000 = try cents()
            case "price-max": change.maximumPricePer1000 = try cents()
            case "payment-terms-days": change.paymentTermsDays = try integer()
            case "late-penalty":
                if value.lowercased().hasSuffix("xlegal"), let multiple = Int(value.dropLast(6)) {
                    change.latePenalty = .legalInterestMultiple(multiple)
                } else if value.lowercased().hasPrefix("ecb+") {
                    change.latePenalty = .ecbRefinancingRatePlus(basisPoints: try SettingsParser.change(["x=" + value.dropFirst(4)], percent: true))
                } else {
                    change.latePenalty = .annualRate(basisPoints: try basisPoints())
                }
            case "series-prefix": change.seriesPrefix = value
            case "delivery-downloads": change.deliveryDownloads = try integer()
            case "delivery-days": change.deliveryDays = try integer()
            case "retention-months": change.retentionMonths = try integer()
            case "deal-expiry-days": change.dealExpiryDays = try integer()
            case "key-change-delay-hours": change.keyChangeDelayHours = try integer()
            case "console-idle-minutes": change.consoleIdleMinutes = try integer()
            case "console-session-hours": change.consoleSessionHours = try integer()
            case "dispute-window-days": change.disputeWindowDays = try integer()
            case "unattached-file-days": change.unattachedFileDays = try integer()
            case "min-exchangeable": change.minimumExchangeable = try integer()
            case "reports-per-pair": change.privacyReportsPerPair = try integer()
            case "firm-storage-quota": change.firmStorageQuotaBytes = try ByteSizeText.bytes(value, key: key)
            case "firm-file-quota": change.firmFileQuota = try integer()
            case "collection-by-broker":
                switch value.lowercased() {
                case "on", "yes", "true": change.collectionByBroker = true
                case "off", "no", "false": change.collectionByBroker = false
                default: throw SettingsInputError("\(key)=\(value): expected on or off")
                }
            case "financial-year-start":
                do {
                    change.financialYear = try FinancialYear(parsing: value)
                } catch {
                    throw SettingsInputError("\(key)=\(value): \(error)")
                }
            default: throw SettingsInputError("\(key): not a setting; see `trocd admin settings set --help` for the keys")
            }
        }
        if addressChanged { change.address = address }
        return change
    }

    /// A percentage as basis points (used for `ecb+10`).
    private static func change(_ words: [String], percent: Bool) throws -> Int {
        let value = String(words[0].dropFirst(2))
        guard let number = Decimal(string: value.replacingOccurrences(of: ",", with: ".")) else {
            throw SettingsInputError("\(value): expected a percentage, such as 10")
        }
        return Int(truncating: NSDecimalNumber(decimal: number * 100))
    }
}

/// A settings problem in the command's own terms: its keys (`commission`, `price-min`) and units
/// (percent, euros), not the store's field names and basis points. Exits 1, without a usage text.
struct SettingsInputError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }

    /// The store's refusal of a change, rephrased; any other error as it is.
    init(_ error: any Error) {
        switch error as? StoreError {
        case .invalidSettings(let refusal)?:
            description = "invalid settings, nothing was changed:\n" + refusal.problems.map { "- " + Self.explain($0) }.joined(separator: "\n")
        case .invalidField(let field, let value, let reason)?:
            description = "\(Self.key(field))=\(value): \(reason); nothing was changed"
        default:
            description = String(describing: error)
        }
    }

    /// The command's key for a field of the store.
    static func key(_ field: String) -> String {
        let keys = [
            "legalName": "legal-name", "address": "street, postcode, city", "address.street": "street", "address.city": "city",
            "address.postcode": "postcode", "address.countryCode": "country", "vatNumber": "vat-number",
            "commissionBasisPoints": "commission", "minimumPricePer1000": "price-min", "maximumPricePer1000": "price-max",
            "paymentTermsDays": "payment-terms-days", "latePenalty": "late-penalty", "seriesPrefix": "series-prefix",
            "deliveryDownloads": "delivery-downloads", "deliveryDays": "delivery-days", "retentionMonths": "retention-months",
            "consoleIdleMinutes": "console-idle-minutes", "consoleSessionHours": "console-session-hours",
            "dealExpiryDays": "deal-expiry-days", "keyChangeDelayHours": "key-change-delay-hours", "disputeWindowDays": "dispute-window-days",
            "unattachedFileDays": "unattached-file-days", "minimumExchangeable": "min-exchangeable",
            "privacyReportsPerPair": "reports-per-pair", "firmStorageQuotaBytes": "firm-storage-quota", "firmFileQuota": "firm-file-quota",
            "collectionByBroker": "collection-by-broker", "financialYear": "financial-year-start",
        ]
        return keys[field] ?? field
    }

    static func explain(_ problem: BrokerSettingsProblem) -> String {
        switch problem {
        case .commissionOutOfRange(let basisPoints):
            return
                "commission=\(SettingsText.percent(basisPoints)) %: the commission must be 0 % to \(SettingsText.percent(BrokerInvoicingSettings.commissionRange.upperBound)) %"
        case .priceBoundsOutOfRange(let minimum, let maximum):
            return "price-min=\(minimum.frenchString), price-max=\(maximum.frenchString): each must be above 0 € and at most "
                + "\(BrokerInvoicingSettings.priceCeiling.frenchString) per 1,000 addresses"
        case .priceBoundsInverted(let minimum, let maximum):
            return "price-min=\(minimum.frenchString) is above price-max=\(maximum.frenchString); swap them or set both"
        case .emptyField(let field):
            return "\(key(field)): missing; set it with `trocd admin settings set \(key(field).split(separator: ",")[0])=…`"
        default:
            return "\(key(problem.field)): \(problem.detail)"
        }
    }
}

enum SettingsText {
    /// Basis points as a percentage: 2000 → `20`, 250 → `2,5`.
    static func percent(_ basisPoints: Int) -> String {
        let fraction = basisPoints % 100
        guard fraction != 0 else { return String(basisPoints / 100) }
        var text = String(format: "%d,%02d", basisPoints / 100, fraction)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    static func render(_ settings: BrokerSettings) -> String {
        var lines: [String] = []
        if let identity = settings.identity {
            lines.append("invoicing identity: \(identity.legalName), SIREN \(identity.siren), VAT \(identity.vatNumber)")
            lines.append("  \(identity.address.street), \(identity.address.postcode) \(identity.address.city), \(identity.address.countryCode)")
            lines.append("  IBAN \(identity.iban), BIC \(identity.bic)")
        } else {
            lines.append(
                "invoicing identity: not set (releases cannot invoice): trocd admin settings set legal-name=… siren=… iban=… bic=… street=… postcode=… city=…"
            )
        }
        lines.append(
            "commission \(SettingsText.percent(settings.commissionBasisPoints)) %, price per 1,000 \(settings.minimumPricePer1000.frenchString)–\(settings.maximumPricePer1000.frenchString)"
        )
        lines.append(
            "payment terms \(settings.paymentTermsDays) days, late penalty: \(settings.latePenalty.frenchText), series \(settings.seriesPrefix)")
        lines.append(
            "deliveries: \(settings.deliveryDownloads) downloads within \(settings.deliveryDays) days; retention \(settings.retentionMonths) months; stalled deals expire after \(settings.dealExpiryDays) days"
        )
        lines.append("delivery-key changes take effect \(settings.keyChangeDelayHours) h after an operator approves them")
        lines.append(
            "console sessions end after \(settings.consoleIdleMinutes) min without a request, and after \(settings.consoleSessionHours) h in any case"
        )
        lines.append(
            "files: source files purged \(settings.disputeWindowDays) days after release (dispute window), at once when a deal ends unreleased, "
                + "\(settings.unattachedFileDays) days after upload when in no deal")
        lines.append(
            "files need at least \(settings.minimumExchangeable) exchangeable contacts for their deal to match; "
                + "\(settings.privacyReportsPerPair) match reports per pair of firms within the retention window")
        lines.append(
            "quotas per firm: storage \(QuotaExcess.text(bytes: settings.firmStorageQuotaBytes)) (\(settings.firmStorageQuotaBytes) bytes), files \(settings.firmFileQuota)"
        )
        lines.append(
            "payments: "
                + (settings.collectionByBroker
                    ? "the broker collects the exchange payments for the sellers (collection-by-broker=on)"
                    : "each firm pays the other directly, the broker only its commission (collection-by-broker=off)")
                + "; financial year starts on \(settings.financialYear.text) (MM-DD)")
        return lines.joined(separator: "\n")
    }
}
