import ArgumentParser
import Foundation
import TrocClient
import TrocCore
import TrocCrypto

/// `troc notices list|ack`: erasure notices (GDPR art. 19) to your firm, opened with its private key.
struct NoticesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notices", abstract: "Erasure notices: people your firm received and must erase.", subcommands: [List.self, Ack.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the notices, each opened with your firm's private key (operators see them sealed).")
        @OptionGroup var options: ClientOptions
        @Option(help: "Your private key (default: the one `troc keygen` wrote).") var key: String?

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let opened = try await open(client)
            printer.print(opened) {
                TextTable.render(
                    ["ID", "DEAL", "RECEIVED", "STATUS", "EMAILS", "PHONES", "SIRETS"],
                    opened.map { entry in
                        let status = entry.notice.acknowledgedAt.map { "acknowledged " + TextTable.date($0) } ?? "to erase, then ack"
                        let content = entry.content
                        return [
                            entry.notice.id, entry.notice.dealId, TextTable.date(content?.deliveredAt), status,
                            content?.emails.joined(separator: " ") ?? "-", content?.phones.joined(separator: " ") ?? "-",
                            content?.sirets.joined(separator: " ") ?? "-",
                        ]
                    })
                    + (opened.contains { $0.content != nil } ? "\n\(NoticeContent.instruction)\n" : "")
            }
        }

        /// The caller's notices, opened with the firm's private key when the caller is a partner and any is sealed.
        func open(_ client: TrocAPIClient) async throws -> [OpenedNotice] {
            let me = try await client.me()
            let notices = try await client.notices()
            guard me.user.role == .partner, notices.contains(where: { $0.sealed != nil }) else {
                return notices.map { OpenedNotice(notice: $0, content: nil) }
            }
            let privateKey = try KeyLocation.load(key ?? KeyLocation.defaultPath(organisationID: me.organisation.id))
            return try notices.map { OpenedNotice(notice: $0, content: try NoticeOpener.open($0, with: privateKey)) }
        }
    }

    struct Ack: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ack", abstract: "Acknowledge a notice once the person is erased (audited; the broker then deletes its content).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Notice id (ntc_…).") var noticeID: String

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let notice = try await client.acknowledgeNotice(noticeID)
            printer.print(notice) { "Acknowledged \(notice.id) at \(TextTable.date(notice.acknowledgedAt)).\n" }
        }
    }
}

/// A notice with its content, once opened.
struct OpenedNotice: Encodable {
    let notice: ErasureNotice
    let content: NoticeContent?
}

/// Opens a notice's envelope with the firm's private key.
enum NoticeOpener {
    /// The notice's content, nil once acknowledged; a notice sealed to another key is bad input, naming that key.
    static func open(_ notice: ErasureNotice, with privateKey: EnvelopePrivateKey) throws -> NoticeContent? {
        guard let sealed = notice.sealed else { return nil }
        guard let envelope = Data(base64Encoded: sealed) else {
            throw TrocExit(.server, "troc: notice \(notice.id): the sealed content is not base64")
        }
        do {
            var opener = EnvelopeOpener(privateKey: privateKey, purpose: try EnvelopePurpose(notice.purpose))
            let plaintext = try opener.feed(envelope).reduce(Data(), +)
            try opener.finish()
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(NoticeContent.self, from: plaintext)
        } catch let error as EnvelopeError {
            throw TrocExit(
                .badInput, "troc: notice \(notice.id) was sealed to key \(notice.keyFingerprint) and does not open with this private key: \(error)")
        }
    }
}
