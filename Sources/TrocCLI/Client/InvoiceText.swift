import ArgumentParser
import Foundation
import NIOCore
import TrocClient
import TrocCore

/// Invoices for people.
enum InvoiceText {
    /// The invoices as a table, with their count and gross total.
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

    /// Who pays whom the net of the exchange invoices.
    static func net(_ statement: SettlementStatement) -> String {
        switch statement.direction {
        case .balanced: "the exchange invoices cancel out"
        case .aPaysB: "\(statement.partnerA) pays \(statement.partnerB) \(statement.netFromAToB.frenchString)"
        case .bPaysA: "\(statement.partnerB) pays \(statement.partnerA) \((Money.zero - statement.netFromAToB).frenchString)"
        }
    }

    /// The settlement statement: what each firm owes, the net, the commission and the transfers to make.
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

    /// The payments recorded for a deal, as a table.
    static func render(_ payments: [SettlementPayment]) -> String {
        TextTable.render(
            ["DATE", "DIRECTION", "FIRM", "AMOUNT", "REFERENCE"],
            payments.map { [$0.date.iso8601, $0.direction.rawValue, $0.counterparty, $0.amount.frenchString, $0.reference] })
    }
}
