import ArgumentParser
import Foundation
import NIOCore
import TrocClient
import TrocCore

/// `troc invoices …`: the accountant's read-only view of invoices and credit notes, and the operator's corrections.
struct InvoicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoices", abstract: "List and fetch invoices and credit notes; credit an invoice (operators).",
        subcommands: [List.self, Get.self, Credit.self, Settlement.self, Payment.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Invoices and credit notes issued in a period (both dates included).")
        @OptionGroup var options: ClientOptions
        @Option(help: "First issue date, yyyy-mm-dd.") var from: String?
        @Option(help: "Last issue date, yyyy-mm-dd (default: today).") var to: String?

        func validate() throws {
            for (name, value) in [("--from", from), ("--to", to)] {
                if let value, CivilDate(iso8601: value) == nil { throw ValidationError("\(name) \(value): expected a date as yyyy-mm-dd") }
            }
        }

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let invoices = try await client.invoices(from: from, to: to)
            printer.print(invoices) { InvoiceText.render(invoices) }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get", abstract: "Save one invoice as UBL, CII, CSV, JSON, HTML or a Factur-X PDF.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Invoice number.") var number: String
        @Option(help: "ubl, cii, csv, json, html or pdf (Factur-X: PDF/A-3 with the CII XML inside).") var format = "ubl"
        @Option(name: [.short, .customLong("output")], help: "Where to write it (default: the name the broker suggests; - for standard output).")
        var output: String?

        func validate() throws {
            guard ["ubl", "cii", "csv", "json", "html", "pdf"].contains(format) else {
                throw ValidationError("--format must be ubl, cii, csv, json, html or pdf")
            }
        }

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let (body, suggested) = try await client.invoiceDocument(number: number, format: format)
            try SavedFile.write(body, to: output ?? suggested ?? "\(number).\(format)")
        }
    }

    struct Credit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "credit", abstract: "Issue the credit note that cancels an invoice (operators); the invoice itself never changes.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Number of the invoice to credit.") var number: String
        @Option(help: "Why (printed on the credit note).") var reason: String

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let note = try await client.creditInvoice(number: number, NewCreditNote(reason: reason))
            printer.print(note) { InvoiceText.render([note]) }
        }
    }

    struct Settlement: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "settlement", abstract: "The settlement statement of an invoiced deal: who pays whom.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id (del_…).") var dealID: String

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let statement = try await client.settlement(dealID: dealID)
            printer.print(statement) { InvoiceText.render(statement) }
        }
    }

    struct Payment: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "payment",
            abstract:
                "Record money the broker received or paid out for a deal it collects (operators, collection-by-broker), from the bank statement.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id (del_…).") var dealID: String
        @Option(help: "received (from the firm that owes the net) or paid-out (to the firm owed it).") var direction: String
        @Option(help: "Amount in euros, such as 123.45.") var amount: String
        @Option(help: "Value date on the bank statement, yyyy-mm-dd.") var on: String
        @Option(help: "The bank's reference of the movement.") var reference: String

        func validate() throws {
            guard SettlementPaymentDirection(rawValue: direction) != nil else { throw ValidationError("--direction must be received or paid-out") }
            guard DealCommand.Propose.cents(amount) != nil else { throw ValidationError("--amount \(amount): expected euros such as 123.45") }
            guard CivilDate(iso8601: on) != nil else { throw ValidationError("--on \(on): expected a date as yyyy-mm-dd") }
        }

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let payments = try await client.recordSettlementPayment(dealID: dealID, try payment())
            printer.print(payments) { InvoiceText.render(payments) }
        }

        /// The payment the options describe (`validate()` has checked them).
        func payment() throws -> NewSettlementPayment {
            guard let direction = SettlementPaymentDirection(rawValue: direction), let cents = DealCommand.Propose.cents(amount),
                let date = CivilDate(iso8601: on)
            else { throw ValidationError("invalid payment") }
            return NewSettlementPayment(direction: direction, amountCents: Int64(cents), date: date, reference: reference)
        }
    }
}
