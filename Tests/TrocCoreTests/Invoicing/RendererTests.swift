import Foundation
import Testing
import TrocCore

/// UBL, CII, HTML, CSV and JSON renderings: content, escaping, refusals.
@Suite struct RendererTests {
    typealias Fixtures = InvoicingFixtures

    static func variant(_ name: String) throws -> InvoiceDocument {
        try #require(try Fixtures.everyEInvoiceVariant().first { $0.name == name }).document
    }

    @Test func ublInvoiceCarriesTheFrenchMentions() throws {
        let xml = try UBLRenderer.render(try Self.variant("exchange-fr-fr"))
        for expected in [
            "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"",
            "<cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>", "<cbc:ProfileID>S1</cbc:ProfileID>",
            "<cbc:ID>TRM5521005542026-000001</cbc:ID>", "<cbc:IssueDate>2026-01-31</cbc:IssueDate>", "<cbc:DueDate>2026-03-02</cbc:DueDate>",
            "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>",
            "<cbc:Note>#REG#Facture émise par Courtier Fichiers SAS au nom et pour le compte de Géothermie &amp; Fils &quot;L&apos;Énergie&quot; SAS, "
                + "en vertu du mandat de facturation mdt_abcdefghijklmnop accepté le 05/01/2026",
            "<cbc:Note>#PMT#Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €</cbc:Note>",
            "<cbc:Note>#PMD#Pénalités de retard : 3 fois le taux d&apos;intérêt légal</cbc:Note>", "<cbc:Note>#BAR#B2B</cbc:Note>",
            "<cbc:EndpointID schemeID=\"0225\">552100554</cbc:EndpointID>", "<cbc:EndpointID schemeID=\"0225\">732829320</cbc:EndpointID>",
            "<cbc:CompanyID schemeID=\"0002\">552100554</cbc:CompanyID>", "<cbc:CompanyID schemeID=\"0002\">732829320</cbc:CompanyID>",
            "<cbc:CompanyID>FR96552100554</cbc:CompanyID>",
            "<cbc:InvoicedQuantity unitCode=\"C62\">1234</cbc:InvoicedQuantity>", "<cbc:PriceAmount currencyID=\"EUR\">25.00</cbc:PriceAmount>",
            "<cbc:BaseQuantity unitCode=\"C62\">1000</cbc:BaseQuantity>",
            "<cbc:LineExtensionAmount currencyID=\"EUR\">30.85</cbc:LineExtensionAmount>",
            "<cbc:TaxAmount currencyID=\"EUR\">6.17</cbc:TaxAmount>", "<cbc:PayableAmount currencyID=\"EUR\">37.02</cbc:PayableAmount>",
            "<cbc:ID>FR1420041010050500013M02606</cbc:ID>", "<cbc:ID>PSSTFRPPXXX</cbc:ID>",
            "<cbc:ActualDeliveryDate>2026-01-30</cbc:ActualDeliveryDate>",
        ] {
            #expect(xml.contains(expected), "missing \(expected)")
        }
        #expect(!xml.contains("& Fils"))
        // Paid straight to the seller: no separate payee.
        #expect(!xml.contains("<cac:PayeeParty>"))
    }

    @Test func ublCreditNoteReferencesTheInvoice() throws {
        let xml = try UBLRenderer.render(try Self.variant("credit-note-of-commission-de-reverse-charge"))
        #expect(xml.contains("<CreditNote xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2\""))
        #expect(xml.contains("<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>"))
        #expect(xml.contains("<cac:InvoiceDocumentReference>\n      <cbc:ID>TR2026-000001</cbc:ID>\n      <cbc:IssueDate>2026-01-31</cbc:IssueDate>"))
        #expect(xml.contains("<cbc:PaymentDueDate>2026-03-12</cbc:PaymentDueDate>"))
        #expect(xml.contains("<cac:CreditNoteLine>") && xml.contains("<cbc:CreditedQuantity unitCode=\"C62\">1</cbc:CreditedQuantity>"))
        #expect(xml.contains("<cbc:TaxExemptionReasonCode>VATEX-EU-AE</cbc:TaxExemptionReasonCode>"))
        #expect(xml.contains("<cbc:EndpointID schemeID=\"9930\">DE136695976</cbc:EndpointID>"))
        #expect(xml.contains("<cbc:Note>#BAR#B2BINT</cbc:Note>"))
        #expect(!xml.contains("<cbc:DueDate>"))
    }

