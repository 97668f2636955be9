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
            guard !(email + phone + siret).isEmpty else { throw ValidationError("give at least one --email, --phone or --siret") }
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let result = try await client.addSuppressions(NewSuppressions(values: email + phone + siret, source: source))
            printer.print(result) { SuppressionText.render(result) }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Import a list, one email, phone or SIRET per line (Bloctel-style files).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The file.") var file: String
        @Option(help: "optout, unsubscribe or opposition-list.") var source = "opposition-list"

        func run() async throws {
            // An unreadable file is reported before any profile is read.
            _ = try lines()
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let lines = try lines()
            var total = SuppressionResult(added: 0, alreadyListed: 0, rejected: [], total: 0)
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
            printer.print(total) { SuppressionText.render(total) }
        }

        /// The file's non-blank lines with their numbers.
        func lines() throws -> [(line: Int, value: String)] {
            guard let data = FileManager.default.contents(atPath: file) else { throw TrocExit(.badInput, "troc: \(file): cannot read") }
            return SuppressionText.lines(data)
        }
    }
}

/// Suppression lists for people.
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

    /// The counts, then the first twenty entries skipped and why.
    static func render(_ result: SuppressionResult) -> String {
        var lines = ["\(result.added) added, \(result.alreadyListed) already listed; \(result.total) entries on the list."]
        for problem in result.rejected.prefix(20) { lines.append("  skipped \(problem.field): \(problem.detail)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
