import ArgumentParser
import Foundation
import TrocClient
import TrocCore

/// `troc suppress add|import`: opt-outs and opposition lists, stored by the broker only as keyed hashes.
struct SuppressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suppress", abstract: "Keep people out of every match (operators).", subcommands: [Add.self, Import.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Suppress an email, a phone or a SIRET.")
        @OptionGroup var options: ClientOptions
        @Option(help: "An email address.") var email: [String] = []
        @Option(help: "A phone number.") var phone: [String] = []
        @Option(help: "A SIRET.") var siret: [String] = []
        @Option(help: "optout, unsubscribe or opposition-list.") var source = "optout"

        func run() async throws {
            let values = email + phone + siret
            guard !values.isEmpty else { throw ValidationError("give at least one --email, --phone or --siret") }
            let result: SuppressionResult = try await options.withClient {
                try await $0.addSuppressions(NewSuppressions(values: values, source: source))
            }
            options.print(result) { SuppressionText.render(result) }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Import a list, one email, phone or SIRET per line (Bloctel-style files).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The file.") var file: String
        @Option(help: "optout, unsubscribe or opposition-list.") var source = "opposition-list"

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw TrocExit(.badInput, "troc: \(file): cannot read") }
            let lines = SuppressionText.lines(data)
            var total = SuppressionResult(added: 0, alreadyListed: 0, rejected: [], total: 0)
            try await options.withClient { client in
                // Batches keep each request small; the broker hashes and forgets the clear values.
                for start in stride(from: 0, to: lines.count, by: 5000) {
                    let batch = Array(lines[start..<min(lines.count, start + 5000)])
                    let result = try await client.addSuppressions(NewSuppressions(values: batch.map(\.value), source: source))
                    total.added += result.added
                    total.alreadyListed += result.alreadyListed
                    total.rejected += result.rejected.map { problem in
                        let line = SuppressionText.index(problem.field).flatMap { batch.indices.contains($0) ? batch[$0].line : nil }
                        return FieldProblem(field: line.map { "\(file):\($0)" } ?? problem.field, code: problem.code, detail: problem.detail)
                    }
                    total.total = result.total
                }
            }
            options.print(total) { SuppressionText.render(total) }
        }
    }
}

enum SuppressionText {
    /// The non-blank lines of a list with their 1-based numbers; UTF-8 (BOM dropped), else Windows-1252 as Excel writes it.
    static func lines(_ data: Data) -> [(line: Int, value: String)] {
        var text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .windowsCP1252) ?? String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { offset, line in
            let value = line.trimmingCharacters(in: .whitespacesAndNewlines)
            return value.isEmpty ? nil : (offset + 1, value)
        }
    }

    /// `values[12]` → 12.
    static func index(_ field: String) -> Int? {
        guard field.hasPrefix("values["), field.hasSuffix("]") else { return nil }
        return Int(field.dropFirst(7).dropLast())
    }

    static func render(_ result: SuppressionResult) -> String {
        var lines = ["\(result.added) added, \(result.alreadyListed) already listed; \(result.total) entries on the list."]
        for problem in result.rejected.prefix(20) { lines.append("  skipped \(problem.field): \(problem.detail)") }
        return lines.joined(separator: "\n") + "\n"
    }
}

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
        let request = NewErasureRequest(emails: email.isEmpty ? nil : email, phones: phone.isEmpty ? nil : phone, sirets: siret.isEmpty ? nil : siret)
        let result = try await options.withClient { try await $0.requestErasure(request) }
        options.print(result) {
            guard result.found else { return "Erasure \(result.id): the broker held nothing of this person; they are suppressed all the same.\n" }
            return "Erasure \(result.id): \(result.rowsRemoved) rows removed from \(result.filesRewritten) files and \(result.deliveriesRewritten) "
                + "deliveries; \(result.noticesRecorded) notices to firms that had received them; the person is suppressed.\n"
        }
    }
}

/// `troc audit`: the audit trail (operators).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Read the audit trail (operators).")
    @OptionGroup var options: ClientOptions
    @Option(help: "Only this deal's entries.") var deal: String?
    @Option(help: "At most this many entries.") var limit = 100

    func run() async throws {
        let entries = try await options.withClient { try await $0.audit(limit: limit, dealID: deal) }
        options.print(entries) {
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

/// `troc sectors …`: the broker's sector tables (operators edit them, every change audited).
struct SectorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sectors", abstract: "Audience clusters, confidential sectors and the renovation / home-adaptation list.",
        subcommands: [List.self, AddCode.self, RemoveCode.self, SetConfidential.self, RemoveConfidential.self, RenovationCommand.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Show the clusters and the confidential sectors.")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let tables = try await options.withClient { try await $0.sectors() }
            options.print(tables) {
                var lines = tables.clusters.keys.sorted().map { "\($0): \(tables.clusters[$0]!.sorted().joined(separator: " "))" }
                lines.append("confidential: " + tables.confidential.map { "\($0.code) (\($0.scope))" }.sorted().joined(separator: " "))
                return lines.joined(separator: "\n") + "\n"
            }
        }
    }

    struct AddCode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-code", abstract: "Add a NAF code to an audience cluster.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Cluster name.") var cluster: String
        @Argument(help: "NAF code.") var code: String
        @Option(help: "Why (audited).") var reason: String

        func run() async throws {
            let tables: SectorTables = try await options.withClient {
                try await $0.addClusterCode(cluster: cluster, code: code, SectorChange(reason: reason, rationale: nil, scope: nil))
            }
            options.print(tables) { "\(cluster): \(tables.clusters[cluster]?.sorted().joined(separator: " ") ?? "")\n" }
        }
    }

    struct RemoveCode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove-code", abstract: "Remove a NAF code from an audience cluster.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Cluster name.") var cluster: String
        @Argument(help: "NAF code.") var code: String
        @Option(help: "Why (audited).") var reason: String

        func run() async throws {
            let tables: SectorTables = try await options.withClient {
                try await $0.removeClusterCode(cluster: cluster, code: code, SectorChange(reason: reason, rationale: nil, scope: nil))
            }
            options.print(tables) { "\(cluster): \(tables.clusters[cluster]?.sorted().joined(separator: " ") ?? "(empty)")\n" }
        }
    }

    struct SetConfidential: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-confidential", abstract: "Exclude a NAF code from file exchange.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "NAF code.") var code: String
        @Option(help: "Why the sector's files are confidential.") var rationale: String
        @Option(help: "core or optional.") var scope = "core"
        @Option(help: "Why the change (audited).") var reason: String

        func run() async throws {
            let tables: SectorTables = try await options.withClient {
                try await $0.setConfidential(code: code, SectorChange(reason: reason, rationale: rationale, scope: scope))
            }
            options.print(tables) { "confidential: " + tables.confidential.map(\.code).sorted().joined(separator: " ") + "\n" }
        }
    }

    struct RemoveConfidential: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove-confidential", abstract: "Allow a NAF code again.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "NAF code.") var code: String
        @Option(help: "Why (audited).") var reason: String

        func run() async throws {
            let tables: SectorTables = try await options.withClient {
                try await $0.removeConfidential(code: code, SectorChange(reason: reason, rationale: nil, scope: nil))
            }
            options.print(tables) { "confidential: " + tables.confidential.map(\.code).sorted().joined(separator: " ") + "\n" }
        }
    }
}
