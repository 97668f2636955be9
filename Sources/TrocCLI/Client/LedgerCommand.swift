import ArgumentParser
import Foundation
import NIOCore
import TrocClient
import TrocCore

/// `troc ledger fec --year YYYY`: the broker's sales journal as a Fichier des écritures comptables.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ledger", abstract: "Accounting exports.", subcommands: [FEC.self])

    struct FEC: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fec",
            abstract: "The FEC (LPF art. A47 A-1) of the broker's financial year ending in --year, saved as <SIREN>FEC<closing date>.txt.")
        @OptionGroup var options: ClientOptions
        @Option(help: "The financial year, by the calendar year it ends in (2026 for a year closing on 30 June 2026).") var year: Int
        @Option(name: [.short, .customLong("output")], help: "Where to write it (default: the legal file name, in the current directory).")
        var output: String?

        func validate() throws {
            guard (2000...2999).contains(year) else { throw ValidationError("--year \(year): expected a year such as 2026") }
        }

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let (body, suggested) = try await client.fec(year: year)
            try SavedFile.write(body, to: output ?? suggested ?? "FEC\(year).txt")
        }
    }
}
