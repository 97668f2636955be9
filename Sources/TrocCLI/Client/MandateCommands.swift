import ArgumentParser
import Foundation
import TrocClient
import TrocCore

/// `troc mandate show|accept|withdraw`: the billing mandate under which the broker issues a firm's exchange invoices.
struct MandateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mandate",
        abstract: "Your firm's billing mandate: the broker issues your exchange invoices in your name under it (CGI art. 289, I-2).",
        subcommands: [Show.self, Accept.self, Withdraw.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "The mandate in force, its history and the wording offered.")
        @OptionGroup var options: ClientOptions
        @Option(help: "Organisation id (operators and accountants; a partner sees its own firm's).") var org: String?

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let state = try await client.billingMandate(organisationID: try await MandatePath.organisation(org, client))
            printer.print(state) { MandateText.render(state) }
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "accept", abstract: "Accept the billing mandate in the wording `troc mandate show` prints (your firm's users).")
        @OptionGroup var options: ClientOptions
        @Option(name: .customLong("contest-days"), help: "Days you take to contest an invoice issued in your name (default: the offer's, 15).")
        var contestDays: Int?
        @Option(help: "The wording version you read (default: the current one, printed by `troc mandate show`).") var version: String?

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let organisation = try await MandatePath.organisation(nil, client)
            let offer = try await client.billingMandate(organisationID: organisation)
            let state = try await client.acceptBillingMandate(
                organisationID: organisation, MandateAcceptanceRequest(wordingVersion: version ?? offer.offer.version, contestDays: contestDays))
            printer.print(state) { MandateText.render(state) }
        }
    }

    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "withdraw", abstract: "Withdraw your firm's billing mandate: approved deals can no longer be released.")
        @OptionGroup var options: ClientOptions
        @Option(help: "Why (audited).") var reason: String?

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let state = try await client.withdrawBillingMandate(
                organisationID: try await MandatePath.organisation(nil, client), MandateWithdrawal(reason: reason))
            printer.print(state) { MandateText.render(state) }
        }
    }
}

/// Which firm a mandate command is about.
enum MandatePath {
    /// `given`, or the caller's own organisation.
    static func organisation(_ given: String?, _ client: TrocAPIClient) async throws -> String {
        if let given { return given }
        let me = try await client.me()
        return me.organisation.id
    }
}

/// Mandates for people.
enum MandateText {
    static func render(_ state: BillingMandateState) -> String {
        var lines: [String] = []
        if let mandate = state.inForce {
            lines.append(
                "Billing mandate \(mandate.reference) in force since \(TextTable.date(mandate.acceptedAt)) "
                    + "(wording \(mandate.wordingVersion), contest within \(mandate.contestDays) days).")
        } else {
            lines.append("No billing mandate in force: the broker cannot issue this firm's exchange invoices, so its deals cannot be approved.")
            lines.append("Accept it with `troc mandate accept` after reading the wording below.")
        }
        lines.append("")
        lines.append(
            "Wording offered (version \(state.offer.version), contest delay \(state.offer.minimumContestDays) to \(state.offer.maximumContestDays) days):"
        )
        lines.append(state.offer.text)
        let past = state.history.filter { $0.withdrawnAt != nil }
        if !past.isEmpty {
            lines.append("")
            lines.append("Withdrawn:")
            for mandate in past {
                lines.append(
                    "  \(mandate.reference): \(TextTable.date(mandate.acceptedAt)) to \(TextTable.date(mandate.withdrawnAt))"
                        + (mandate.withdrawalReason.map { " (\($0))" } ?? ""))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
