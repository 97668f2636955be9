import ArgumentParser
import Foundation
import TrocClient
import TrocCore

/// `troc sectors renovation list|add|remove`: the statutory renovation / home-adaptation list (C. consom. L223-1), whose
/// trades never receive consumer contacts; kept apart from the audience clusters, every edit audited with its reason.
struct RenovationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renovation", abstract: "The statutory renovation / home-adaptation list (no consumer contacts to these trades).",
        subcommands: [List.self, Add.self, Remove.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Show the list, in both nomenclatures.")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let listings = try await client.renovation()
            printer.print(listings) { RenovationText.render(listings) }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Put a trade on the list (operators).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "NAF code, rév. 2 or NAF 2025.") var code: String
        @Option(help: "energy-renovation or home-adaptation.") var ground: String
        @Option(help: "rev2 or naf2025, when the code alone is ambiguous.") var nomenclature: String?
        @Option(help: "Why (audited).") var reason: String

        func run() async throws {
            _ = try change()
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let listings = try await client.addRenovation(code: code, try change())
            printer.print(listings) { RenovationText.render(listings) }
        }

        /// The change the options describe; a usage error for an unknown ground or nomenclature.
        func change() throws -> RenovationChange {
            guard let ground = RenovationGround(rawValue: ground) else {
                throw ValidationError("--ground must be energy-renovation or home-adaptation")
            }
            return RenovationChange(reason: reason, ground: ground, nomenclature: try NomenclatureOption.parse(nomenclature))
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove", abstract: "Take a trade off the list (operators); its codes in the other nomenclature stay until removed too.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "NAF code, rév. 2 or NAF 2025.") var code: String
        @Option(help: "rev2 or naf2025, when the code alone is ambiguous.") var nomenclature: String?
        @Option(help: "Why (audited).") var reason: String

        func run() async throws {
            _ = try NomenclatureOption.parse(nomenclature)
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let change = RenovationChange(reason: reason, ground: nil, nomenclature: try NomenclatureOption.parse(nomenclature))
            let listings = try await client.removeRenovation(code: code, change)
            printer.print(listings) { RenovationText.render(listings) }
        }
    }
}

/// The renovation list as a table for people.
enum RenovationText {
    /// One line per listed code.
    static func render(_ listings: [RenovationListing]) -> String {
        TextTable.render(
            ["CODE", "NOMENCLATURE", "GROUND", "LABEL"], listings.map { [$0.code, $0.nomenclature.name, $0.ground.rawValue, $0.label] })
    }
}
