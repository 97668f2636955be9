import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import NIOFoundationCompat
import Testing
import TrocCore
import TrocServer
import TrocStore

/// Invoices, credit notes, settlements and the FEC over the API, after a real release.
@Suite struct InvoiceAPITests {
    @Test func eachInvoiceComesInEveryFormatAsANamedAttachment() async throws {
        let broker = try TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let parties = try await DealParties.register(client, broker)
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
                .get, "/v1/invoices/\(number)?format=pdf", token: accountant, status: 400, code: "request.invalid-parameter")
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
        let broker = try TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let parties = try await DealParties.register(client, broker)
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
        let broker = try TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let parties = try await DealParties.register(client, broker)
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
        let broker = try TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let parties = try await DealParties.register(client, broker)
            let deal = try await parties.acceptedDeal(client, broker)
            let accountant = try await Self.accountant(client, broker)
            _ = try await client.problem(.get, "/v1/deals/\(deal.id)/settlement", token: accountant, status: 404, code: "not-found")
            #expect(try await client.decoded([InvoiceSummary].self, .get, "/v1/invoices", token: accountant).isEmpty)
        }
    }

    /// A crash between the release and the invoices: the next maintenance pass issues them, once.
    @Test func maintenanceIssuesTheInvoicesOfADealReleasedButNotInvoiced() async throws {
        let broker = try TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let parties = try await DealParties.register(client, broker)
            let deal = try await parties.acceptedDeal(client, broker)
            _ = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/approve", token: broker.operatorToken, json: "{}")
            // The release's transaction commits, then the process dies before issuing the invoices.
            let store = broker.broker
            let drafts = try [(parties.joinery.id, 22), (parties.heating.id, 22)].map { recipient, rows in
                let writer = try store.blobs.makeWriter(masterKey: store.masterKey)
                try writer.append(Data("email\n".utf8))
                return DeliveryDraft(recipientID: recipient, blob: try writer.finish(), rowCount: rows)
            }
            _ = try store.database.release(dealID: deal.id, deliveries: drafts, actor: .system, now: broker.clock.now)
            #expect(try await client.decoded(Deal.self, .get, "/v1/deals/\(deal.id)", token: broker.operatorToken).state == .released)

            let maintenance = MaintenanceService(broker: store, logger: Logger(label: "test"))
            maintenance.runOnce()
            maintenance.runOnce()
            #expect(try await client.decoded(Deal.self, .get, "/v1/deals/\(deal.id)", token: broker.operatorToken).state == .invoiced)
            let invoices = try await client.decoded([InvoiceSummary].self, .get, "/v1/invoices", token: broker.operatorToken)
            #expect(invoices.count == 4 && Set(invoices.map(\.number)).count == 4)
            let issued = try await client.decoded([AuditEntryView].self, .get, "/v1/audit?limit=1000", token: broker.operatorToken)
                .filter { $0.action == "invoice.issue" }
            #expect(issued.count == 1 && issued.first?.actorRole == nil, "issued once, by the broker's services")
        }
    }

    /// An accountant's token.
    static func accountant(_ client: any TestClientProtocol, _ broker: TestBroker) async throws -> String {
        try await client.decoded(
            CreatedUser.self, .post, "/v1/users", token: broker.operatorToken, json: #"{"name": "Agnès Comptable", "role": "accountant"}"#
        ).token.token
    }
}
