import ArgumentParser
import Foundation
import TrocClient
import TrocCore

/// `troc login`: checks a token against a broker and saves the profile (0600).
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "login", abstract: "Save a broker URL and API token as a profile.")

    @Option(help: "The broker's URL, such as https://localhost:8443.") var server: String
    @Option(help: "Your API token (troc_…).") var token: String
    @Option(help: "A CA or self-signed certificate (PEM) to trust for this broker.") var ca: String?
    @Option(help: "Profile name.") var profile = ProcessInfo.processInfo.environment["TROC_PROFILE"] ?? "default"

    func run() async throws {
        var certificate: String?
        if let ca {
            guard let text = try? String(contentsOfFile: ca, encoding: .utf8) else {
                throw TrocExit(.badInput, "troc: \(ca): cannot read the certificate")
            }
            certificate = text
        }
        let candidate = ClientProfile(server: server, token: token, certificateAuthorityPEM: certificate)
        do {
            let client = try TrocAPIClient(profile: candidate)
            let me: Me
            do {
                me = try await client.me()
            } catch {
                await client.shutdown()
                throw error
            }
            await client.shutdown()
            try ProfileStore().save(candidate, as: profile)
            print("Logged in to \(server) as \(me.user.name) (\(me.user.role.rawValue), \(me.organisation.name)); profile \"\(profile)\" saved.")
        } catch let error as ClientError {
            throw error.exit
        }
    }
}

/// `troc whoami` (or `troc me`): who the profile is, and what a firm's users must know about their account.
struct WhoAmICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami", abstract: "Show the user and organisation of the current profile, a pending key change and users operators added.",
        aliases: ["me"])

    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.run { try await run($0, $1) }
    }

    /// Runs the command with `client`, writing its result to `printer`.
    func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
        let me = try await client.me()
        printer.print(me) { Self.render(me) }
    }

    static func render(_ me: Me) -> String {
        var text =
            "\(me.user.name) <\(me.user.email ?? "-")>, \(me.user.role.rawValue)\(me.user.firmAdmin ? " (firm admin)" : "") of "
            + "\(me.organisation.name) (\(me.organisation.id), NAF \(me.organisation.nafCode))\n"
        if me.user.role == .partner {
            text += "delivery key: \(me.organisation.publicKeyFingerprint ?? "not registered (troc keygen)")\n"
        }
        if let change = me.pendingKeyChange {
            text +=
                "\nPENDING KEY CHANGE \(change.id) (\(change.state.rawValue)): \(change.oldFingerprint) → \(change.newFingerprint), requested by "
                + "\(change.requestedBy) at \(TextTable.date(change.requestedAt))\n  \(change.nextStep)\n"
                + "  If nobody in your firm asked for it: troc keys cancel \(change.id) --reason \"not ours\", then call the broker.\n"
        }
        if !me.usersAddedByOperators.isEmpty {
            text += "\nUsers an operator added to your firm:\n"
            for user in me.usersAddedByOperators {
                text +=
                    "  \(user.name) (\(user.id)) on \(TextTable.date(user.createdAt)) by \(UserText.creator(user)): \(user.creationReason ?? "")"
                    + (user.disabledAt == nil ? "" : " (disabled)") + "\n"
            }
        }
        return text
    }
}
