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
                me = try await client.get("/v1/me")
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

/// `troc whoami`.
struct WhoAmICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "whoami", abstract: "Show the user and organisation of the current profile.")

    @OptionGroup var options: ClientOptions

    func run() async throws {
        let me: Me = try await options.withClient { try await $0.get("/v1/me") }
        options.print(me) {
            "\(me.user.name) <\(me.user.email ?? "-")>, \(me.user.role.rawValue) of \(me.organisation.name) (\(me.organisation.id), NAF \(me.organisation.nafCode))\n"
        }
    }
}