    @Test func ciiCarriesTheSameContent() throws {
        let xml = try CIIRenderer.render(try Self.variant("credit-note-of-exchange-fr-fr"))
        for expected in [
            "<ram:ID>S1</ram:ID>", "<ram:ID>urn:cen.eu:en16931:2017</ram:ID>", "<ram:TypeCode>381</ram:TypeCode>",
            "<udt:DateTimeString format=\"102\">20260210</udt:DateTimeString>", "<ram:SubjectCode>PMT</ram:SubjectCode>",
            "<ram:SubjectCode>REG</ram:SubjectCode>", "<ram:URIID schemeID=\"0225\">552100554</ram:URIID>",
            "<ram:ID schemeID=\"0002\">732829320</ram:ID>", "<ram:ID schemeID=\"VA\">FR44732829320</ram:ID>",
            "<ram:BasisQuantity unitCode=\"C62\">1000</ram:BasisQuantity>", "<ram:IssuerAssignedID>TRM5521005542026-000001</ram:IssuerAssignedID>",
            "<qdt:DateTimeString format=\"102\">20260131</qdt:DateTimeString>", "<ram:GrandTotalAmount>37.02</ram:GrandTotalAmount>",
            "<ram:IBANID>FR1420041010050500013M02606</ram:IBANID>", "mandat de facturation mdt_abcdefghijklmnop",
        ] {
            #expect(xml.contains(expected), "missing \(expected)")
        }
    }

