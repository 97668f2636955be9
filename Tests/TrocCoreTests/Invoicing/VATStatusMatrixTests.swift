import Foundation
import Testing
import TrocCore
import TrocTestSupport

/// Every VAT status the broker can register, as seller and as buyer: the treatment each pair gets (or why it is
/// refused), and every e-invoice those pairs produce checked against the official rules in one run.
@Suite struct VATStatusMatrixTests {
    typealias Fixtures = InvoicingFixtures

    /// What a sale from the row's status to the column's gets: a category and rate, or a refusal.
    enum Expected: Equatable {
        case vat(VATCategory, Int)
        case refused
    }

    static let s20 = Expected.vat(.standard, 2000)
    static let s85 = Expected.vat(.standard, 850)
    static let e = Expected.vat(.exempt, 0)
    static let o = Expected.vat(.notSubject, 0)
    static let ae = Expected.vat(.reverseCharge, 0)

    /// Rows: seller; columns: buyer, in the order of `InvoicingFixtures.everyStatus` (metropolitan, franchise,
    /// franchise in Martinique, La Réunion, Guyane without VAT number, Mayotte with one, Germany).
    static let matrix: [[Expected]] = [
        [s20, s20, s85, s85, o, o, ae],
        [e, e, e, e, o, o, .refused],
        [e, e, e, e, o, o, .refused],
        [s20, s20, s85, s85, o, o, ae],
        [.refused, .refused, .refused, .refused, o, o, .refused],
        [s20, s20, s85, s85, o, o, ae],
        [ae, .refused, .refused, ae, o, o, .refused],
    ]

    /// The broker's commission to each status.
    static let commissions: [Expected] = [s20, s20, s85, s85, o, o, ae]

    /// The broker, as the seller of its commissions: VAT-registered in Paris.
    static let broker = try! FirmVATStatus(
        regime: .registered, vatNumber: "FR40303265045", address: InvoicingFixtures.brokerAddress, siren: "303265045")

    @Test func everySellerAndBuyerStatusGetsTheTreatmentTheLawGives() throws {
        let statuses = Fixtures.everyStatus
        for (row, seller) in statuses.enumerated() {
            for (column, buyer) in statuses.enumerated() {
                let label = "\(seller.name) → \(buyer.name)"
                let sale = { try VATRules.treatment(seller: (seller.name, seller.partner.vatStatus), buyer: (buyer.name, buyer.partner.vatStatus)) }
                switch Self.matrix[row][column] {
                case .refused:
                    #expect(throws: InvoicingError.self, "\(label)") { try sale() }
                case .vat(let category, let rate):
                    let treatment = try sale()
                    #expect(treatment.category == category && treatment.rateBasisPoints == rate, "\(label): \(treatment)")
                }
            }
        }
        for (index, buyer) in statuses.enumerated() {
            guard case .vat(let category, let rate) = Self.commissions[index] else { continue }
            let treatment = try VATRules.treatment(seller: ("broker", Self.broker), buyer: (buyer.name, buyer.partner.vatStatus))
            #expect(treatment.category == category && treatment.rateBasisPoints == rate, "commission → \(buyer.name): \(treatment)")
        }
    }

    /// The deal in which `seller` sells to `buyer`; a Guyane buyer without VAT number could not sell back (the terms of a
    /// swap cover both ways), so the same firm with a number stands in, which buys under the same treatment.
    static func sale(from seller: DealPartner, to buyer: DealPartner) throws -> DealInvoices {
        do {
            return try Fixtures.invoices(Fixtures.deal(buyer, seller, toA: 1234, toB: 0))
        } catch InvoicingError.sellerNotRegistered where buyer == Fixtures.guyane {
            return try Fixtures.invoices(Fixtures.deal(Fixtures.guyaneWithNumber, seller, toA: 1234, toB: 0))
        }
    }

    @Test func eachTreatmentCarriesItsMentionAndCode() throws {
        let franchise = try #require(try Fixtures.invoices(Fixtures.deal(Fixtures.windows, Fixtures.franchise, toA: 1000, toB: 0)).exchangeToA)
        #expect(franchise.content.vatBreakdown.map(\.treatment) == [.franchise])
        #expect(franchise.content.vatBreakdown[0].treatment.exemptionReason == "TVA non applicable, art. 293 B du CGI")
        #expect(franchise.content.vatBreakdown[0].treatment.exemptionReasonCode == "VATEX-FR-FRANCHISE")
        #expect(franchise.content.totals.vat == .zero && franchise.content.totals.gross == franchise.content.totals.net)
        // The franchise seller has no VAT number: the tax office knows it by its SIREN (BT-32).
        #expect(franchise.content.seller.vatNumber == nil && franchise.content.seller.taxRegistrationID == "404833048")
        let guyane = try #require(try Self.sale(from: Fixtures.windows, to: Fixtures.guyane).exchangeToA)
        #expect(guyane.content.vatBreakdown[0].treatment.exemptionReason == "TVA non applicable, art. 294-1 du CGI")
        #expect(guyane.content.vatBreakdown[0].treatment.exemptionReasonCode == "VATEX-EU-O")
        #expect(guyane.content.notes.last?.text == "B2BINT")
        let reunion = try #require(try Fixtures.invoices(Fixtures.deal(Fixtures.reunion, Fixtures.windows, toA: 1000, toB: 0)).exchangeToA)
        // 1,000 addresses at 25 € per 1,000: 25,00 € HT, 8.5 % VAT rounded half up to 2,13 €.
        #expect(reunion.content.totals.vat == Money(cents: 213))
        #expect(reunion.content.notes.last?.text == "B2B")
    }

