import ArgumentParser
import Foundation
import TrocClient
import TrocCore

/// `troc orgs create|list|show`.
struct OrganisationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orgs", abstract: "Partner organisations (operators register them).",
        subcommands: [Create.self, List.self, Show.self, SetNAF.self, SetVATStatus.self, SetBankAccount.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Register a partner firm (operator).")
        @OptionGroup var options: ClientOptions
        @Option(help: "Legal name.") var name: String
        @Option(help: "SIREN (9 digits).") var siren: String?
        @Option(help: "SIRET (14 digits).") var siret: String?
        @Option(
            name: .customLong("vat-status"),
            help: "registered (VAT-registered: give --vat-number), franchise (CGI art. 293 B, no VAT) or overseas (971, 972, 973, 974, 976).")
        var vatStatus: String
        @Option(name: .customLong("vat-number"), help: "The firm's own VAT number (never derived from the SIREN).") var vatNumber: String?
        @Option(help: "IBAN the firm is paid into.") var iban: String
        @Option(help: "BIC of the bank holding that account.") var bic: String
        @Option(help: "APE code, NAF rév. 2 (43.32A) or NAF 2025 (43.32G): recognised by its form.") var naf: String
        @Option(help: "rev2 or naf2025, when --naf alone is ambiguous (a bare class such as 62.01).") var nomenclature: String?
        @Option(help: "Street address.") var street: String
        @Option(help: "Postcode.") var postcode: String
        @Option(help: "City.") var city: String
        @Option(help: "Country code.") var country = "FR"

        func validate() throws {
            guard VATRegime(rawValue: vatStatus) != nil else { throw ValidationError("--vat-status must be registered, franchise or overseas") }
        }

        func run() async throws {
            // A malformed option is a usage error before any profile is read.
            _ = try organisation()
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let organisation = try await client.createOrganisation(try organisation())
            printer.print(organisation) { OrganisationText.render(organisation) }
        }

        /// The organisation the options describe.
        func organisation() throws -> NewOrganisation {
            NewOrganisation(
                name: name, siren: siren, siret: siret, vatNumber: vatNumber, nafCode: naf,
                nafNomenclature: try NomenclatureOption.parse(nomenclature),
                address: PostalAddress(street: street, postcode: postcode, city: city, countryCode: country),
                vatStatus: VATRegime(rawValue: vatStatus),
                bankAccount: BankAccountInput(iban: iban, bic: bic))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List organisations.")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let organisations = try await client.organisations()
            printer.print(organisations) {
                TextTable.render(
                    ["ID", "KIND", "NAME", "SIREN", "NAF", "KEY"],
                    organisations.map {
                        [$0.id, $0.kind.rawValue, $0.name, $0.siren ?? "-", $0.nafCode, $0.publicKeyFingerprint == nil ? "-" : "registered"]
                    })
            }
        }
    }

    struct SetNAF: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-naf", abstract: "Give a firm another APE code, such as its NAF 2025 code (operator, audited).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Organisation id (org_…).") var organisationID: String
        @Argument(help: "The new code, NAF rév. 2 or NAF 2025.") var naf: String
        @Option(help: "rev2 or naf2025, when the code alone is ambiguous.") var nomenclature: String?
        @Option(help: "Why (audited).") var reason: String

        func run() async throws {
            _ = try change()
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let organisation = try await client.setNAF(organisationID: organisationID, try change())
            printer.print(organisation) { OrganisationText.render(organisation) }
        }

        /// The change the options describe; a usage error for an unknown nomenclature.
        func change() throws -> NAFCodeChange {
            NAFCodeChange(nafCode: naf, nafNomenclature: try NomenclatureOption.parse(nomenclature), reason: reason)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one organisation.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Organisation id (org_…).") var organisationID: String

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let organisation = try await client.organisation(organisationID)
            printer.print(organisation) { OrganisationText.render(organisation) }
        }
    }
}

/// `--nomenclature rev2|naf2025`.
enum NomenclatureOption {
    /// The nomenclature named, nil when the option is absent; anything else is a usage error.
    static func parse(_ text: String?) throws -> NAFNomenclature? {
        guard let text else { return nil }
        guard let nomenclature = NAFNomenclature(rawValue: text.lowercased()) else {
            throw ValidationError("--nomenclature must be rev2 (NAF rév. 2) or naf2025 (NAF 2025)")
        }
        return nomenclature
    }
}

/// Organisations for people.
enum OrganisationText {
    /// The firm's identity, address, VAT status, bank account and delivery key.
    static func render(_ organisation: Organisation) -> String {
        """
        \(organisation.name) (\(organisation.id), \(organisation.kind.rawValue))
        SIREN \(organisation.siren ?? "-"), SIRET \(organisation.siret ?? "-"), VAT \(organisation.vatNumber ?? "-")
        NAF \(organisation.nafCode) (\(organisation.nafNomenclature.name)) \(organisation.nafLabel ?? "")
        \(organisation.address.street), \(organisation.address.postcode) \(organisation.address.city), \(organisation.address.countryCode)
        VAT status: \(vat(organisation.vatStatus))
        bank account: \(organisation.bankAccount.map { "IBAN \($0.iban), BIC \($0.bic)" } ?? "not registered (troc orgs set-bank-account)")
        delivery key: \(organisation.publicKeyFingerprint ?? "not registered (troc keygen)")

        """
    }

    /// The VAT status, its territory and rate, and how the number was checked.
    static func vat(_ status: OrganisationVATStatus?) -> String {
        guard let status else { return "not recorded (an operator records it: troc orgs set-vat-status)" }
        let rate = status.standardRatePercent.map { ", standard rate \($0) %" } ?? ""
        let number = status.vatNumber.map { ", \($0) (checked: \(status.vatNumberCheckMethod?.rawValue ?? "-"))" } ?? ""
        return "\(status.vatStatus.rawValue) in \(status.territory)\(rate)\(number)"
    }
}