    @Test func xmlEscapesTextAndDropsForbiddenCharacters() throws {
        var deal = Fixtures.deal(toA: 10, toB: 0)
        deal.figures.dealID = "D<1>&'\"\u{1}\u{FFFF}"
        let document = try Fixtures.issue(try #require(try Fixtures.invoices(deal).exchangeToA))
        for xml in [try UBLRenderer.render(document), try CIIRenderer.render(document)] {
            #expect(xml.contains("D&lt;1&gt;&amp;&apos;&quot;<"))
            #expect(!xml.unicodeScalars.contains { $0.value == 1 || $0.value == 0xFFFF })
            #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"))
        }
    }

    @Test func eInvoicesAreRefusedForASellerWithoutSIREN() throws {
        let document = try Fixtures.issue(
            try #require(try Fixtures.invoices(Fixtures.deal(Fixtures.windows, Fixtures.german, toA: 10, toB: 0)).exchangeToA))
        let error = EInvoiceError.sellerWithoutSIREN(document.number, seller: "Fenster Müller GmbH")
        #expect(throws: error) { try UBLRenderer.render(document) }
        #expect(throws: error) { try CIIRenderer.render(document) }
        #expect(error.description.contains("BR-FR-10") && error.description.contains("HTML"))
        #expect(HTMLRenderer.render(document).contains("Fenster Müller GmbH"))
    }

    @Test func htmlPrintsEveryMandatoryMention() throws {
        let html = HTMLRenderer.render(try Self.variant("exchange-fr-de-reverse-charge"))
        for expected in [
            "<html lang=\"fr\">", "<meta charset=\"utf-8\">", "@page { size: A4;", "Facture n° TRM7328293202026-000001",
            "Date d'émission : 31/01/2026",
            "Date de la prestation : 30/01/2026", "Date d'échéance : 02/03/2026", "Catégorie d'opération : Prestation de services",
            "Facture émise par Courtier Fichiers SAS au nom et pour le compte de Menuiserie Durand SARL", "Menuiserie Durand SARL",
            "2 avenue des Artisans", "SIREN : 732829320", "N° TVA intracommunautaire : FR44732829320", "Fenster Müller GmbH",
            "Immatriculation : HRB 12345 B", "N° TVA intracommunautaire : DE136695976", "4\u{202F}321", "25,00\u{00A0}€ les 1\u{202F}000",
            "Autoliquidation", "article 196 de la directive 2006/112/CE", "108,03\u{00A0}€", "Net à payer",
            "Pénalités de retard : 3 fois le taux d&#39;intérêt légal.",
            "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €.",
            "Pas d&#39;escompte pour paiement anticipé.", "IBAN : FR76 3000 4000 0312 3456 7890 143", "Virement à : Menuiserie Durand SARL",
            "mandat de facturation mdt_aaaaaaaaaaaaaaaa accepté le 05/01/2026",
        ] {
            #expect(html.contains(expected), "missing \(expected)")
        }
    }

    @Test func htmlEscapesEveryText() throws {
        var hostile = Fixtures.windows
        hostile.name = "<script>alert('x')</script> & Co"
        let document = try Fixtures.issue(try #require(try Fixtures.invoices(Fixtures.deal(hostile, Fixtures.heating, toA: 0, toB: 10)).exchangeToB))
        let html = HTMLRenderer.render(document)
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co"))
        let credit = try Self.variant("credit-note-of-commission-fr")
        let creditHTML = HTMLRenderer.render(credit)
        #expect(creditHTML.contains("Avoir n° TR2026-000002"))
        #expect(creditHTML.contains("Avoir total de la facture n° TR2026-000001 du 31/01/2026. Motif : Adresses livrées en double"))
        #expect(creditHTML.contains("TVA au taux normal") && creditHTML.contains("20 %"))
        #expect(!creditHTML.contains("IBAN") && creditHTML.contains("Montant de l&#39;avoir"))
    }

    @Test func csvHasTheDocumentedHeaderAndOneRowPerLine() throws {
        let documents = try Fixtures.everyEInvoiceVariant().map(\.document)
        let csv = CSVRenderer.render(documents)
        #expect(csv.hasSuffix("\r\n"))
        let rows = csv.components(separatedBy: "\r\n").dropLast()
        #expect(rows.first == CSVRenderer.header.joined(separator: ";"))
        #expect(CSVRenderer.header.count == 31)
        #expect(rows.count == 1 + documents.count)
        let commission = try #require(
            rows.first { $0.hasPrefix("TR2026-000001;380;invoice;commission;2026-01-31;2026-03-02;2026-01-30;D-2026-0007;") })
        #expect(commission.contains(";Courtier Fichiers SAS;303265045;FR40303265045;Menuiserie Durand SARL;732829320;FR44732829320;;1;"))
        #expect(commission.hasSuffix(";1;C62;1;1.54;1.54;S;20;1.54;0.31;1.85;1.85;EUR;;"))
        let credit = try #require(rows.first { $0.hasPrefix("TRM5521005542026-000002;381;creditNote;exchange;") })
        #expect(credit.contains(";\"Géothermie & Fils \"\"L'Énergie\"\" SAS\";552100554;"))
        #expect(credit.hasSuffix(";EUR;TRM5521005542026-000001;2026-01-31"))
        #expect(credit.contains(";Courtier Fichiers SAS;1;"))
    }

    static let csvFieldCases: [(text: String, field: String)] = [
        ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""), ("a;b", "\"a;b\""), ("two\r\nlines", "\"two\r\nlines\""), ("plain", "plain"),
        ("-5 rue", "'-5 rue"), ("@cmd", "'@cmd"),
    ]

    /// The deal ID column shows how free text is encoded.
    @Test(arguments: csvFieldCases)
    func csvQuotesAndDefusesFormulas(text: String, field: String) throws {
        var deal = Fixtures.deal(toA: 10_000, toB: 0)
        deal.figures.dealID = text
        let csv = CSVRenderer.render([try Fixtures.issue(try #require(try Fixtures.invoices(deal).commissionToA))])
        let row = csv.components(separatedBy: "\r\n").dropFirst().joined(separator: "\r\n")
        #expect(row.hasPrefix("TR2026-000001;380;invoice;commission;2026-01-31;2026-03-02;2026-01-30;" + field + ";Courtier Fichiers SAS;"))
    }

    @Test func jsonCarriesCentsAndDecimals() throws {
        let credit = try Self.variant("credit-note-of-exchange-fr-fr")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(JSONRenderer.render(credit).utf8)) as? [String: Any])
        #expect(object["number"] as? String == "TRM5521005542026-000002")
        #expect(object["typeCode"] as? String == "381")
        #expect(object["kind"] as? String == "creditNote")
        #expect(object["issueDate"] as? String == "2026-02-10")
        let totals = try #require(object["totals"] as? [String: [String: Any]])
        #expect(totals["payable"]?["cents"] as? Int == 3702)
        #expect(totals["payable"]?["decimal"] as? String == "37.02")
        let lines = try #require(object["lines"] as? [[String: Any]])
        #expect((lines.first?["unitPrice"] as? [String: Any])?["decimal"] as? String == "25.00")
        #expect(lines.first?["baseQuantity"] as? Int == 1000)
        let preceding = try #require(object["precedingInvoice"] as? [String: Any])
        #expect(preceding["number"] as? String == "TRM5521005542026-000001")
        #expect(preceding["issueDate"] as? String == "2026-01-31")
        #expect((object["issuedUnderMandateBy"] as? [String: Any])?["issuerSIREN"] as? String == "303265045")
        #expect((object["issuedUnderMandateBy"] as? [String: Any])?["reference"] as? String == "mdt_abcdefghijklmnop")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(JSONRenderer.render([credit, credit]).utf8)) as? [Any])
        #expect(list.count == 2)
        #expect(JSONRenderer.render(credit) == JSONRenderer.render(credit))
    }
}
