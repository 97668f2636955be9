package import ArgumentParser
import Foundation
import TrocCore

/// `troc`: the client for partner firms, broker operators and accountants, and the offline matcher.
package struct Troc: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "troc",
        abstract: "Swap prospect files through the Troc broker, or match two files offline.",
        discussion: """
            Exit codes: 0 ok, 1 usage, 2 bad input, 3 authentication, 4 not found, 5 conflict, 6 server error, 7 server unreachable.
            """,
        version: TrocVersion.current,
        subcommands: [
            MatchCommand.self, LoginCommand.self, WhoAmICommand.self, KeygenCommand.self, BrokerKeyCommand.self, UploadCommand.self,
            DownloadCommand.self, FilesCommand.self, OrganisationsCommand.self, UsersCommand.self, TokensCommand.self, KeysCommand.self,
            DealCommand.self,
            InvoicesCommand.self, LedgerCommand.self, MandateCommand.self,
            SuppressCommand.self, EraseCommand.self, NoticesCommand.self, AuditCommand.self, SectorsCommand.self,
        ]
    )

    /// The root command, which only dispatches to its subcommands.
    package init() {}

    /// Parses and runs, mapping failures to the documented exit codes (argument errors are 1, not 64).
    package static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as TrocExit {
            if !exit.message.isEmpty { StandardStreams.error.write(exit.message + "\n") }
            Foundation.exit(exit.code.rawValue)
        } catch {
            let code = Troc.exitCode(for: error)
            let message = Troc.fullMessage(for: error)
            if code == .success {
                StandardStreams.output.write(message + "\n")
                Foundation.exit(0)
            }
            StandardStreams.error.write(message + "\n")
            Foundation.exit(code == .validationFailure || error is ValidationError ? TrocExitCode.usage.rawValue : code.rawValue)
        }
    }
}
