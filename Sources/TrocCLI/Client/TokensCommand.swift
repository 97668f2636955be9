import ArgumentParser
import Foundation
import TrocClient
import TrocCore

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
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let issued = try await client.createToken(NewToken(label: label, expiresInDays: days))
            printer.print(issued) { "\(issued.token)\n(token \(issued.id), expires \(TextTable.date(issued.expiresAt)); shown once)\n" }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List your tokens, or another user's with --user.")
        @OptionGroup var options: ClientOptions
        @Option(help: "Another user's id (operators, or the firm's administrators).") var user: String?

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let tokens = try await client.tokens(userID: user)
            printer.print(tokens) {
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
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            try await client.revokeToken(tokenID)
            printer.print(["revoked": tokenID]) { "Revoked \(tokenID) and the tokens minted with it.\n" }
        }
    }
}
