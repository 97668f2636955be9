import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOFoundationCompat
import TrocCore
import TrocStore

/// Invoices, credit notes, settlements and the FEC. Accountants and operators read everything;
/// partners read the invoices they are a party to; only operators issue credit notes.
struct InvoiceController {
    let broker: Broker
    var service: DealService { DealService(broker: broker) }

    func addRoutes(to router: RouterGroup<TrocRequestContext>) {
        router.get("invoices", use: list)
        router.get("invoices/:number", use: show)
        router.post("invoices/:number/credit-notes", use: credit)
        router.get("ledger/fec", use: fec)
        router.get("deals/:dealId/settlement", use: settlement)
    }

    @Sendable func list(_ request: Request, context: TrocRequestContext) async throws -> [InvoiceSummary] {
        let caller = try context.caller(in: .accountant, .operator, .partner)
        let query = request.uri.queryParameters
        let from = try Self.date(query.get("from"), name: "from") ?? CivilDate(year: 2000, month: 1, day: 1)!
        let to = try Self.date(query.get("to"), name: "to") ?? broker.today()
        guard from <= to else { throw RequestError.invalidParameter("to", "the period ends before it starts") }
        let records = try await broker.store.invoices(from: from, to: to, organisationID: caller.role == .partner ? caller.organisationID : nil)
        return records.map(InvoiceSummary.init)
    }

    @Sendable func show(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let record = try await visibleInvoice(context)
        guard let format = InvoiceFormat(rawValue: request.uri.queryParameters.get("format") ?? "json") else {
            throw RequestError.invalidParameter("format", "json, ubl, cii, csv, html or pdf")
        }
        let rendered = try format.render(record, logger: context.logger)
        var headers = HTTPFields()
        headers[.contentType] = rendered.contentType
        headers[.contentDisposition] = "attachment; filename=\"\(rendered.fileName)\""
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: rendered.bytes)))
    }

    @Sendable func credit(_ request: Request, context: TrocRequestContext) async throws -> EditedResponse<InvoiceSummary> {
        let caller = try context.caller(in: .operator)
        let number = try context.parameters.require("number")
        let reason = try await request.decode(as: NewCreditNote.self, context: context).reason.trimmed
        guard !reason.isEmpty else { throw RequestError.invalidField("reason", "say why the invoice is credited") }
        let note = try await broker.store.issueCreditNote(
            crediting: number, reason: reason, issueDate: broker.today(), actor: service.actor(caller), now: broker.clock())
        context.logger.info("credit note issued", metadata: ["invoice": .string(number), "creditNote": .string(note.number)])
        return EditedResponse(status: .created, response: InvoiceSummary(note))
    }

    @Sendable func fec(_ request: Request, context: TrocRequestContext) async throws -> Response {
        _ = try context.caller(in: .accountant, .operator)
        guard let text = request.uri.queryParameters.get("year") else { throw RequestError.missingParameter("year") }
        guard let year = Int(text), (2000...2999).contains(year) else { throw RequestError.invalidParameter("year", "a year such as 2026") }
        // The financial year that ends in `year`, under the setting in force (it cannot move once a year has invoices).
        let period = try await broker.store.settings().financialYear.period(endingIn: year)
        let documents = try await broker.store.invoices(from: period.lowerBound, to: period.upperBound, organisationID: nil).map(\.document)
        let payments = try await broker.store.settlementPayments(from: period.lowerBound, to: period.upperBound)
        guard let brokerOrganisation = try await broker.store.brokerOrganisation(), let siren = brokerOrganisation.siren else {
            throw AccessError.notFound("broker organisation")
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/tab-separated-values; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(FECExport.fileName(siren: siren, closingDate: period.upperBound))\""
        let fec = FECExport.render(documents, payments: payments, period: period)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: fec)))
    }

    @Sendable func settlement(_ request: Request, context: TrocRequestContext) async throws -> SettlementStatement {
        let caller = try context.caller(in: .accountant, .operator, .partner)
        let dealID = try context.parameters.require("dealId")
        if caller.role == .partner { _ = try await service.visibleDeal(dealID, for: caller) }
        guard let statement = try await broker.store.settlement(dealID: dealID) else { throw AccessError.notFound("settlement") }
        return statement
    }

    /// The invoice in the path if the caller may read it.
    private func visibleInvoice(_ context: TrocRequestContext) async throws -> InvoiceRecord {
        let caller = try context.caller(in: .accountant, .operator, .partner)
        let number = try context.parameters.require("number")
        guard let record = try await broker.store.invoice(number: number),
            caller.role != .partner || record.buyerID == caller.organisationID || record.sellerID == caller.organisationID
        else { throw AccessError.notFound("invoice") }
        return record
    }

    private static func date(_ text: String?, name: String) throws -> CivilDate? {
        guard let text else { return nil }
        guard let date = CivilDate(iso8601: text) else { throw RequestError.invalidParameter(name, "a date as yyyy-mm-dd") }
        return date
    }
}

extension InvoiceSummary {
    /// The listed form of a stored invoice.
    init(_ record: InvoiceRecord) {
        let document = record.document
        self.init(
            number: record.number, kind: record.kind == .invoice ? "invoice" : "credit-note", purpose: record.purpose.rawValue, dealId: record.dealID,
            issueDate: record.issueDate, seller: document.seller.name, buyer: document.buyer.name, netCents: record.netCents,
            vatCents: record.vatCents,
            grossCents: record.grossCents, credits: record.creditsNumber)
    }
}
