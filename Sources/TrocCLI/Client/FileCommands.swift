import ArgumentParser
import Foundation
import TrocClient
import TrocCore

/// `troc files list|show|delete`.
struct FilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "files", abstract: "Stored files and their ingestion reports.", subcommands: [List.self, Show.self, Delete.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List stored files.")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let files = try await client.files()
            printer.print(files) {
                TextTable.render(
                    ["ID", "NAME", "BYTES", "ROWS", "CONTACTS", "EXCHANGEABLE", "UPLOADED"],
                    files.map {
                        [
                            $0.id, $0.name, String($0.byteCount), String($0.report.rows), String($0.report.contacts), String($0.report.exchangeable),
                            TextTable.date($0.createdAt),
                        ]
                    })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one file's ingestion report.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The file id (fil_…).") var fileID: String

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let file = try await client.file(fileID)
            printer.print(file) {
                "\(file.name) (\(file.id)), \(file.byteCount) bytes, uploaded \(TextTable.date(file.createdAt))\n\n"
                    + FileReportText.render(file.report, full: file.full)
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete", abstract: "Delete one of your firm's stored files that no deal refers to (audited).",
            discussion:
                "Frees its place in the firm's quotas. A file attached to a deal is refused (exit 5): the broker deletes it once the deal no longer needs it."
        )
        @OptionGroup var options: ClientOptions
        @Argument(help: "The file id (fil_…).") var fileID: String

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            try await client.deleteFile(fileID)
            printer.print(["deleted": fileID]) { "Deleted \(fileID).\n" }
        }
    }
}

/// One file's report for people: the firm's own, and for operators what the suppression list changes.
enum FileReportText {
    static func render(_ report: PartnerFileReport, full: FileReport? = nil) -> String {
        var lines: [String] = []
        let rows: [(String, String)] =
            [
                ("read as", "\(report.encoding), \"\(report.delimiter)\""), ("rows", group(report.rows)),
                ("contacts (after dedupe)", group(report.contacts)),
                ("duplicate rows merged", group(report.duplicates)), ("valid emails", group(report.validEmails)),
                ("valid phones", group(report.validPhones)),
                ("B2B / B2C", "\(group(report.b2b)) / \(group(report.b2c))"), ("with opt-in", group(report.withConsent)),
                (
                    "consent email / phone / SMS",
                    "\(group(report.consentByChannel.email)) / \(group(report.consentByChannel.phone)) / \(group(report.consentByChannel.sms))"
                ), ("consent covering partners", group(report.partnerConsent)),
                ("refused consent", group(report.refusedConsent)), ("stale / undated", "\(group(report.stale)) / \(group(report.undated))"),
                ("without source", group(report.withoutSource)), ("exchangeable", group(report.exchangeable)),
                ("quality score", String(format: "%.3f", report.qualityScore)),
            ] + (full.map { [("suppressed (operators)", group($0.suppressed)), ("exchangeable after suppression", group($0.exchangeable))] } ?? [])
        let width = rows.map(\.0.count).max() ?? 0
        for (label, value) in rows { lines.append(label + String(repeating: " ", count: width - label.count) + "  " + value) }
        if !report.ignoredColumns.isEmpty { lines.append("ignored columns: " + report.ignoredColumns.joined(separator: ", ")) }
        for note in report.notes { lines.append("note: " + note) }
        if !report.rejected.isEmpty {
            lines.append("rejected: " + report.rejected.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            for rejection in report.rejections.prefix(10) { lines.append("  " + rejection.message) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func group(_ value: Int) -> String { MatchReportText.group(value) }
}
