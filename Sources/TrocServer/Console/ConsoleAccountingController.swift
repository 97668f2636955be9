import Foundation
import Hummingbird
import Logging
import NIOCore
import TrocCore
import TrocStore

/// The accountant's pages: invoices and credit notes by period, seller, buyer and purpose with their totals; each in
/// every format, a period's set as a ZIP; the settlement statements; the FEC. Operators see the same; a partner sees the
/// invoices it is a party to, as the API shows them.
struct ConsoleAccountingController {
    let console: ConsoleContext
    var broker: Broker { console.broker }

    /// Invoices on one page of the list.
    static let pageSize = 100
    /// Most documents one ZIP export holds (a year's 20,000 invoices is for the FEC, not for one download).
    static let maximumExport = 2_500

    func addRoutes(to router: RouterGroup<TrocRequestContext>) {
        router.get("invoices", use: list)
        router.get("invoices/export.zip", use: export)
        router.get("invoices/:number", use: download)
        router.get("settlements", use: settlements)
        router.get("ledger", use: ledger)
        router.get("ledger/fec", use: fec)
    }

    /// The filter of the request: a period (this month by default), a seller, a buyer, a purpose, a kind.
    private func filter(_ request: Request, caller: Identity) throws -> InvoiceFilter {
        let query = request.uri.queryParameters
        let today = broker.today()
        let parts = today.iso8601.split(separator: "-").compactMap { Int($0) }
        let monthStart = CivilDate(year: parts[0], month: parts[1], day: 1) ?? today
        func date(_ name: String) throws -> CivilDate? {
            guard let text = query.get(name), !text.isEmpty else { return nil }
            guard let value = CivilDate(iso8601: text) else { throw ConsoleError.invalidField(name) }
            return value
        }
        let from = try date("from") ?? monthStart
        let to = try date("to") ?? today
        guard from <= to else { throw ConsoleError.invalidField("to") }
        func organisation(_ name: String) -> String? {
            query.get(name).flatMap { RecordID.isValid($0, prefix: RecordID.organisation) ? $0 : nil }
        }
        let kind: InvoiceKind? =
            switch query.get("kind") {
            case "invoice": .invoice
            case "credit-note": .creditNote
            default: nil
            }
        return InvoiceFilter(
            from: from, to: to, sellerID: organisation("seller"), buyerID: organisation("buyer"),
            purpose: query.get("purpose").flatMap(InvoicePurpose.init(rawValue:)), kind: kind,
            partyID: caller.role == .partner ? caller.organisationID : nil)
    }

