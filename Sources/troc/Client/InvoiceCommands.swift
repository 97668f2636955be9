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
            let invoices = try await options.withClient { try await $0.invoices(from: from, to: to) }
            options.print(invoices) { InvoiceText.render(invoices) }
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
            let (body, suggested) = try await options.withClient { try await $0.invoiceDocument(number: number, format: format) }
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
            let note = try await options.withClient { try await $0.creditInvoice(number: number, NewCreditNote(reason: reason)) }
            options.print(note) { InvoiceText.render([note]) }
        }
    }

    struct Settlement: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "settlement", abstract: "The settlement statement of an invoiced deal: who pays whom.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id (del_…).") var dealID: String

        func run() async throws {
            let statement = try await options.withClient { try await $0.settlement(dealID: dealID) }
            options.print(statement) { InvoiceText.render(statement) }
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
            guard let direction = SettlementPaymentDirection(rawValue: direction), let cents = DealCommand.Propose.cents(amount),
                let date = CivilDate(iso8601: on)
            else { throw ValidationError("invalid payment") }
            let payments: [SettlementPayment] = try await options.withClient {
                try await $0.recordSettlementPayment(
                    dealID: dealID,
                    NewSettlementPayment(direction: direction, amountCents: Int64(cents), date: date, reference: reference))
            }
            options.print(payments) { InvoiceText.render(payments) }
        }
    }
}

/// `troc ledger fec --year YYYY`: the broker's sales journal as a Fichier des écritures comptables.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ledger", abstract: "Accounting exports.", subcommands: [FEC.self])

    struct FEC: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fec",
            abstract: "The FEC (LPF art. A47 A-1) of the broker's financial year ending in --year, saved as <SIREN>FEC<closing date>.txt.")
        @OptionGroup var options: ClientOptions
        @Option(help: "The financial year, by the calendar year it ends in (2026 for a year closing on 30 June 2026).") var year: Int
        @Option(name: [.short, .customLong("output")], help: "Where to write it (default: the legal file name, in the current directory).")
        var output: String?

        func validate() throws {
            guard (2000...2999).contains(year) else { throw ValidationError("--year \(year): expected a year such as 2026") }
        }

        func run() async throws {
            let (body, suggested) = try await options.withClient { try await $0.fec(year: year) }
            try SavedFile.write(body, to: output ?? suggested ?? "FEC\(year).txt")
        }
    }
}

/// Writes a fetched file atomically and says where.
enum SavedFile {
    static func write(_ body: ByteBuffer, to path: String) throws {
        let data = Data(body.readableBytesView)
        if path == "-" {
            FileHandle.standardOutput.write(data)
            return
        }
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TrocExit(.badInput, "troc: \(path): cannot write (\(error.localizedDescription))")
        }
        StandardStreams.error.write("wrote \(path) (\(data.count) bytes)\n")
    }
}

/// Invoices for people.
enum InvoiceText {
    static func render(_ invoices: [InvoiceSummary]) -> String {
        let table = TextTable.render(
            ["NUMBER", "DATE", "KIND", "DEAL", "SELLER", "BUYER", "NET", "VAT", "TOTAL"],
            invoices.map {
                [
                    $0.number, $0.issueDate.iso8601, $0.credits.map { "credit note of \($0)" } ?? $0.purpose, $0.dealId ?? "-", $0.seller, $0.buyer,
                    Money(cents: $0.netCents).frenchString, Money(cents: $0.vatCents).frenchString, Money(cents: $0.grossCents).frenchString,
                ]
            })
        guard !invoices.isEmpty else { return table }
        let gross = invoices.reduce(Money.zero) { $0 + Money(cents: $1.grossCents) }
        return table + "\(invoices.count) documents, \(gross.frenchString) in total\n"
    }

    static func net(_ statement: SettlementStatement) -> String {
        switch statement.direction {
        case .balanced: "the exchange invoices cancel out"
        case .aPaysB: "\(statement.partnerA) pays \(statement.partnerB) \(statement.netFromAToB.frenchString)"
        case .bPaysA: "\(statement.partnerB) pays \(statement.partnerA) \((Money.zero - statement.netFromAToB).frenchString)"
        }
    }

    static func render(_ statement: SettlementStatement) -> String {
        var text = """
            Settlement of \(statement.dealID), \(statement.date.iso8601)
              \(statement.partnerA) owes \(statement.partnerB): \(statement.aOwesB.frenchString)
              \(statement.partnerB) owes \(statement.partnerA): \(statement.bOwesA.frenchString)
              net: \(net(statement))
              commission due to the broker: \(statement.commissionDueFromA.frenchString) from \(statement.partnerA), \
            \(statement.commissionDueFromB.frenchString) from \(statement.partnerB)
              payments: \(statement.collectionByBroker ? "collected by the broker for the sellers" : "each firm pays the other directly")

            """
        if !statement.transfers.isEmpty {
            text += "Transfers:\n"
            for transfer in statement.transfers {
                text += "  \(transfer.payer) pays \(transfer.payee) \(transfer.amount.frenchString) to IBAN \(transfer.account.iban.grouped) "
                text += "(BIC \(transfer.account.bic)): \(transfer.label)\n"
            }
        }
        return text
    }

    static func render(_ payments: [SettlementPayment]) -> String {
        TextTable.render(
            ["DATE", "DIRECTION", "FIRM", "AMOUNT", "REFERENCE"],
            payments.map { [$0.date.iso8601, $0.direction.rawValue, $0.counterparty, $0.amount.frenchString, $0.reference] })
    }
}
