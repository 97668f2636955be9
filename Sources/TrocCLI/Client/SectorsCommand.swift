import ArgumentParser
import Foundation
import TrocClient
import TrocCore

/// `troc sectors …`: the broker's sector tables (operators edit them, every change audited).
struct SectorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sectors", abstract: "Audience clusters, confidential sectors and the renovation / home-adaptation list.",
        subcommands: [List.self, AddCode.self, RemoveCode.self, SetConfidential.self, RemoveConfidential.self, RenovationCommand.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Show the clusters and the confidential sectors.")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let tables = try await client.sectors()
            printer.print(tables) {
                var lines = tables.clusters.keys.sorted().map { "\($0): \(tables.clusters[$0]!.sorted().joined(separator: " "))" }
                lines.append("confidential: " + tables.confidential.map { "\($0.code) (\($0.scope))" }.sorted().joined(separator: " "))
                return lines.joined(separator: "\n") + "\n"
            }
        }
    }

    struct AddCode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-code", abstract: "Add a NAF code to an audience cluster.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Cluster name.") var cluster: String
        @Argument(help: "NAF code.") var code: String
        @Option(help: "Why (audited).") var reason: String

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let tables: SectorTables = try await client.addClusterCode(
                cluster: cluster, code: code, SectorChange(reason: reason, rationale: nil, scope: nil))
            printer.print(tables) { "\(cluster): \(tables.clusters[cluster]?.sorted().joined(separator: " ") ?? "")\n" }
        }
    }

    struct RemoveCode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove-code", abstract: "Remove a NAF code from an audience cluster.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Cluster name.") var cluster: String
        @Argument(help: "NAF code.") var code: String
        @Option(help: "Why (audited).") var reason: String

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let tables: SectorTables = try await client.removeClusterCode(
                cluster: cluster, code: code, SectorChange(reason: reason, rationale: nil, scope: nil))
            printer.print(tables) { "\(cluster): \(tables.clusters[cluster]?.sorted().joined(separator: " ") ?? "(empty)")\n" }
        }
    }

    struct SetConfidential: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-confidential", abstract: "Exclude a NAF code from file exchange.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "NAF code.") var code: String
        @Option(help: "Why the sector's files are confidential.") var rationale: String
        @Option(help: "core or optional.") var scope = "core"
        @Option(help: "Why the change (audited).") var reason: String

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let tables: SectorTables = try await client.setConfidential(code: code, SectorChange(reason: reason, rationale: rationale, scope: scope))
            printer.print(tables) { "confidential: " + tables.confidential.map(\.code).sorted().joined(separator: " ") + "\n" }
        }
    }

    struct RemoveConfidential: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove-confidential", abstract: "Allow a NAF code again.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "NAF code.") var code: String
        @Option(help: "Why (audited).") var reason: String

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let tables: SectorTables = try await client.removeConfidential(code: code, SectorChange(reason: reason, rationale: nil, scope: nil))
            printer.print(tables) { "confidential: " + tables.confidential.map(\.code).sorted().joined(separator: " ") + "\n" }
        }
    }
}
