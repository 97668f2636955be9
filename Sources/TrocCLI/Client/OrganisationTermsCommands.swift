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
        try await options.run { try await run($0, $1) }
    }

    /// Runs the command with `client`, writing its result to `printer`.
    func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
        let change = VATStatusChange(vatStatus: VATRegime(rawValue: status) ?? .registered, vatNumber: vatNumber, reason: reason)
        let organisation = try await client.setVATStatus(organisationID: organisationID, change)
        printer.print(organisation) { OrganisationText.render(organisation) }
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
        try await options.run { try await run($0, $1) }
    }

    /// Runs the command with `client`, writing its result to `printer`.
    func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
        let organisation = try await client.setBankAccount(organisationID: organisationID, BankAccountInput(iban: iban, bic: bic, reason: reason))
        printer.print(organisation) { OrganisationText.render(organisation) }
    }
}
