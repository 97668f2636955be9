import ArgumentParser
import Foundation
import TrocClient
import TrocCore

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
            _ = try user()
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let created = try await client.createUser(try user())
            printer.print(created) {
                "Created \(created.user.name) (\(created.user.id), \(created.user.role.rawValue)\(created.user.firmAdmin ? ", firm admin" : "")).\n"
                    + "First token (shown once, hand it over securely): \(created.token.token)\nExpires \(TextTable.date(created.token.expiresAt))\n"
            }
        }

        /// The user the options describe; a usage error for an unknown role.
        func user() throws -> NewUser {
            guard let role = Role(rawValue: role) else { throw ValidationError("--role must be partner, operator or accountant") }
            return NewUser(name: name, email: email, role: role, organisationId: org, firmAdmin: firmAdmin ? true : nil, reason: reason)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List users (operators: all; partners: their firm's, with who created each).")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let users = try await client.users()
            printer.print(users) {
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
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let user = try await client.disableUser(userID, UserDisable(reason: reason))
            printer.print(user) { "Disabled \(user.name) (\(user.id)) at \(TextTable.date(user.disabledAt)); its tokens no longer work.\n" }
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
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let code = try await client.issueEnrolmentCode(userID: userID)
            printer.print(code) {
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