    @Sendable func list(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .accountant, .operator, .partner)
        let format = ConsoleFormat(language: console.language(request))
        let text = ConsoleText(format.language)
        let filter = try filter(request, caller: caller)
        let number = ConsoleContext.pageNumber(request)
        let (page, totals) = try await broker.store.invoicePage(filter, limit: Self.pageSize, offset: (number - 1) * Self.pageSize)
        let rows = page.items.map { record in
            [
                "number": record.number, "kind": text[record.kind == .invoice ? "invoice_kind_invoice" : "invoice_kind_credit"],
                "purpose": text["purpose_" + record.purpose.rawValue], "date": format.date(record.issueDate), "seller": record.seller,
                "buyer": record.buyer, "net": format.money(record.netCents), "vat": format.money(record.vatCents),
                "gross": format.money(record.grossCents), "deal": record.dealID, "credits": record.creditsNumber,
                "formats": InvoiceFormat.allCases.map {
                    ["label": $0.rawValue.uppercased(), "href": "/console/invoices/\(record.number)?format=\($0.rawValue)"]
                },
            ] as [String: Any?]
        }
        var organisations: [[String: Any?]] = []
        if caller.role != .partner {
            organisations = try await broker.store.organisations().map { ["id": $0.id, "name": $0.name] }
        }
        let query = request.uri.queryParameters
        func options(_ name: String) -> [[String: Any?]] {
            organisations.map { ["id": $0["id"] ?? nil, "name": $0["name"] ?? nil, "selected": query.get(name) == ($0["id"] as? String)] }
        }
        let exportQuery = FormFields(encoded: request.uri.query ?? "").pairs.filter { !["page", "done", "format"].contains($0.name) }
        return console.page(
            "invoices", request, context, titleKey: "invoices_title", section: caller.role == .partner ? "partnerInvoices" : "invoices",
            values: [
                "invoices": rows, "empty": rows.isEmpty, "from": filter.from.iso8601, "to": filter.to.iso8601,
                "sellers": options("seller"), "buyers": options("buyer"), "staff": caller.role != .partner,
                "purposes": [InvoicePurpose.exchange, .commission].map {
                    ["value": $0.rawValue, "label": text["purpose_" + $0.rawValue], "selected": filter.purpose == $0]
                },
                "kinds": [("invoice", "invoice_kind_invoice"), ("credit-note", "invoice_kind_credit")].map {
                    ["value": $0.0, "label": text[$0.1], "selected": query.get("kind") == $0.0]
                },
                "totals": [
                    "count": format.integer(totals.count), "net": format.money(totals.netCents), "vat": format.money(totals.vatCents),
                    "gross": format.money(totals.grossCents),
                ],
                "exportFormats": (["all"] + InvoiceFormat.allCases.map(\.rawValue)).map { ["value": $0, "label": text["export_" + $0]] },
                "exportHidden": exportQuery.map { ["name": $0.name, "value": $0.value] },
                "pager": ConsoleContext.pager(request, page: number, pageSize: Self.pageSize, total: page.total, text: text),
            ])
    }

    /// One invoice in one format, exactly as `GET /v1/invoices/{number}?format=` serves it.
    @Sendable func download(_ request: Request, context: TrocRequestContext) async throws -> Response {
        _ = try console.caller(context, in: .accountant, .operator, .partner)
        return try await InvoiceController(broker: broker).show(request, context: context)
    }

    /// The filtered invoices as a ZIP: one format, or all of them (a seller outside French e-invoicing has no UBL or CII:
    /// the archive says so in a note instead).
    @Sendable func export(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .accountant, .operator, .partner)
        let filter = try filter(request, caller: caller)
        let chosen = request.uri.queryParameters.get("format") ?? "all"
        let formats: [InvoiceFormat]
        if chosen == "all" {
            formats = InvoiceFormat.allCases
        } else if let one = InvoiceFormat(rawValue: chosen) {
            formats = [one]
        } else {
            throw ConsoleError.invalidField("format")
        }
        let records = try await broker.store.invoices(filter)
        guard records.count <= Self.maximumExport else {
            throw Problem(
                type: ProblemMapping.typeURI("invoice.export-too-large"), title: "Export too large", status: 422,
                detail: "\(records.count) documents in this period; export at most \(Self.maximumExport) at once (a shorter period, or one seller)",
                code: "invoice.export-too-large")
        }
        let logger = context.logger
        let bytes = try await EngineRunner.run {
            var archive = ZIPArchive()
            var unavailable: [String] = []
            for record in records {
                let parts = record.issueDate.iso8601.split(separator: "-").compactMap { Int($0) }
                for format in formats {
                    let rendered: RenderedInvoice
                    do {
                        rendered = try format.render(record, logger: logger)
                    } catch is EInvoiceError {
                        unavailable.append("\(record.number) \(format.rawValue.uppercased())")
                        continue
                    }
                    let folder = formats.count > 1 ? format.rawValue + "/" : ""
                    try archive.add(
                        name: folder + rendered.fileName, bytes: rendered.bytes, modified: (parts[0], parts[1], parts[2]), compress: format != .pdf)
                }
            }
            if !unavailable.isEmpty {
                let note =
                    "Pas de facture électronique UBL/CII pour un vendeur hors du système français (BR-FR-10) :\n"
                    + unavailable.joined(separator: "\n") + "\n"
                try archive.add(name: "LISEZMOI.txt", bytes: Array(note.utf8), modified: (2000, 1, 1), compress: true)
            }
            return archive.finish()
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/zip"
        headers[.contentDisposition] = "attachment; filename=\"factures-\(filter.from.iso8601)-\(filter.to.iso8601)-\(chosen).zip\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    @Sendable func settlements(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .accountant, .operator)
        let format = ConsoleFormat(language: console.language(request))
        let filter = try filter(request, caller: caller)
        let number = ConsoleContext.pageNumber(request)
        let page = try await broker.store.settlementPage(from: filter.from, to: filter.to, limit: Self.pageSize, offset: (number - 1) * Self.pageSize)
        let rows = page.items.map { entry in
            let statement = entry.statement
            let net = statement.aOwesB.cents - statement.bOwesA.cents
            return [
                "deal": entry.dealID, "href": caller.role == .operator ? "/console/deals/\(entry.dealID)" : nil, "date": format.date(statement.date),
                "a": statement.partnerA, "b": statement.partnerB, "aOwesB": format.money(statement.aOwesB.cents),
                "bOwesA": format.money(statement.bOwesA.cents),
                "net": net >= 0
                    ? ConsoleText(format.language).format("settlement_pays", statement.partnerA, statement.partnerB, format.money(net))
                    : ConsoleText(format.language).format("settlement_pays", statement.partnerB, statement.partnerA, format.money(-net)),
                "commissionA": format.money(statement.commissionDueFromA.cents), "commissionB": format.money(statement.commissionDueFromB.cents),
            ] as [String: Any?]
        }
        return console.page(
            "settlements", request, context, titleKey: "settlements_title", section: "settlements",
            values: [
                "settlements": rows, "empty": rows.isEmpty, "from": filter.from.iso8601, "to": filter.to.iso8601,
                "pager": ConsoleContext.pager(request, page: number, pageSize: Self.pageSize, total: page.total, text: ConsoleText(format.language)),
            ])
    }

    @Sendable func ledger(_ request: Request, context: TrocRequestContext) async throws -> Response {
        _ = try console.caller(context, in: .accountant, .operator)
        let year = Int(broker.today().iso8601.prefix(4)) ?? 2026
        return console.page(
            "ledger", request, context, titleKey: "ledger_title", section: "ledger",
            values: ["years": (max(2000, year - 9)...year).reversed().map { ["value": String($0), "selected": $0 == year] }])
    }

    /// The FEC of a year, exactly as `GET /v1/ledger/fec?year=` serves it.
    @Sendable func fec(_ request: Request, context: TrocRequestContext) async throws -> Response {
        _ = try console.caller(context, in: .accountant, .operator)
        return try await InvoiceController(broker: broker).fec(request, context: context)
    }
}
