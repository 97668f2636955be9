import ArgumentParser
import TrocClient
import TrocCore

/// `troc orgs set-vat-status ORG`: an operator records a firm's VAT status (audited; issued invoices never change).
struct SetVATStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-vat-status", abstract: "Record a firm's VAT status (operators; audited, never retroactive).")
    @OptionGroup var options: ClientOptions
    @Argument(help: "Organisation id (org_…).") var organisationID: String
    @Option(help: "registered, franchise or overseas.") var status: String
    @Option(name: .customLong("vat-number"), help: "The firm's own VAT number (registered; overseas in 971, 972, 974).") var vatNumber: String?
    @Option(help: "Why (audited).") var reason: String

    func validate() throws {
        guard VATRegime(rawValue: status) != nil else { throw ValidationError("--status must be registered, franchise or overseas") }
    }

    func run() async throws {
        let change = VATStatusChange(vatStatus: VATRegime(rawValue: status) ?? .registered, vatNumber: vatNumber, reason: reason)
        let organisation = try await options.withClient { try await $0.setVATStatus(organisationID: organisationID, change) }
        options.print(organisation) { OrganisationText.render(organisation) }
    }
}

/// `troc orgs set-bank-account ORG`: the firm (or an operator) records the account it is paid into (audited).
struct SetBankAccount: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-bank-account", abstract: "Record the IBAN and BIC a firm is paid into (the firm's users or operators; audited).")
    @OptionGroup var options: ClientOptions
    @Argument(help: "Organisation id (org_…).") var organisationID: String
    @Option(help: "IBAN.") var iban: String
    @Option(help: "BIC.") var bic: String
    @Option(help: "Why (audited).") var reason: String?

    func run() async throws {
        let input = BankAccountInput(iban: iban, bic: bic, reason: reason)
        let organisation = try await options.withClient { try await $0.setBankAccount(organisationID: organisationID, input) }
        options.print(organisation) { OrganisationText.render(organisation) }
    }
}
