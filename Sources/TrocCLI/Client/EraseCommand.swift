import ArgumentParser
import Foundation
import TrocClient
import TrocCore

/// `troc erase`: a person's erasure request.
struct EraseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Erase a person from every file and delivery the broker holds, notify the firms that received them, suppress them (operators).")
    @OptionGroup var options: ClientOptions
    @Option(help: "Their email.") var email: [String] = []
    @Option(help: "Their phone.") var phone: [String] = []
    @Option(help: "Their SIRET.") var siret: [String] = []

    func run() async throws {
        try await options.run { try await run($0, $1) }
    }

    /// Runs the command with `client`, writing its result to `printer`.
    func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
        let request = NewErasureRequest(emails: email.isEmpty ? nil : email, phones: phone.isEmpty ? nil : phone, sirets: siret.isEmpty ? nil : siret)
        let result = try await client.requestErasure(request)
        printer.print(result) {
            guard result.found else { return "Erasure \(result.id): the broker held nothing of this person; they are suppressed all the same.\n" }
            return "Erasure \(result.id): \(result.rowsRemoved) rows removed from \(result.filesRewritten) files and \(result.deliveriesRewritten) "
                + "deliveries; \(result.noticesRecorded) notices to firms that had received them; the person is suppressed.\n"
        }
    }
}
