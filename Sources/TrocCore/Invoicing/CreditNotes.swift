/// Drafts the credit notes that correct issued invoices.
public enum CreditNotes {
    /// A full credit of `original`, in the original's series, referencing it (BT-25, BT-26) and stating `reason`.
    ///
    /// The credit note repeats the original's parties, lines, VAT and totals as positive amounts (type 381 says
    /// they are owed back) and its mentions, mandate included. `existingCreditNote` is the credit note the store
    /// found for `original`, if any: crediting twice is refused here so that the message is the same everywhere.
    public static func draft(crediting original: InvoiceDocument, reason: String, issueDate: CivilDate, existingCreditNote: InvoiceNumber?)
        throws(CreditNoteError) -> InvoiceDraft
    {
        guard original.kind == .invoice else { throw .cannotCreditACreditNote(original.number) }
        if let existingCreditNote { throw .alreadyCredited(original.number, by: existingCreditNote) }
        let reason = reason.trimmingSpaces
        guard !reason.isEmpty else { throw .missingReason }
        guard issueDate >= original.issueDate else { throw .issueDateBeforeOriginal(issueDate: issueDate, original: original.reference) }
        var content = original.content
        content.kind = .creditNote
        content.issueDate = issueDate
        content.dueDate = issueDate.adding(days: original.paymentTermsDays)
        content.precedingInvoice = original.reference
        content.creditReason = reason
        content.notes.append(
            InvoiceNote(subjectCode: "ACD", text: "Avoir total de la facture \(original.number) du \(original.issueDate.french). Motif : \(reason)"))
        content.paymentTermsText =
            "Avoir à imputer sur les prochains règlements ou à rembourser au plus tard le \(content.dueDate.french)."
        return InvoiceDraft(series: original.series, content: content)
    }
}
