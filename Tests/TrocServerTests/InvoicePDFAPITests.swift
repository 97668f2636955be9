import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Testing
import TrocCore
import TrocServer
import TrocTestSupport

/// `GET /v1/invoices/{number}?format=pdf`: a Factur-X PDF whose attached XML is what `?format=cii` returns.
@Suite struct InvoicePDFAPITests {
    @Test func everyInvoiceOfAReleaseComesAsAFacturXCarryingItsCII() async throws {
        try await TestBroker.withParties { client, broker, parties in
            _ = try await parties.releasedDeal(client, broker)
            let accountant = try await InvoiceAPITests.accountant(client, broker)
            let invoices = try await client.decoded([InvoiceSummary].self, .get, "/v1/invoices", token: accountant)
            #expect(invoices.count == 4)
            let directory = broker.directory.appendingPathComponent("facturx")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var expected: [String: String] = [:]
            for invoice in invoices {
                let response = try await client.call(.get, "/v1/invoices/\(invoice.number)?format=pdf", token: accountant)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/pdf")
                #expect(response.headers[.contentDisposition] == "attachment; filename=\"\(invoice.number).pdf\"")
                let pdf = Data(buffer: response.body)
                #expect(pdf.starts(with: Array("%PDF-1.7\n".utf8)))
                let again = try await client.call(.get, "/v1/invoices/\(invoice.number)?format=pdf", token: accountant)
                #expect(Data(buffer: again.body) == pdf, "the same invoice gives the same bytes")
                let file = directory.appendingPathComponent("\(invoice.number).pdf")
                try pdf.write(to: file)
                let cii = try await client.call(.get, "/v1/invoices/\(invoice.number)?format=cii", token: accountant)
                expected[file.path] = String(buffer: cii.body)
            }
            let script = """
                import json, sys, facturx
                print(json.dumps({path: facturx.get_facturx_xml_from_pdf(open(path, "rb").read())[1].decode("utf-8") for path in sys.argv[1:]}))
                """
            let run = try ExternalTool.run("python3", ["-c", script] + expected.keys.sorted())
            #expect(run.status == 0, "\(run.error)")
            let extracted = try JSONDecoder().decode([String: String].self, from: run.output)
            #expect(extracted == expected, "each PDF carries exactly the invoice's CII")
        }
    }

    @Test func aPartnerGetsOnlyThePDFsOfItsOwnInvoices() async throws {
        try await TestBroker.withParties { client, broker, parties in
            _ = try await parties.releasedDeal(client, broker)
            let all = try await client.decoded([InvoiceSummary].self, .get, "/v1/invoices", token: broker.operatorToken)
            let own = try await client.decoded([InvoiceSummary].self, .get, "/v1/invoices", token: parties.joineryToken)
            let other = try #require(all.first { invoice in !own.contains { $0.number == invoice.number } })
            _ = try await client.problem(.get, "/v1/invoices/\(other.number)?format=pdf", token: parties.joineryToken, status: 404, code: "not-found")
            let mine = try await client.call(.get, "/v1/invoices/\(own[0].number)?format=pdf", token: parties.joineryToken)
            #expect(mine.status == .ok && mine.headers[.contentType] == "application/pdf")
        }
    }
}
