import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import NIOFoundationCompat
import Testing
import TrocCore
import TrocCrypto
import TrocServer
import TrocStore
import TrocTestSupport

/// Invoices, credit notes, settlements and the FEC over the API, after a real release.
@Suite struct InvoiceAPITests {
    @Test func eachInvoiceComesInEveryFormatAsANamedAttachment() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let deal = try await parties.releasedDeal(client, broker)
            let accountant = try await Self.accountant(client, broker)
            let invoices = try await client.decoded([InvoiceSummary].self, .get, "/v1/invoices", token: accountant)
            #expect(invoices.count == 4 && invoices.allSatisfy { $0.dealId == deal.id && $0.kind == "invoice" })
            #expect(invoices.filter { $0.purpose == "commission" }.count == 2 && invoices.filter { $0.purpose == "exchange" }.count == 2)
            // 22 addresses each way at 25 € per 1,000: 0,55 € net each way, and each firm's 5 % commission on it.
            for invoice in invoices { #expect(invoice.grossCents == invoice.netCents + invoice.vatCents && invoice.netCents > 0) }
            let number = try #require(invoices.first { $0.purpose == "commission" }?.number)

            for (format, contentType, suffix) in [
                ("json", "application/json; charset=utf-8", ".json"), ("ubl", "application/xml; charset=utf-8", "-ubl.xml"),
                ("cii", "application/xml; charset=utf-8", "-cii.xml"), ("csv", "text/csv; charset=utf-8", ".csv"),
                ("html", "text/html; charset=utf-8", ".html"),
            ] {
                let response = try await client.call(.get, "/v1/invoices/\(number)?format=\(format)", token: accountant)
                #expect(response.status == .ok, "\(format)")
                #expect(response.headers[.contentType] == contentType)
                #expect(response.headers[.contentDisposition] == "attachment; filename=\"\(number)\(suffix)\"")
                #expect(String(buffer: response.body).contains(number), "\(format) names the invoice")
            }
            let ubl = String(buffer: try await client.call(.get, "/v1/invoices/\(number)?format=ubl", token: accountant).body)
            #expect(ubl.contains("<Invoice") && ubl.contains("urn:cen.eu:en16931:2017"))
            _ = try await client.problem(
                .get, "/v1/invoices/\(number)?format=xlsx", token: accountant, status: 400, code: "request.invalid-parameter")
            _ = try await client.problem(.get, "/v1/invoices/TR2026-999999", token: accountant, status: 404, code: "not-found")

            // Partners see the invoices they are party to: both exchange invoices and their own commission.
            let joineryInvoices = try await client.decoded([InvoiceSummary].self, .get, "/v1/invoices", token: parties.joineryToken)
            #expect(joineryInvoices.count == 3)
            let heatingCommission = try #require(
                invoices.first { $0.purpose == "commission" && !joineryInvoices.map(\.number).contains($0.number) })
            _ = try await client.problem(
                .get, "/v1/invoices/\(heatingCommission.number)", token: parties.joineryToken, status: 404, code: "not-found")

