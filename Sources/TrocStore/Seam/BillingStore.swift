package import Foundation
package import TrocCore

/// Invoicing: invoices and credit notes, settlement statements and payments, the terms frozen at acceptance, the firms'
/// billing mandates, VAT status and bank account.
///
/// Every requirement is one transaction; invoice numbers are gapless within their series because they are taken in the
/// transaction that records the invoice; every write is audited in that same transaction.
package protocol BillingStore: Sendable {
    /// Numbers and stores every draft of a released deal, stores its settlement statement and moves the deal
    /// `released` → `invoiced`, all in one transaction: any failure rolls everything back, so no number is consumed.
    /// An exchange invoice is issued only under the seller's billing mandate in force, the one it cites.
    ///
    /// Drafts are numbered in the order given (`DealInvoices.drafts`), each from its series' row, read and advanced in
    /// this transaction; the schema also refuses a gap, a duplicate or a date before the series' last invoice.
    func issueInvoices(dealID: String, drafts: [InvoiceDraft], settlement: SettlementStatement, actor: AuditActor, now: Date) async throws(StoreError)
        -> [InvoiceRecord]

    /// Issues the full credit note of invoice `number`, numbered next in that invoice's series, in one transaction;
    /// refuses an unknown number, a credit note, an invoice already credited, a missing reason and an earlier date.
    func issueCreditNote(crediting number: String, reason: String, issueDate: CivilDate, actor: AuditActor, now: Date) async throws(StoreError)
        -> InvoiceRecord

    /// The invoice or credit note numbered `number`, or nil.
    func invoice(number: String) async throws(StoreError) -> InvoiceRecord?

    /// Invoices and credit notes issued from `from` to `to` inclusive, optionally those an organisation sells or buys, by
    /// date then number.
    func invoices(from: CivilDate, to: CivilDate, organisationID: String?) async throws(StoreError) -> [InvoiceRecord]

    /// The settlement statement of an invoiced deal, or nil.
    func settlement(dealID: String) async throws(StoreError) -> SettlementStatement?

    /// The terms a deal was agreed on, or nil before both firms accepted.
    func dealTerms(dealID: String) async throws(StoreError) -> DealTerms?

    /// The terms to invoice a released deal on: those frozen when both firms accepted, or, for a deal released before
    /// terms were recorded, frozen now from the registrations in force.
    func termsForInvoicing(dealID: String, now: Date) async throws(StoreError) -> DealTerms

    /// Records money the broker received from the debtor firm or paid out to the creditor firm of a deal whose settlement
    /// it collects, as on its bank statement; checked against the statement and the payments already recorded, audited.
    func recordSettlementPayment(
        dealID: String, direction: SettlementPaymentDirection, amount: Money, date: CivilDate, reference: String, actor: AuditActor, now: Date
    ) async throws(StoreError) -> SettlementPaymentRecord

    /// The payments recorded for a deal, in the order they were made.
    func settlementPayments(dealID: String) async throws(StoreError) -> [SettlementPayment]

    /// The payments of every deal made from `from` to `to` inclusive, for the FEC.
    func settlementPayments(from: CivilDate, to: CivilDate) async throws(StoreError) -> [SettlementPayment]

    /// A firm's user accepts the billing mandate in its current wording (`BillingMandateWording.version`), with the
    /// delay it takes to contest an invoice; audited. Accepting again what is in force changes nothing; another delay
    /// needs the mandate withdrawn first, so that every invoice names the terms it was issued under.
    func acceptMandate(organisationID: String, wordingVersion: String, contestDays: Int, actor: AuditActor, now: Date) async throws(StoreError)
        -> BillingMandateRecord

    /// A firm's user withdraws its billing mandate: no invoice is issued in its name from then on, and its approved deals
    /// cannot be released until it accepts one again. Refused while one of its deals is released and being invoiced.
    func withdrawMandate(organisationID: String, reason: String?, actor: AuditActor, now: Date) async throws(StoreError) -> BillingMandateRecord

    /// Every mandate the firm gave, the latest first.
    func mandates(organisationID: String) async throws(StoreError) -> [BillingMandateRecord]

    /// The firm's mandate in force, or nil.
    func mandateInForce(organisationID: String) async throws(StoreError) -> BillingMandateRecord?

    /// Refuses, naming the firms, when a party of deal `dealID` has no billing mandate in force.
    func checkMandates(dealID: String) async throws(StoreError)

    /// The legal name and SIREN the mandate names the broker by: its invoicing identity, else its organisation.
    func brokerIdentity() async throws(StoreError) -> (name: String, siren: String)

    /// Records a firm's VAT status as an operator changed it, checked against the firm's address and SIREN, with the
    /// organisation's VAT number kept equal to it; audited with before and after. Issued invoices and the terms of deals
    /// already agreed keep the status they were made with.
    func setVATStatus(organisationID: String, regime: VATRegime, vatNumber: String?, reason: String?, actor: AuditActor, now: Date)
        async throws(StoreError) -> VATStatusRecord

    /// The firm's VAT status, or nil when none was recorded (firms registered before statuses were).
    func vatStatus(organisationID: String) async throws(StoreError) -> VATStatusRecord?

    /// Records the account a firm is paid into (its own user or an operator), audited with the accounts' ends only.
    func setBankAccount(organisationID: String, account: BankAccount, reason: String?, actor: AuditActor, now: Date) async throws(StoreError)
        -> BankAccountRecord

    /// The account the firm is paid into, or nil.
    func bankAccount(organisationID: String) async throws(StoreError) -> BankAccountRecord?
}
