import ArgumentParser
import Foundation
import NIOCore
import TrocClient
import TrocCore
import TrocCrypto

/// `troc upload FILE`: encrypts the file to the broker key in fixed-size chunks and streams it.
struct UploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload", abstract: "Encrypt a prospect file to the broker and upload it; prints the ingestion report.")

    @OptionGroup var options: ClientOptions
    @Argument(help: "The CSV file.") var file: String
    @Option(help: "The name the broker records (default: the file's name).") var name: String?

    func run() async throws {
        // A missing file is reported before any profile is read.
        _ = try LocalFile.size(file)
        try await options.run { try await run($0, $1) }
    }

    /// Runs the command with `client`, writing its result to `printer`.
    func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
        let size = try LocalFile.size(file)
        let me = try await client.me()
        let recipient = try await BrokerKeyPin.verifiedKey(client, profile: options.profile)
        let purpose = try EnvelopePurpose(TransferPurpose.upload(organisationID: me.organisation.id))
        let progress = TransferProgress(label: "uploaded", total: size)
        let body = SealedFileStream(path: file, recipient: recipient, purpose: purpose) { progress.update($0) }
        let stored = try await client.uploadFile(
            name: name ?? (file as NSString).lastPathComponent, body: body, length: EnvelopeLength.of(plaintextBytes: size))
        progress.finish(size)
        printer.print(stored) {
            "Stored \(stored.name) as \(stored.id) (\(stored.byteCount) bytes, encrypted at rest).\n\n" + FileReportText.render(stored.report)
        }
    }
}