            // The settlement statement nets what each owes.
            let settlement = try await client.call(.get, "/v1/deals/\(deal.id)/settlement", token: accountant)
            #expect(settlement.status == .ok && String(buffer: settlement.body).contains(deal.id))
        }
    }

    @Test func creditNotesAreIssuedOnceByOperatorsWithAReason() async throws {
        try await TestBroker.withParties { client, broker, parties in
            _ = try await parties.releasedDeal(client, broker)
            let accountant = try await Self.accountant(client, broker)
            let invoice = try #require(
                try await client.decoded([InvoiceSummary].self, .get, "/v1/invoices", token: accountant).first { $0.purpose == "exchange" })
            let uri = "/v1/invoices/\(invoice.number)/credit-notes"
            _ = try await client.problem(.post, uri, token: accountant, json: #"{"reason": "error"}"#, status: 403, code: "auth.forbidden-role")
            _ = try await client.problem(
                .post, uri, token: parties.joineryToken, json: #"{"reason": "error"}"#, status: 403, code: "auth.forbidden-role")
            _ = try await client.problem(
                .post, uri, token: broker.operatorToken, json: #"{"reason": "   "}"#, status: 400, code: "request.invalid-field")
            _ = try await client.problem(
                .post, "/v1/invoices/TR2026-999999/credit-notes", token: broker.operatorToken, json: #"{"reason": "x"}"#, status: 404,
                code: "not-found")

            let created = try await client.call(.post, uri, token: broker.operatorToken, json: #"{"reason": "wrong price agreed"}"#)
            #expect(created.status == .created)
            let note = try ServerTestJSON.decoder.decode(InvoiceSummary.self, from: Data(buffer: created.body))
            #expect(note.kind == "credit-note" && note.credits == invoice.number && note.netCents == invoice.netCents)
            #expect(note.number != invoice.number && note.number.hasPrefix(String(invoice.number.prefix(while: { !$0.isNumber }))))
            _ = try await client.problem(
                .post, uri, token: broker.operatorToken, json: #"{"reason": "again"}"#, status: 409, code: "invoice.credit-refused")
            _ = try await client.problem(
                .post, "/v1/invoices/\(note.number)/credit-notes", token: broker.operatorToken, json: #"{"reason": "x"}"#, status: 409,
                code: "invoice.credit-refused")
            #expect(try await client.decoded([InvoiceSummary].self, .get, "/v1/invoices", token: accountant).count == 5)
            let audited = try await client.decoded([AuditEntryView].self, .get, "/v1/audit?limit=1000", token: broker.operatorToken)
                .filter { $0.action == "invoice.credit" }
            #expect(audited.count == 1 && audited.first?.reason == "wrong price agreed")
        }
    }

    @Test func theFECIsTheYearsBalancedLedgerAndPeriodsFilterInvoices() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let deal = try await parties.releasedDeal(client, broker)
            let accountant = try await Self.accountant(client, broker)
            _ = try await client.problem(.get, "/v1/ledger/fec", token: accountant, status: 400, code: "request.missing-parameter")
            _ = try await client.problem(.get, "/v1/ledger/fec?year=26", token: accountant, status: 400, code: "request.invalid-parameter")
            _ = try await client.problem(.get, "/v1/ledger/fec?year=2026", token: parties.joineryToken, status: 403, code: "auth.forbidden-role")

            let response = try await client.call(.get, "/v1/ledger/fec?year=2026", token: accountant)
            #expect(response.status == .ok)
            #expect(response.headers[.contentDisposition] == "attachment; filename=\"303265045FEC20261231.txt\"")
            let lines = String(buffer: response.body).split(whereSeparator: \.isNewline).map {
                $0.split(separator: "\t", omittingEmptySubsequences: false)
            }
            #expect(lines.first?.count == 18 && lines.first?.first == "JournalCode")
            let entries = lines.dropFirst()
            #expect(!entries.isEmpty && entries.allSatisfy { $0.count == 18 })
            let cents = { (text: Substring) -> Int64 in Int64(text.replacingOccurrences(of: ",", with: "")) ?? -1 }
            #expect(entries.reduce(0) { $0 + cents($1[11]) } == entries.reduce(0) { $0 + cents($1[12]) }, "debits equal credits")
            // A year without invoices is the header alone.
            let empty = String(buffer: try await client.call(.get, "/v1/ledger/fec?year=2025", token: accountant).body)
            #expect(empty.split(whereSeparator: \.isNewline).count == 1)

            #expect(try await client.decoded([InvoiceSummary].self, .get, "/v1/invoices?from=2026-11-18&to=2026-11-18", token: accountant).count == 4)
            #expect(try await client.decoded([InvoiceSummary].self, .get, "/v1/invoices?from=2026-11-19&to=2026-12-31", token: accountant).isEmpty)
            _ = try await client.problem(
                .get, "/v1/invoices?from=2026-12-01&to=2026-11-01", token: accountant, status: 400, code: "request.invalid-parameter")
            _ = try await client.problem(.get, "/v1/invoices?from=18/11/2026", token: accountant, status: 400, code: "request.invalid-parameter")
            #expect(try await client.call(.get, "/v1/deals/\(deal.id)/settlement", token: parties.joineryToken).status == .ok)
        }
    }

    @Test func settlementsAndInvoicesWaitForTheRelease() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let deal = try await parties.acceptedDeal(client, broker)
            let accountant = try await Self.accountant(client, broker)
            _ = try await client.problem(.get, "/v1/deals/\(deal.id)/settlement", token: accountant, status: 404, code: "not-found")
            #expect(try await client.decoded([InvoiceSummary].self, .get, "/v1/invoices", token: accountant).isEmpty)
        }
    }

    /// A crash between the release and the invoices: the next maintenance pass issues them, once.
    @Test func maintenanceIssuesTheInvoicesOfADealReleasedButNotInvoiced() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let deal = try await parties.acceptedDeal(client, broker)
            _ = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/approve", token: broker.operatorToken, json: "{}")
            // The release's transaction commits, then the process dies before issuing the invoices.
            let store = broker.broker
            let drafts = try [(parties.joinery.id, 22), (parties.heating.id, 22)].map { recipient, rows in
                let writer = try store.blobs.makeWriter(masterKey: store.masterKey)
                try writer.append(Data("email\n".utf8))
                return DeliveryDraft(recipientID: recipient, blob: try writer.finish(), rowCount: rows)
            }
            _ = try await store.store.release(dealID: deal.id, deliveries: drafts, actor: .system, now: broker.clock.now)
            #expect(try await client.decoded(Deal.self, .get, "/v1/deals/\(deal.id)", token: broker.operatorToken).state == .released)

            let maintenance = MaintenanceService(broker: store, logger: Logger(label: "test"))
            await maintenance.runOnce()
            await maintenance.runOnce()
            #expect(try await client.decoded(Deal.self, .get, "/v1/deals/\(deal.id)", token: broker.operatorToken).state == .invoiced)
            let invoices = try await client.decoded([InvoiceSummary].self, .get, "/v1/invoices", token: broker.operatorToken)
            #expect(invoices.count == 4 && Set(invoices.map(\.number)).count == 4)
            let issued = try await client.decoded([AuditEntryView].self, .get, "/v1/audit?limit=1000", token: broker.operatorToken)
                .filter { $0.action == "invoice.issue" }
            #expect(issued.count == 1 && issued.first?.actorRole == nil, "issued once, by the broker's services")
        }
    }

    /// A heating firm in Germany: its VAT number is checked at registration, and it is invoiced under
    /// reverse charge; every e-invoice of the deal passes the EN 16931 and French rules.
    @Test func anEUPartnerIsInvoicedUnderReverseCharge() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let german = """
                {"name": "Wärmetechnik Müller GmbH", "vatNumber": "DE136695976", "nafCode": "43.22B",
                 "address": {"street": "Friedrichstraße 12", "postcode": "10117", "city": "Berlin", "countryCode": "DE"},
                 "vatStatus": "registered", "bankAccount": {"iban": "DE89 3704 0044 0532 0130 00", "bic": "COBADEFFXXX"}}
                """
            let invalid = try ServerTestJSON.problem(
                try await client.call(
                    .post, "/v1/organisations", token: broker.operatorToken, json: german.replacingOccurrences(of: "DE136695976", with: "DE136695977")
                ))
            #expect(invalid.status == 422 && invalid.code == "organisation.invalid" && invalid.errors?.map(\.field) == ["vatNumber"])
            let missing = try ServerTestJSON.problem(
                try await client.call(
                    .post, "/v1/organisations", token: broker.operatorToken,
                    json: german.replacingOccurrences(of: #""vatNumber": "DE136695976","#, with: "")))
            #expect(missing.errors?.map(\.field) == ["vatNumber"])

            let (joinery, joineryToken) = try await registerPartner(client, broker, organisation: Partners.joinery, userName: "Jeanne")
            let (heating, heatingToken) = try await registerPartner(client, broker, organisation: german, userName: "Jonas")
            let parties = DealParties(
                joinery: joinery, joineryToken: joineryToken, joineryKey: .generate(), heating: heating, heatingToken: heatingToken,
                heatingKey: .generate())
            try await parties.acceptMandates(client)
            _ = try await parties.releasedDeal(client, broker)
            let invoices = try await client.decoded([InvoiceSummary].self, .get, "/v1/invoices", token: broker.operatorToken)
            #expect(invoices.count == 4)
            let toGermany = invoices.filter { $0.buyer == "Wärmetechnik Müller GmbH" }
            #expect(toGermany.count == 2 && toGermany.allSatisfy { $0.vatCents == 0 && $0.grossCents == $0.netCents }, "\(toGermany)")
            let toFrance = invoices.filter { $0.buyer == "Menuiseries Durand SARL" && $0.seller == "Troc Dev Broker" }
            #expect(toFrance.count == 1 && toFrance.allSatisfy { $0.vatCents == (($0.netCents * 20 + 50) / 100) })

            let directory = broker.directory.appendingPathComponent("einvoices")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var files: [String] = []
            // The German firm's own sale to the joinery (issued under mandate) is outside French e-invoicing: no SIREN
            // (BR-FR-10). It is refused as UBL or CII with the reason, and comes as PDF, HTML, JSON or CSV.
            let germanSale = try #require(invoices.first { $0.seller == "Wärmetechnik Müller GmbH" })
            #expect(germanSale.vatCents == 0, "the French buyer self-assesses the VAT")
            for format in ["ubl", "cii"] {
                let refused = try await client.problem(
                    .get, "/v1/invoices/\(germanSale.number)?format=\(format)", token: broker.operatorToken, status: 422,
                    code: "invoice.format-unavailable")
                #expect(refused.detail.contains("BR-FR-10") && refused.detail.contains("HTML"))
            }
            #expect(try await client.call(.get, "/v1/invoices/\(germanSale.number)?format=html", token: broker.operatorToken).status == .ok)
            let germanPDF = try await client.call(.get, "/v1/invoices/\(germanSale.number)?format=pdf", token: broker.operatorToken)
            #expect(germanPDF.status == .ok && germanPDF.headers[.contentType] == "application/pdf", "the PDF/A page, without the XML")
            for invoice in invoices where invoice != germanSale {
                for format in ["ubl", "cii"] {
                    let body = String(
                        buffer: try await client.call(.get, "/v1/invoices/\(invoice.number)?format=\(format)", token: broker.operatorToken).body)
                    if toGermany.contains(invoice) { #expect(body.contains("AE") && body.contains("Autoliquidation"), "\(invoice.number) \(format)") }
                    let file = directory.appendingPathComponent("\(invoice.number)-\(format).xml")
                    try Data(body.utf8).write(to: file)
                    files.append(file.path)
                }
            }
            let (status, output) = try EInvoiceChecker.check(files)
            #expect(files.count == 6 && status == 0 && EInvoiceChecker.passes(output).count == files.count, "\(output)")
        }
    }

    /// An accountant's token.
    static func accountant(_ client: any TestClientProtocol, _ broker: TestBroker) async throws -> String {
        try await client.decoded(
            CreatedUser.self, .post, "/v1/users", token: broker.operatorToken, json: #"{"name": "Agnès Comptable", "role": "accountant"}"#
        ).token.token
    }
}
