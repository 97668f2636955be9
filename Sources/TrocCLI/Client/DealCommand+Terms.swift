import ArgumentParser
import TrocClient
import TrocCore

extension DealCommand {
    /// `troc deal terms DEAL`: the terms frozen when the second firm accepted, which the deal's invoices follow.
    struct Terms: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "terms", abstract: "The terms frozen when both firms accepted: price, commission, VAT statuses, accounts.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id (del_…).") var dealID: String

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let terms = try await client.dealTerms(dealID)
            printer.print(terms) { DealTermsText.render(terms) }
        }
    }
}

/// Frozen terms for people.
enum DealTermsText {
    static func render(_ terms: DealTerms) -> String {
        var lines = [
            "Agreed on \(terms.agreedOn.iso8601): \(terms.pricePer1000.frenchString) per 1,000 addresses, policy \(terms.policy.rawValue)",
            "Broker \(terms.broker.legalName) (SIREN \(terms.broker.siren), VAT \(terms.broker.vatNumber)): commission "
                + "\(FrenchText.percentage(basisPoints: terms.broker.commissionBasisPoints)) %, payment at \(terms.broker.paymentTermsDays) days, "
                + "account \(terms.broker.iban.grouped)",
            "Payments: " + (terms.collectionByBroker ? "collected by the broker for the sellers" : "each firm pays the other directly"),
        ]
        for (label, partner) in [("A", terms.partnerA), ("B", terms.partnerB)] {
            let status = partner.vatStatus
            lines.append(
                "\(label) \(partner.name): VAT \(status.regime.rawValue) in \(status.territory)"
                    + (status.vatNumber.map { " (\($0))" } ?? "") + ", paid into " + (partner.bankAccount.map { $0.iban.grouped } ?? "-"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