    /// Every e-invoice the statuses produce, in UBL and CII, with a credit note of each, checked in one run.
    @Test func everyEInvoiceOfEveryStatusPairPassesTheOfficialRules() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troc-vat-matrix-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [String] = []
        let creditDate = CivilDate(year: 2026, month: 2, day: 10)!
        for seller in Fixtures.everyStatus where seller.partner.siren != nil {
            for buyer in Fixtures.everyStatus {
                guard let invoices = try? Self.sale(from: seller.partner, to: buyer.partner) else { continue }
                var documents: [(String, InvoiceDocument)] = []
                let exchange = try Fixtures.issue(try #require(invoices.exchangeToA))
                documents.append(("exchange-\(seller.name)-to-\(buyer.name)", exchange))
                let credit = try CreditNotes.draft(crediting: exchange, reason: "Adresses en double", issueDate: creditDate, existingCreditNote: nil)
                documents.append(("credit-\(seller.name)-to-\(buyer.name)", try Fixtures.issue(credit, after: exchange.reference)))
                if seller.name == "metropolitan" {
                    documents.append(("commission-to-\(buyer.name)", try Fixtures.issue(try #require(invoices.commissionToA))))
                }
                for (name, document) in documents {
                    for (syntax, xml) in [("ubl", try UBLRenderer.render(document)), ("cii", try CIIRenderer.render(document))] {
                        let file = directory.appendingPathComponent("\(name)-\(syntax).xml")
                        try Data(xml.utf8).write(to: file)
                        files.append(file.path)
                    }
                }
            }
        }
        // The sellers with a SIREN (all but the German one), each to the buyers it may sell to, as invoice and credit note,
        // plus a commission to each status; in 2 syntaxes.
        let supported = Self.matrix.prefix(6).joined().filter { $0 != .refused }.count
        #expect(supported == 35)
        #expect(files.count == 2 * (2 * supported + Self.commissions.count), "\(files.count) files")
        let (status, output) = try EInvoiceChecker.check(files)
        #expect(status == 0, "einvoice_check.py failed:\n\(output)")
        #expect(EInvoiceChecker.passes(output).count == files.count, "\(output)")
    }

    @Test func documentsNotSubjectToVATCarryNoVATIdentifierNorRate() throws {
        let document = try Fixtures.issue(
            try #require(try Fixtures.invoices(Fixtures.deal(Fixtures.mayotte, Fixtures.windows, toA: 1000, toB: 0)).exchangeToA))
        for xml in [try UBLRenderer.render(document), try CIIRenderer.render(document)] {
            #expect(!xml.contains("FR44732829320") && !xml.contains("FR31523456788"), "BR-O-02: no VAT identifier")
            #expect(!xml.contains("<cbc:Percent>") && !xml.contains("<ram:RateApplicablePercent>"), "BR-O-05: no rate")
            #expect(xml.contains("VATEX-EU-O"))
        }
        // People still read both VAT numbers on the page.
        #expect(HTMLRenderer.render(document).contains("FR44732829320"))
    }

    @Test func aFranchiseSellerIsNamedByItsSIRENAsTaxRegistration() throws {
        let document = try Fixtures.issue(
            try #require(try Fixtures.invoices(Fixtures.deal(Fixtures.windows, Fixtures.franchise, toA: 1000, toB: 0)).exchangeToA))
        let ubl = try UBLRenderer.render(document)
        #expect(ubl.contains("<cbc:CompanyID>404833048</cbc:CompanyID>") && ubl.contains("<cbc:ID>FC</cbc:ID>"))
        #expect(try CIIRenderer.render(document).contains(#"<ram:ID schemeID="FC">404833048</ram:ID>"#))
        let html = HTMLRenderer.render(document)
        #expect(html.contains("TVA non applicable, art. 293 B du CGI"))
        // Only the buyer's VAT number is printed: the seller has none, and none is made up from its SIREN.
        #expect(html.components(separatedBy: "N° TVA intracommunautaire").count == 2)
        #expect(!html.contains("FR83404833048"))
    }
}
