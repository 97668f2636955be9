import ArgumentParser
import Foundation
import NIOCore
import TrocClient
import TrocCore
import TrocCrypto

/// `troc download FILE_ID -o OUT`: streams the envelope and decrypts it with the firm's private key.
struct DownloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "download", abstract: "Download a stored file and decrypt it with your private key.")

    @OptionGroup var options: ClientOptions
    @Argument(help: "The file id (fil_…).") var fileID: String
    @Option(name: [.short, .customLong("output")], help: "Where to write the decrypted CSV.") var output: String
    @Option(help: "Your private key (default: the one in your key directory whose fingerprint the broker names).") var key: String?

    func run() async throws {
        try await options.run { try await run($0, $1) }
    }

    /// Runs the command with `client`, writing its result to `printer`.
    func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
        let me = try await client.me()
        // The file first: one that is not visible answers 404 before any question about keys.
        _ = try await client.file(fileID)
        let downloaded = try await EnvelopeDownload.run(
            client, endpoint: Endpoint(.fileContent, fileID), purpose: TransferPurpose.download(fileID: fileID), output: output
        ) { fingerprint in try KeyLocation.find(organisationID: me.organisation.id, fingerprint: fingerprint, explicit: key) }
        printer.print(["file": fileID, "output": output, "bytes": String(downloaded.bytes), "keyFingerprint": downloaded.fingerprint ?? "-"]) {
            ""
        }
    }
}
