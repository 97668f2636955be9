import ArgumentParser
import Foundation
import TrocClient
import TrocCore

/// `troc audit`: the audit trail (operators).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Read the audit trail (operators).")
    @OptionGroup var options: ClientOptions
    @Option(help: "Only this deal's entries.") var deal: String?
    @Option(help: "At most this many entries.") var limit = 100

    func run() async throws {
        try await options.run { try await run($0, $1) }
    }

    /// Runs the command with `client`, writing its result to `printer`.
    func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
        let entries = try await client.audit(limit: limit, dealID: deal)
        printer.print(entries) {
            TextTable.render(
                ["SEQ", "AT", "WHO", "ROLE", "FROM", "DEAL", "ACTION", "DETAIL", "WHY"],
                entries.map {
                    [
                        String($0.seq), TextTable.date($0.at), $0.actorUserId ?? "system", $0.actorRole?.rawValue ?? "-", $0.clientAddress ?? "-",
                        $0.dealId ?? "-", $0.action,
                        $0.detail.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "), $0.reason ?? "",
                    ]
                })
        }
    }
}
