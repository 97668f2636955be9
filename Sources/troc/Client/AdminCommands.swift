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
            let new = NewOrganisation(
                name: name, siren: siren, siret: siret, vatNumber: vatNumber, nafCode: naf,
                nafNomenclature: try NomenclatureOption.parse(nomenclature),
                address: PostalAddress(street: street, postcode: postcode, city: city, countryCode: country),
                vatStatus: VATRegime(rawValue: vatStatus),
                bankAccount: BankAccountInput(iban: iban, bic: bic))
            let organisation = try await options.withClient { try await $0.createOrganisation(new) }
            options.print(organisation) { OrganisationText.render(organisation) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List organisations.")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let organisations = try await options.withClient { try await $0.organisations() }
            options.print(organisations) {
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
            let change = NAFCodeChange(nafCode: naf, nafNomenclature: try NomenclatureOption.parse(nomenclature), reason: reason)
            let organisation = try await options.withClient { try await $0.setNAF(organisationID: organisationID, change) }
            options.print(organisation) { OrganisationText.render(organisation) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one organisation.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Organisation id (org_…).") var organisationID: String

        func run() async throws {
            let organisation = try await options.withClient { try await $0.organisation(organisationID) }
            options.print(organisation) { OrganisationText.render(organisation) }
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

enum OrganisationText {
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

    static func vat(_ status: OrganisationVATStatus?) -> String {
        guard let status else { return "not recorded (an operator records it: troc orgs set-vat-status)" }
        let rate = status.standardRatePercent.map { ", standard rate \($0) %" } ?? ""
        let number = status.vatNumber.map { ", \($0) (checked: \(status.vatNumberCheckMethod?.rawValue ?? "-"))" } ?? ""
        return "\(status.vatStatus.rawValue) in \(status.territory)\(rate)\(number)"
    }
}

/// `troc users create|list|disable`.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Users: operators manage all, a firm's administrators manage the firm's.",
        subcommands: [Create.self, List.self, Disable.self, Enrol.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Create a user and print its first token (shown once).",
            discussion: """
                An operator creates a firm's first user, who gets the firm-admin right; that user (or another it made an administrator)                 creates the firm's other users. An operator adding a user to a firm that already has one must give --reason: it is                 audited and shown to the firm's users.
                """)
        @OptionGroup var options: ClientOptions
        @Option(help: "Name.") var name: String
        @Option(help: "Email.") var email: String?
        @Option(help: "partner, operator or accountant.") var role = "partner"
        @Option(help: "Partner organisation id (operators creating a partner user).") var org: String?
        @Flag(name: .customLong("firm-admin"), help: "Give the new partner user the firm-admin right.") var firmAdmin = false
        @Option(help: "Why (required of an operator adding a user to a firm that already has one).") var reason: String?

        func run() async throws {
            guard let role = Role(rawValue: role) else { throw ValidationError("--role must be partner, operator or accountant") }
            let created: CreatedUser = try await options.withClient {
                try await $0.createUser(
                    NewUser(name: name, email: email, role: role, organisationId: org, firmAdmin: firmAdmin ? true : nil, reason: reason))
            }
            options.print(created) {
                "Created \(created.user.name) (\(created.user.id), \(created.user.role.rawValue)\(created.user.firmAdmin ? ", firm admin" : "")).\n"
                    + "First token (shown once, hand it over securely): \(created.token.token)\nExpires \(TextTable.date(created.token.expiresAt))\n"
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List users (operators: all; partners: their firm's, with who created each).")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let users = try await options.withClient { try await $0.users() }
            options.print(users) {
                TextTable.render(
                    ["ID", "NAME", "ROLE", "ORGANISATION", "CREATED", "BY", "DISABLED", "REASON"],
                    users.map {
                        [
                            $0.id, $0.name, $0.role.rawValue + ($0.firmAdmin ? " (admin)" : ""), $0.organisationId, TextTable.date($0.createdAt),
                            UserText.creator($0), TextTable.date($0.disabledAt), $0.creationReason ?? "",
                        ]
                    })
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable", abstract: "Disable a user: every token of it stops at once (operators, or the firm's administrators).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "User id (usr_…).") var userID: String
        @Option(help: "Why (audited).") var reason: String?

        func run() async throws {
            let user = try await options.withClient { try await $0.disableUser(userID, UserDisable(reason: reason)) }
            options.print(user) { "Disabled \(user.name) (\(user.id)) at \(TextTable.date(user.disabledAt)); its tokens no longer work.\n" }
        }
    }

    struct Enrol: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "enrol", abstract: "Issue a one-time console enrolment code for a user (shown once; older codes stop working).",
            discussion: """
                The user opens /console/enrol on the broker, types the code, and chooses a login name and a password; operators and \
                accountants also set up a TOTP authenticator app. The code works once, for 72 hours.
                """)
        @OptionGroup var options: ClientOptions
        @Argument(help: "User id (usr_…).") var userID: String

        func run() async throws {
            let code = try await options.withClient { try await $0.issueEnrolmentCode(userID: userID) }
            options.print(code) {
                "Enrolment code for \(code.userId) (shown once, hand it over securely): \(code.code)\n"
                    + "Valid until \(TextTable.date(code.expiresAt)); the user types it at \(code.enrolPath) on the broker.\n"
            }
        }
    }
}

/// Users for people.
enum UserText {
    /// Who created `user`: `operator usr_…`, `usr_…` or `setup`.
    static func creator(_ user: User) -> String {
        guard let creator = user.createdBy else { return "setup" }
        return (user.createdByRole.map { "\($0.rawValue) " } ?? "") + creator
    }
}

/// `troc tokens create|list|revoke`.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "API tokens: yours, or (operators, firm administrators) another user's.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Issue a new token (shown once); it never outlives the token that asks, and is revoked with it.")
        @OptionGroup var options: ClientOptions
        @Option(help: "A label to recognise it by.") var label: String?
        @Option(help: "Days until it expires (1–365, capped at the current token's expiry).") var days = 90

        func run() async throws {
            let issued = try await options.withClient { try await $0.createToken(NewToken(label: label, expiresInDays: days)) }
            options.print(issued) { "\(issued.token)\n(token \(issued.id), expires \(TextTable.date(issued.expiresAt)); shown once)\n" }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List your tokens, or another user's with --user.")
        @OptionGroup var options: ClientOptions
        @Option(help: "Another user's id (operators, or the firm's administrators).") var user: String?

        func run() async throws {
            let tokens = try await options.withClient { try await $0.tokens(userID: user) }
            options.print(tokens) {
                TextTable.render(
                    ["ID", "LABEL", "CREATED", "EXPIRES", "REVOKED", "LAST USED", "MINTED WITH"],
                    tokens.map {
                        [
                            $0.id, $0.label, TextTable.date($0.createdAt), TextTable.date($0.expiresAt), TextTable.date($0.revokedAt),
                            TextTable.date($0.lastUsedAt), $0.parentId ?? "-",
                        ]
                    })
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Revoke a token, and every token minted with it (yours; operators and firm administrators: others').")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Token id (tok_…).") var tokenID: String

        func run() async throws {
            try await options.withClient { try await $0.revokeToken(tokenID) }
            options.print(["revoked": tokenID]) { "Revoked \(tokenID) and the tokens minted with it.\n" }
        }
    }
}
