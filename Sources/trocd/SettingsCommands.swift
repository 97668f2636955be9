import ArgumentParser
import Foundation
import TrocCore
import TrocCrypto
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
            let broker = try AdminBroker.open(storage)
            print(SettingsText.render(try broker.database.settings()))
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Change settings: KEY=VALUE …",
            discussion: """
                Keys: legal-name, street, postcode, city, country, siren, vat-number, iban, bic (the invoicing identity); commission \
                (percent, such as 5 or 2.5); price-min, price-max (euros per 1,000 addresses); payment-terms-days; late-penalty \
                (3xlegal, ecb+10, or an annual percent such as 12); series-prefix; delivery-downloads; delivery-days; retention-months; \
                deal-expiry-days.
                """)
        @OptionGroup var storage: StorageOptions
        @Argument(help: "KEY=VALUE pairs.") var assignments: [String]
        @Option(help: "Why (audited).") var reason: String?

        func run() async throws {
            let broker = try AdminBroker.open(storage)
            let current = try broker.database.settings()
            let change = try SettingsParser.change(assignments, current: current)
            let updated = try broker.database.updateSettings(change, reason: reason, actor: .system, now: Date())
            print(SettingsText.render(updated))
        }
    }
}

/// Opens the broker's database for an administration command, with the audit key.
enum AdminBroker {
    static func open(_ storage: StorageOptions) throws -> Broker {
        let (masterKey, _) = try storage.masterKey()
        return try Broker.open(ServerConfiguration(dataDirectory: storage.data, host: "127.0.0.1", port: 0, transport: .http, masterKey: masterKey))
    }
}

/// `KEY=VALUE` words to a settings change.
enum SettingsParser {
    static func change(_ assignments: [String], current: BrokerSettings) throws -> SettingsChange {
        var change = SettingsChange()
        var address = current.identity?.address ?? PostalAddress(street: "", postcode: "", city: "", countryCode: "FR")
        var addressChanged = false
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "=") else { throw ValidationError("\(assignment): expected KEY=VALUE") }
            let key = String(assignment[..<equals])
            let value = String(assignment[assignment.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
            func integer() throws -> Int {
                guard let number = Int(value) else { throw ValidationError("\(key)=\(value): expected a whole number") }
                return number
            }
            func cents() throws -> Money {
                guard let number = Decimal(string: value.replacingOccurrences(of: ",", with: ".")) else {
                    throw ValidationError("\(key)=\(value): expected euros")
                }
                return Money(cents: Int64(truncating: NSDecimalNumber(decimal: number * 100)))
            }
            func basisPoints() throws -> Int {
                guard let number = Decimal(string: value.replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: "%", with: "")) else {
                    throw ValidationError("\(key)=\(value): expected a percentage")
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
            default: throw ValidationError("\(key): not a setting; see `trocd admin settings set --help`")
            }
        }
        if addressChanged { change.address = address }
        return change
    }

    /// A percentage as basis points (used for `ecb+10`).
    private static func change(_ words: [String], percent: Bool) throws -> Int {
        let value = String(words[0].dropFirst(2))
        guard let number = Decimal(string: value.replacingOccurrences(of: ",", with: ".")) else {
            throw ValidationError("\(value): expected a percentage")
        }
        return Int(truncating: NSDecimalNumber(decimal: number * 100))
    }
}

enum SettingsText {
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
            "commission \(Double(settings.commissionBasisPoints) / 100) %, price per 1,000 \(settings.minimumPricePer1000.frenchString)–\(settings.maximumPricePer1000.frenchString)"
        )
        lines.append(
            "payment terms \(settings.paymentTermsDays) days, late penalty: \(settings.latePenalty.frenchText), series \(settings.seriesPrefix)")
        lines.append(
            "deliveries: \(settings.deliveryDownloads) downloads within \(settings.deliveryDays) days; retention \(settings.retentionMonths) months; stalled deals expire after \(settings.dealExpiryDays) days"
        )
        return lines.joined(separator: "\n")
    }
}

/// `trocd admin audit verify`: walks the audit chain and reports the first damage.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Check the audit trail.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "Recompute the audit chain; exit 0 if intact, 2 with the first damaged entry otherwise.")
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let broker = try AdminBroker.open(storage)
            let verification = try broker.database.verifyAudit(key: try AuditKey(broker.keys.rootHashingSecret.auditKey()))
            if let damage = verification.damage {
                print("audit trail DAMAGED after \(verification.entryCount) entries: \(damage)")
                throw ExitCode(2)
            }
            let head = (verification.headMAC ?? Data()).map { String(format: "%02x", $0) }.joined()
            print("audit trail intact: \(verification.entryCount) entries; head MAC \(head) (record it elsewhere to detect a rollback)")
        }
    }
}
