import ArgumentParser
import Foundation
import TrocClient
import TrocCore

/// `troc orgs create|list|show`.
struct OrganisationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orgs", abstract: "Partner organisations (operators register them).",
        subcommands: [Create.self, List.self, Show.self, SetVATStatus.self, SetBankAccount.self])

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
        @Option(help: "NAF code, such as 43.32A.") var naf: String
        @Option(help: "Street address.") var street: String
        @Option(help: "Postcode.") var postcode: String
        @Option(help: "City.") var city: String
        @Option(help: "Country code.") var country = "FR"

        func validate() throws {
            guard VATRegime(rawValue: vatStatus) != nil else { throw ValidationError("--vat-status must be registered, franchise or overseas") }
        }

        func run() async throws {
            let new = NewOrganisation(
                name: name, siren: siren, siret: siret, vatNumber: vatNumber, nafCode: naf,
                address: PostalAddress(street: street, postcode: postcode, city: city, countryCode: country),
                vatStatus: VATRegime(rawValue: vatStatus),
                bankAccount: BankAccountInput(iban: iban, bic: bic))
            let organisation: Organisation = try await options.withClient { try await $0.post("/v1/organisations", new) }
            options.print(organisation) { OrganisationText.render(organisation) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List organisations.")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let organisations: [Organisation] = try await options.withClient { try await $0.get("/v1/organisations") }
            options.print(organisations) {
                TextTable.render(
                    ["ID", "KIND", "NAME", "SIREN", "NAF", "KEY"],
                    organisations.map {
                        [$0.id, $0.kind.rawValue, $0.name, $0.siren ?? "-", $0.nafCode, $0.publicKeyFingerprint == nil ? "-" : "registered"]
                    })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one organisation.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Organisation id (org_…).") var organisationID: String

        func run() async throws {
            let organisation: Organisation = try await options.withClient { try await $0.get("/v1/organisations/\(organisationID)") }
            options.print(organisation) { OrganisationText.render(organisation) }
        }
    }
}

enum OrganisationText {
    static func render(_ organisation: Organisation) -> String {
        """
        \(organisation.name) (\(organisation.id), \(organisation.kind.rawValue))
        SIREN \(organisation.siren ?? "-"), SIRET \(organisation.siret ?? "-"), VAT \(organisation.vatNumber ?? "-")
        NAF \(organisation.nafCode) \(organisation.nafLabel ?? "")
        \(organisation.address.street), \(organisation.address.postcode) \(organisation.address.city), \(organisation.address.countryCode)
        VAT status: \(vat(organisation.vatStatus))
        bank account: \(organisation.bankAccount.map { "IBAN \($0.iban), BIC \($0.bic)" } ?? "not registered (troc orgs set-bank-account)")
        delivery key: \(organisation.publicKeyFingerprint ?? "not registered (troc keygen)")

        """
    }

    static func vat(_ status: OrganisationVATStatus?) -> String {
        guard let status else { return "not recorded (an operator records it: troc orgs set-vat-status)" }
        let rate = status.standardRatePercent.map { ", standard rate \($0) %" } ?? ""
        let number = status.vatNumber.map { ", \($0) (checked: \(status.vatNumberCheckMethod?.rawValue ?? "-"))" } ?? ""
        return "\(status.vatStatus.rawValue) in \(status.territory)\(rate)\(number)"
    }
}

/// `troc users create|list`.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Users (operators manage them).", subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a user and print its first token (shown once).")
        @OptionGroup var options: ClientOptions
        @Option(help: "Name.") var name: String
        @Option(help: "Email.") var email: String?
        @Option(help: "partner, operator or accountant.") var role: String
        @Option(help: "Partner organisation id (partners only).") var org: String?

        func run() async throws {
            guard let role = Role(rawValue: role) else { throw ValidationError("--role must be partner, operator or accountant") }
            let created: CreatedUser = try await options.withClient {
                try await $0.post("/v1/users", NewUser(name: name, email: email, role: role, organisationId: org))
            }
            options.print(created) {
                "Created \(created.user.name) (\(created.user.id), \(created.user.role.rawValue)).\nFirst token (shown once, hand it over securely): \(created.token.token)\nExpires \(TextTable.date(created.token.expiresAt))\n"
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List users.")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let users: [User] = try await options.withClient { try await $0.get("/v1/users") }
            options.print(users) {
                TextTable.render(
                    ["ID", "NAME", "ROLE", "ORGANISATION", "CREATED"],
                    users.map { [$0.id, $0.name, $0.role.rawValue, $0.organisationId, TextTable.date($0.createdAt)] })
            }
        }
    }
}

/// `troc tokens create|list|revoke`.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "Your API tokens.", subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Issue a new token (shown once).")
        @OptionGroup var options: ClientOptions
        @Option(help: "A label to recognise it by.") var label: String?
        @Option(help: "Days until it expires (1–365).") var days = 90

        func run() async throws {
            let issued: IssuedToken = try await options.withClient { try await $0.post("/v1/tokens", NewToken(label: label, expiresInDays: days)) }
            options.print(issued) { "\(issued.token)\n(token \(issued.id), expires \(TextTable.date(issued.expiresAt)); shown once)\n" }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List your tokens.")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let tokens: [TokenInfo] = try await options.withClient { try await $0.get("/v1/tokens") }
            options.print(tokens) {
                TextTable.render(
                    ["ID", "LABEL", "CREATED", "EXPIRES", "REVOKED", "LAST USED"],
                    tokens.map {
                        [
                            $0.id, $0.label, TextTable.date($0.createdAt), TextTable.date($0.expiresAt), TextTable.date($0.revokedAt),
                            TextTable.date($0.lastUsedAt),
                        ]
                    })
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Token id (tok_…).") var tokenID: String

        func run() async throws {
            try await options.withClient { try await $0.delete("/v1/tokens/\(tokenID)") }
            options.print(["revoked": tokenID]) { "Revoked \(tokenID).\n" }
        }
    }
}
