import Foundation
package import TrocCore

/// The audit entries of invoicing, built once for both record stores.
extension AuditDraft {
    /// A deal's invoices issued with its move from `from` to `invoiced`.
    package static func invoicesIssued(_ deal: DealRecord, from: DealState, issued: [InvoiceRecord], by actor: AuditActor) -> AuditDraft {
        AuditDraft(
            action: .invoiceIssue, actor: actor, dealID: deal.id,
            detail: [
                "from": .string(from.rawValue), "to": .string(deal.state.rawValue), "numbers": .array(issued.map { .string($0.number) }),
                "grossCents": .integer(issued.reduce(0) { $0 + $1.grossCents }),
            ])
    }

    /// Credit note `record` issued for invoice `credited`, with the reason it gives.
    package static func creditNoteIssued(_ record: InvoiceRecord, credits credited: InvoiceRecord, by actor: AuditActor) -> AuditDraft {
        AuditDraft(
            action: .invoiceCredit, actor: actor, dealID: credited.dealID,
            detail: ["number": .string(record.number), "credits": .string(credited.number), "grossCents": .integer(record.grossCents)],
            reason: record.document.content.creditReason)
    }

    /// A settlement payment recorded.
    package static func settlementPaymentRecorded(_ record: SettlementPaymentRecord, by actor: AuditActor) -> AuditDraft {
        AuditDraft(
            action: .settlementPayment, actor: actor, organisationID: record.counterpartyID, dealID: record.dealID,
            detail: [
                "payment": .string(record.id), "direction": .string(record.direction.rawValue), "amountCents": .integer(record.amountCents),
                "paidOn": .string(record.paidOn.iso8601),
            ])
    }
}
