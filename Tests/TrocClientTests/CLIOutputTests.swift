import ArgumentParser
import Foundation
import Synchronization
import Testing
import TrocClient
import TrocCore

@testable import TrocCLI

/// What `troc` prints, as tables for people and as `--json` for scripts, from a real broker's answers: each command
/// runs with the client and an output buffer, as `run()` does with the profile's client and standard output.
@Suite struct CLIOutputTests {
    @Test func dealListAndShow() async throws {
        let live = try await LiveBroker.make()
        defer { live.remove() }
        try await live.serve { connect, operatorClient in
            let (_, joineryToken) = try await TwoFirms.register(TwoFirms.joinery, user: "Jeanne Durand", with: operatorClient)
            let (heating, _) = try await TwoFirms.register(TwoFirms.heating, user: "Marc Martin", with: operatorClient)
            let joinery = try connect(joineryToken)
            defer { Task { await joinery.shutdown() } }
            let first = try await joinery.proposeDeal(NewDeal(partnerId: heating.id, pricePer1000Cents: 2500, policy: .equalCount))
            let second = try await joinery.proposeDeal(NewDeal(partnerId: heating.id, pricePer1000Cents: 2750, policy: .qualityWeighted))

            let table = try await Self.output(of: DealCommand.List.parse([]), client: joinery)
            let rows = Self.cells(table, columns: ["ID", "STATE", "PROPOSER", "PARTNER", "PRICE/1000", "POLICY", "VERDICT"])
            let verdict = first.verdict.kind.rawValue
            #expect(
                Set(rows) == [
                    [first.id, first.state.rawValue, "Menuiseries Durand SARL", "Géothermie Martin SAS", "25,00 €", "equal-count", verdict],
                    [second.id, second.state.rawValue, "Menuiseries Durand SARL", "Géothermie Martin SAS", "27,50 €", "quality-weighted", verdict],
                ])
            let json = try await Self.output(of: DealCommand.List.parse(["--json"]), client: joinery)
            #expect(Set(try Self.decoder.decode([Deal].self, from: Data(json.utf8)).map(\.id)) == [first.id, second.id])

            let shown = try await Self.output(of: DealCommand.Show.parse([first.id]), client: joinery)
            #expect(
                shown == """
                    \(first.id): \(first.state.rawValue)
                      Menuiseries Durand SARL (43.32A) ↔ Géothermie Martin SAS (43.22B)
                      sector verdict: \(verdict): \(first.verdict.reason)
                      price 25,00 € per 1,000 addresses, policy equal-count
                      files: proposer awaited, partner awaited

                    """)
            let shownJSON = try await Self.output(of: DealCommand.Show.parse([first.id, "--json"]), client: joinery)
            #expect(try Self.decoder.decode(Deal.self, from: Data(shownJSON.utf8)) == (try await joinery.deal(first.id)))
        }
    }

    @Test func invoiceListAndTheReleasedDealShown() async throws {
        let live = try await LiveBroker.make()
        defer { live.remove() }
        let files = live.directory.appendingPathComponent("uploads")
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        try await live.serve { connect, operatorClient in
            let released = try await ReleasedDeal.make(live, operatorClient: operatorClient, connect: connect, files: files)
            defer { Task { await released.shutdown() } }
            let invoices = try await operatorClient.invoices(from: nil, to: nil)
            try #require(!invoices.isEmpty)

            let table = try await Self.output(of: InvoicesCommand.List.parse([]), client: operatorClient)
            var lines = table.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(lines.removeLast() == "")
            let total = invoices.reduce(Money.zero) { $0 + Money(cents: $1.grossCents) }
            #expect(lines.removeLast() == "\(invoices.count) documents, \(total.frenchString) in total")
            let rows = Self.cells(
                lines.joined(separator: "\n") + "\n", columns: ["NUMBER", "DATE", "KIND", "DEAL", "SELLER", "BUYER", "NET", "VAT", "TOTAL"])
            #expect(
                rows
                    == invoices.map {
                        [
                            $0.number, $0.issueDate.iso8601, $0.purpose, released.deal.id, $0.seller, $0.buyer,
                            Money(cents: $0.netCents).frenchString,
                            Money(cents: $0.vatCents).frenchString, Money(cents: $0.grossCents).frenchString,
                        ]
                    })
            let json = try await Self.output(of: InvoicesCommand.List.parse(["--json"]), client: operatorClient)
            #expect(try Self.decoder.decode([InvoiceSummary].self, from: Data(json.utf8)) == invoices)

            let shown = try await Self.output(of: DealCommand.Show.parse([released.deal.id]), client: released.joinery)
            let current = try await released.joinery.deal(released.deal.id)
            let delivery = try #require(current.delivery)
            #expect(shown.hasPrefix("\(released.deal.id): \(current.state.rawValue)\n"))
            #expect(shown.contains("\n  your delivery: \(delivery.rows) contacts, \(delivery.downloadsRemaining) downloads left until "))
        }
    }

    @Test func organisationAndUserListings() async throws {
        let live = try await LiveBroker.make()
        defer { live.remove() }
        try await live.serve { _, operatorClient in
            let (joinery, _) = try await TwoFirms.register(TwoFirms.joinery, user: "Jeanne Durand", with: operatorClient)
            let organisations = try await operatorClient.organisations()
            let table = try await Self.output(of: OrganisationsCommand.List.parse([]), client: operatorClient)
            let rows = Self.cells(table, columns: ["ID", "KIND", "NAME", "SIREN", "NAF", "KEY"])
            #expect(rows.contains([joinery.id, "partner", "Menuiseries Durand SARL", "732829320", "43.32A", "-"]))
            #expect(rows.count == organisations.count)
            let json = try await Self.output(of: OrganisationsCommand.List.parse(["--json"]), client: operatorClient)
            #expect(try Self.decoder.decode([Organisation].self, from: Data(json.utf8)) == organisations)

            let users = try await Self.output(of: UsersCommand.List.parse([]), client: operatorClient)
            let userRows = Self.cells(users, columns: ["ID", "NAME", "ROLE", "ORGANISATION", "CREATED", "BY", "DISABLED", "REASON"])
            #expect(userRows.contains { $0[1] == "Jeanne Durand" && $0[2] == "partner (admin)" && $0[3] == joinery.id && $0[6] == "-" })
            #expect(userRows.contains { $0[1] == "Olivia Operator" && $0[2] == "operator" && $0[5] == "setup" })
        }
    }

    @Test func anEmptyListSaysSo() async throws {
        let live = try await LiveBroker.make()
        defer { live.remove() }
        try await live.serve { _, operatorClient in
            let table = try await Self.output(of: InvoicesCommand.List.parse([]), client: operatorClient)
            let json = try await Self.output(of: InvoicesCommand.List.parse(["--json"]), client: operatorClient)
            #expect(table == "(none)\n")
            #expect(try Self.decoder.decode([InvoiceSummary].self, from: Data(json.utf8)).isEmpty)
        }
    }

    @Test func clientErrorsEndWithTheirDocumentedExitCodes() {
        func exit(_ status: Int) -> TrocExitCode {
            ClientError.problem(Problem(type: "about:blank", title: "T", status: status, detail: "d", code: "c")).exit.code
        }
        #expect(exit(401) == .authentication && TrocExitCode.authentication.rawValue == 3)
        #expect(exit(403) == .authentication)
        #expect(exit(404) == .notFound && TrocExitCode.notFound.rawValue == 4)
        #expect(exit(409) == .conflict && TrocExitCode.conflict.rawValue == 5)
        #expect(exit(422) == .badInput && TrocExitCode.badInput.rawValue == 2)
        #expect(exit(500) == .server && TrocExitCode.server.rawValue == 6)
        #expect(ClientError.unreachable("refused").exit.code == .unreachable && TrocExitCode.unreachable.rawValue == 7)
        #expect(ClientError.configuration("no profile").exit.code == .usage && TrocExitCode.usage.rawValue == 1)
        #expect(ClientError.input("no such file").exit.code == .badInput)
        let problem = ClientError.problem(
            Problem(type: "about:blank", title: "Not found", status: 404, detail: "no deal with that id", code: "not-found"))
        #expect(problem.exit.message == "troc: Not found (not-found, HTTP 404): no deal with that id")
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// What a command that talks to the broker prints when run with `client`; `--json` in its arguments is honoured.
    static func output<Command: ClientCommand>(of command: Command, client: TrocAPIClient) async throws -> String {
        let buffer = TextBuffer()
        try await command.run(client, CommandOutput(sink: buffer, json: command.options.json))
        return buffer.text
    }

    /// The rows of a table under `columns`, each split into its cells; every cell must start where its header does.
    static func cells(_ table: String, columns: [String]) -> [[String]] {
        let lines = table.split(separator: "\n").map(String.init)
        guard let header = lines.first else {
            Issue.record("empty table")
            return []
        }
        var starts: [String.Index] = []
        var searchFrom = header.startIndex
        for column in columns {
            guard let range = header.range(of: column, range: searchFrom..<header.endIndex) else {
                Issue.record("no column \(column) in \(header)")
                return []
            }
            starts.append(range.lowerBound)
            searchFrom = range.upperBound
        }
        let offsets = starts.map { header.distance(from: header.startIndex, to: $0) }
        return lines.dropFirst().map { line in
            let characters = Array(line)
            return offsets.indices.map { column in
                let start = offsets[column]
                let end = column + 1 < offsets.count ? offsets[column + 1] : characters.count
                guard start < characters.count else { return "" }
                if start > 0 { #expect(characters[start - 1] == " ", "column \(columns[column]) misaligned in \(line)") }
                return String(characters[start..<min(end, characters.count)]).trimmingCharacters(in: .whitespaces)
            }
        }
    }
}

/// A command whose work `run(_:_:)` does with a given client and output.
protocol ClientCommand {
    var options: ClientOptions { get }
    func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws
}

extension DealCommand.List: ClientCommand {}
extension DealCommand.Show: ClientCommand {}
extension InvoicesCommand.List: ClientCommand {}
extension OrganisationsCommand.List: ClientCommand {}
extension UsersCommand.List: ClientCommand {}

/// A text sink that keeps what is written.
final class TextBuffer: TextSink {
    private let written = Mutex("")

    func write(_ text: String) { written.withLock { $0 += text } }

    /// Everything written so far.
    var text: String { written.withLock { $0 } }
}
