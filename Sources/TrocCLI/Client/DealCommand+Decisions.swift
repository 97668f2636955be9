import ArgumentParser
import Foundation
import TrocClient
import TrocCore

/// `troc deal accept|decline|override|approve|reject|release|cancel`: each party's and the operator's decisions.
extension DealCommand {
    /// A decision posted to the deal with an optional reason.
    enum Decision {
        /// Posts `action` on `dealID` with `client` and writes the deal as it now stands to `printer`.
        static func post(_ client: TrocAPIClient, _ printer: CommandOutput, dealID: String, action: DealAction, reason: String?) async throws {
            let deal = try await client.decide(action, dealID: dealID, reason: reason)
            printer.print(deal) { DealText.render(deal) }
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "accept", abstract: "Accept the deal after reading its report (partners).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id.") var dealID: String
        func run() async throws { try await options.run { try await Decision.post($0, $1, dealID: dealID, action: .accept, reason: nil) } }
    }

    struct Decline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "decline", abstract: "Decline the deal (partners).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id.") var dealID: String
        @Option(help: "Why.") var reason: String?
        func run() async throws { try await options.run { try await Decision.post($0, $1, dealID: dealID, action: .decline, reason: reason) } }
    }

    struct Override: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "override", abstract: "Let a deal between unrelated sectors go on (operators), with the reason.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id.") var dealID: String
        @Option(help: "Why these sectors may trade.") var reason: String
        func run() async throws { try await options.run { try await Decision.post($0, $1, dealID: dealID, action: .override, reason: reason) } }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve an accepted deal (operators).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id.") var dealID: String
        @Option(help: "A note for the audit trail.") var reason: String?
        func run() async throws { try await options.run { try await Decision.post($0, $1, dealID: dealID, action: .approve, reason: reason) } }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject an accepted deal (operators), with the reason.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id.") var dealID: String
        @Option(help: "Why.") var reason: String
        func run() async throws { try await options.run { try await Decision.post($0, $1, dealID: dealID, action: .reject, reason: reason) } }
    }

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "release", abstract: "Release an approved deal: deliveries and invoices (operators).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id.") var dealID: String
        func run() async throws { try await options.run { try await Decision.post($0, $1, dealID: dealID, action: .release, reason: nil) } }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Withdraw from a deal before release.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id.") var dealID: String
        @Option(help: "Why.") var reason: String?
        func run() async throws { try await options.run { try await Decision.post($0, $1, dealID: dealID, action: .cancel, reason: reason) } }
    }
}
