import ArgumentParser
import Foundation
import TrocClient
import TrocCore
import TrocCrypto

/// `troc deal upload|attach|report|download`: the files that go into a deal and what comes out of it.
extension DealCommand {
    struct Upload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "upload", abstract: "Encrypt your prospect file and upload it into the deal.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id (del_…).") var dealID: String
        @Argument(help: "The CSV file.") var file: String

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
            let purpose = try EnvelopePurpose(TransferPurpose.dealUpload(dealID: dealID, organisationID: me.organisation.id))
            let progress = TransferProgress(label: "uploaded", total: size)
            let body = SealedFileStream(path: file, recipient: recipient, purpose: purpose) { progress.update($0) }
            let deal = try await client.uploadDealFile(
                dealID: dealID, name: (file as NSString).lastPathComponent, body: body, length: EnvelopeLength.of(plaintextBytes: size))
            progress.finish(size)
            printer.print(deal) { DealText.render(deal) }
        }
    }

    struct Attach: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "attach", abstract: "Attach a file you already uploaded (troc upload) to the deal.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id (del_…).") var dealID: String
        @Argument(help: "File id (fil_…).") var fileID: String

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let deal = try await client.attachFile(dealID: dealID, fileID: fileID)
            printer.print(deal) { DealText.render(deal) }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report", abstract: "The match report: aggregated counts under differential privacy, small ones shown as < 50.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id (del_…).") var dealID: String

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let view = try await client.dealReport(dealID)
            printer.print(view) { DealText.render(view.report) }
        }
    }

    struct Download: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "download", abstract: "Download your delivery and decrypt it to CSV (partners).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id.") var dealID: String
        @Option(name: [.short, .customLong("output")], help: "Where to write the CSV.") var output: String
        @Option(help: "Your private key (default: the one in your key directory whose fingerprint the broker names).") var key: String?

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let me = try await client.me()
            let downloaded = try await EnvelopeDownload.run(
                client, endpoint: Endpoint(.dealDelivery, dealID),
                purpose: TransferPurpose.delivery(dealID: dealID, organisationID: me.organisation.id), output: output
            ) { fingerprint in try KeyLocation.find(organisationID: me.organisation.id, fingerprint: fingerprint, explicit: key) }
            printer.print(["deal": dealID, "output": output, "bytes": String(downloaded.bytes), "keyFingerprint": downloaded.fingerprint ?? "-"]) {
                ""
            }
        }
    }
}
