import Testing
import TrocCore

/// Full credit notes and the refusals around them.
@Suite struct CreditNotesTests {
    static let creditDate = CivilDate(year: 2026, month: 2, day: 10)!

    @Test func creditsAnInvoiceInFullAndNegatesItsTotals() throws {
        for (_, original) in try InvoicingFixtures.everyEInvoiceVariant() where original.kind == .invoice {
            let draft = try CreditNotes.draft(crediting: original, reason: " Doublons ", issueDate: Self.creditDate, existingCreditNote: nil)
            let credit = try InvoicingFixtures.issue(draft, after: original.reference)
            #expect(credit.kind == .creditNote)
            #expect(credit.kind.typeCode == "381")
            #expect(credit.series == original.series)
            #expect(credit.number.prefix == original.number.prefix && credit.number.sequence == original.number.sequence + 1)
            #expect(credit.precedingInvoice == original.reference)
            #expect(credit.creditReason == "Doublons")
            #expect(credit.lines == original.lines)
            #expect(credit.vatBreakdown == original.vatBreakdown)
            #expect(credit.seller == original.seller && credit.buyer == original.buyer && credit.billingMandate == original.billingMandate)
            #expect(credit.dueDate == CivilDate(year: 2026, month: 3, day: 12))
            #expect(credit.totals.net > .zero)
            #expect(credit.notes.last?.subjectCode == "ACD")
            #expect(credit.notes.last?.text == "Avoir total de la facture \(original.number) du 31/01/2026. Motif : Doublons")
            for (invoiceAmount, creditAmount) in [
                (original.totals.net, credit.totals.net), (original.totals.vat, credit.totals.vat), (original.totals.gross, credit.totals.gross),
                (original.totals.payable, credit.totals.payable),
            ] {
                #expect(creditAmount >= .zero)
                #expect(invoiceAmount.cents * original.kind.sign + creditAmount.cents * credit.kind.sign == 0)
            }
        }
    }

    @Test func refusesToCreditACreditNote() throws {
        let variants = try InvoicingFixtures.everyEInvoiceVariant()
        let credit = try #require(variants.first { $0.document.kind == .creditNote }).document
        #expect(throws: CreditNoteError.cannotCreditACreditNote(credit.number)) {
            try CreditNotes.draft(crediting: credit, reason: "again", issueDate: Self.creditDate, existingCreditNote: nil)
        }
    }

    @Test func refusesToCreditTwice() throws {
        let variants = try InvoicingFixtures.everyEInvoiceVariant()
        let original = variants[0].document
        let existing = try #require(variants.first { $0.document.precedingInvoice == original.reference }).document.number
        #expect(throws: CreditNoteError.alreadyCredited(original.number, by: existing)) {
            try CreditNotes.draft(crediting: original, reason: "again", issueDate: Self.creditDate, existingCreditNote: existing)
        }
    }

    @Test func refusesAnEmptyReasonAndAnEarlierDate() throws {
        let original = try InvoicingFixtures.everyEInvoiceVariant()[0].document
        #expect(throws: CreditNoteError.missingReason) {
            try CreditNotes.draft(crediting: original, reason: " \n", issueDate: Self.creditDate, existingCreditNote: nil)
        }
        let early = CivilDate(year: 2026, month: 1, day: 1)!
        #expect(throws: CreditNoteError.issueDateBeforeOriginal(issueDate: early, original: original.reference)) {
            try CreditNotes.draft(crediting: original, reason: "x", issueDate: early, existingCreditNote: nil)
        }
        #expect(CreditNoteError.cannotCreditACreditNote(original.number).description.contains("cannot be credited"))
    }
}
