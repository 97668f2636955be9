import ArgumentParser
import Foundation
import TrocClient
import TrocCore

/// `troc deal propose|list|show`.
extension DealCommand {
    struct Propose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "propose", abstract: "Propose a deal to another firm (partners); the sector verdict comes at once.")
        @OptionGroup var options: ClientOptions
        @Option(name: .customLong("with"), help: "The partner organisation's id (org_…).") var partner: String
        @Option(name: .customLong("price-per-1000"), help: "Price per 1,000 addresses in euros, such as 25.00.") var price: String
        @Option(help: "equal-count, quality-weighted or all.") var policy = "equal-count"

        func run() async throws {
            // Malformed options are usage errors before any profile is read.
            _ = try proposal()
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let deal = try await client.proposeDeal(try proposal())
            printer.print(deal) { DealText.render(deal) }
        }

        /// The deal the options describe.
        func proposal() throws -> NewDeal {
            guard let cents = Self.cents(price) else { throw ValidationError("--price-per-1000 \(price): expected euros such as 25.00") }
            guard let policy = BalancingPolicy(rawValue: policy) else {
                throw ValidationError("--policy must be equal-count, quality-weighted or all")
            }
            return NewDeal(partnerId: partner, pricePer1000Cents: cents, policy: policy)
        }

        /// "25", "25.5", "25,50" → cents.
        static func cents(_ text: String) -> Int? {
            let parts = text.replacingOccurrences(of: ",", with: ".").split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let euros = Int(parts[0]), euros >= 0 else { return nil }
            guard parts.count == 2 else { return euros * 100 }
            let fraction = String(parts[1])
            guard (1...2).contains(fraction.count), let value = Int(fraction) else { return nil }
            return euros * 100 + (fraction.count == 1 ? value * 10 : value)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List deals (partners: their own; operators: all).")
        /// Deals asked for per request.
        static let pageSize = 500
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            // The server pages the list: ask page after page until one comes back short.
            var deals: [Deal] = []
            while true {
                let page = try await client.deals(limit: Self.pageSize, after: deals.last?.id)
                deals += page
                if page.count < Self.pageSize { break }
            }
            printer.print(deals) {
                TextTable.render(
                    ["ID", "STATE", "PROPOSER", "PARTNER", "PRICE/1000", "POLICY", "VERDICT"],
                    deals.map {
                        [
                            $0.id, $0.state.rawValue, $0.proposer.name, $0.partner.name, EuroText.cents($0.pricePer1000Cents), $0.policy.rawValue,
                            $0.verdict.kind.rawValue,
                        ]
                    })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one deal.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id (del_…).") var dealID: String

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let deal = try await client.deal(dealID)
            printer.print(deal) { DealText.render(deal) }
        }
    }
}
