package import Foundation
package import TrocCore

/// What both record stores check and build when they number invoices, credit them and record settlement payments.
extension StoreRules {
    /// Refuses a settlement statement drawn up for another deal than the one being invoiced.
    package static func checkSettlement(_ settlement: SettlementStatement, dealID: String) throws(StoreError) {
        guard settlement.dealID == dealID else {
            throw .invalidField(
                field: "settlement.dealID", value: settlement.dealID, reason: "the settlement statement is for another deal than \(dealID)")
        }
    }

    /// The seller and buyer organisations of draft `index` of deal `dealID`'s invoices, checked to be an invoice (not a
    /// credit note) of that deal between its parties; the seller is nil when the broker sells (commission).
    package static func invoiceParties(of draft: InvoiceDraft, index: Int, dealID: String, parties: [OrganisationRecord]) throws(StoreError)
        -> (sellerID: String?, buyerID: String)
    {
        guard draft.content.kind == .invoice, draft.content.precedingInvoice == nil else {
            throw .invalidInvoiceDraft(index: index, reason: "it is a credit note; issue credit notes with issueCreditNote")
        }
        guard draft.content.dealID == dealID else {
            throw .invalidInvoiceDraft(index: index, reason: "it bills deal \(draft.content.dealID), not \(dealID)")
        }
        let buyerID = try organisationID(of: draft.content.buyer, among: parties, index: index)
        switch draft.content.purpose {
        case .commission: return (nil, buyerID)
        case .exchange: return (try organisationID(of: draft.content.seller, among: parties, index: index), buyerID)
        }
    }

    /// Refuses an exchange invoice issued in a seller's name unless under `inForce`, the seller's mandate in force now,
    /// and citing it.
    package static func requireCitedMandate(_ inForce: BillingMandateRecord?, of draft: InvoiceDraft, dealID: String) throws(StoreError) {
        guard let inForce, inForce.id == draft.content.billingMandate?.reference else {
            throw .billingMandateMissing(dealID: dealID, firms: [draft.content.seller.name])
        }
    }

    /// The last invoice of series `prefix` as its stored row holds it, checked to be the series of the issuer drafting
    /// the next one (draft `index`).
    package static func lastOfSeries(
        _ prefix: String, issuerID: String, year: Int, sequence: Int, issueDate: CivilDate, drafting series: InvoiceSeries, index: Int
    ) throws(StoreError) -> InvoiceReference {
        guard issuerID == series.issuerID else {
            throw .invalidInvoiceDraft(index: index, reason: "series \(prefix) belongs to issuer \(issuerID), not \(series.issuerID)")
        }
        do throws(InvoiceNumberError) {
            return InvoiceReference(number: try InvoiceNumber(prefix: prefix, year: year, sequence: sequence), issueDate: issueDate)
        } catch {
            throw .invoiceNumbering(error)
        }
    }

    /// `draft` issued under the number that follows `last` in its series (the first of the year when nil).
    package static func numbered(_ draft: InvoiceDraft, after last: InvoiceReference?) throws(StoreError) -> InvoiceDocument {
        do throws(InvoiceNumberError) {
            return try draft.issued(as: draft.series.nextNumber(after: last, issueDate: draft.content.issueDate))
        } catch {
            throw .invoiceNumbering(error)
        }
    }

    /// The full credit note of `original`, refused when it is a credit note, already credited (`existing`), unexplained
    /// or dated before it.
    package static func creditNote(crediting original: InvoiceRecord, reason: String, issueDate: CivilDate, existing: InvoiceRecord?)
        throws(StoreError) -> InvoiceDraft
    {
        do throws(CreditNoteError) {
            return try CreditNotes.draft(
                crediting: original.document, reason: reason, issueDate: issueDate, existingCreditNote: existing?.document.number)
        } catch {
            throw .creditNoteRefused(error)
        }
    }

    /// A payment the broker received or paid out for `deal`, checked against its settlement `statement` and the payments
    /// already `recorded`; the counterparty is the party the statement says pays or is paid.
    package static func settlementPayment(
        of deal: DealRecord, statement: SettlementStatement, recorded: [SettlementPayment], direction: SettlementPaymentDirection, amount: Money,
        date: CivilDate, reference: String, actor: AuditActor, now: Date
    ) throws(StoreError) -> SettlementPaymentRecord {
        let counterpartyID = statement.counterparty(of: direction).map { $0 == .a ? deal.proposerID : deal.partnerID } ?? ""
        let payment = SettlementPayment(
            dealID: deal.id, direction: direction, counterparty: "", counterpartyID: counterpartyID, amount: amount, date: date,
            reference: reference.trimmingCharacters(in: .whitespacesAndNewlines))
        do throws(SettlementPaymentError) {
            try statement.checkPayment(payment, recorded: recorded)
        } catch {
            throw .settlementPaymentRefused(error)
        }
        return SettlementPaymentRecord(
            id: RecordID.make(RecordID.payment), dealID: deal.id, direction: direction, counterpartyID: counterpartyID, amountCents: amount.cents,
            paidOn: date, reference: payment.reference, recordedAt: Timestamp.stored(now), recordedByUserID: actor.userID)
    }

    /// A recorded payment as the FEC and the statement read it: with its counterparty's name and the identifier of its
    /// third-party account.
    package static func settlementPayment(_ record: SettlementPaymentRecord, counterparty organisation: OrganisationRecord) -> SettlementPayment {
        SettlementPayment(
            dealID: record.dealID, direction: record.direction, counterparty: organisation.name,
            counterpartyID: organisation.siren ?? organisation.vatNumber ?? organisation.name, amount: Money(cents: record.amountCents),
            date: record.paidOn, reference: record.reference)
    }

    /// `value` as JSON text with sorted keys, as JSON columns hold it.
    package static func sortedJSON(_ value: some Encodable) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw .database("\(type(of: value)) could not be written as JSON: \(error)")
        }
    }

    /// The deal party an invoice names: matched by SIREN, else by VAT number, as TrocCore built the party from it.
    private static func organisationID(of party: InvoiceParty, among organisations: [OrganisationRecord], index: Int) throws(StoreError) -> String {
        let match = organisations.first { organisation in
            if let siren = party.siren { return organisation.siren == siren }
            guard let vatNumber = party.vatNumber, let registered = organisation.vatNumber else { return false }
            return (try? VATNumber(registered)) == vatNumber
        }
        guard let match else {
            throw .invalidInvoiceDraft(index: index, reason: "\(party.name) is neither party of the deal (compared by SIREN, then VAT number)")
        }
        return match.id
    }
}
