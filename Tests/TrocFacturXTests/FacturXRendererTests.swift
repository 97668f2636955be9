import Foundation
import Testing
import TrocCore
import TrocFacturX
import TrocTestSupport

/// Factur-X PDFs checked by independent tools: the `factur-x` package finds the EN 16931 XML, which is the CII
/// renderer's and passes the official rules; poppler sees every font embedded and renders every page; qpdf finds
/// the structure sound; the extracted text is the text written, accents, €, guillemets and no-break spaces included.
@Suite struct FacturXRendererTests {
    @Test func everyEInvoiceIsAFacturXCarryingTheCIIRenderersXML() throws {
        let files = try PDFFiles()
        defer { files.remove() }
        var expected: [String: (name: String, xml: String)] = [:]
        for (name, document) in try FacturXFixtures.eInvoices() {
            let path = try files.write(try FacturXRenderer.render(document), as: name + ".pdf")
            expected[path] = (name, try CIIRenderer.render(document))
        }
        let inspections = try PDFInspection.inspect(Array(expected.keys).sorted())
        var extracted: [String] = []
        for (path, (name, xml)) in expected {
            let inspection = try #require(inspections[path])
            #expect(inspection.extractionError == nil, "\(name): \(inspection.extractionError ?? "")")
            #expect(inspection.attachmentName == "factur-x.xml", "\(name)")
            #expect(inspection.xml == xml, "\(name): the embedded XML is not the CII renderer's")
            #expect(inspection.flavor == "factur-x" && inspection.level == "en16931", "\(name)")
            #expect(inspection.relationship == "/Data" && inspection.mimeType == "/text/xml", "\(name)")
            #expect(inspection.size == xml.utf8.count && inspection.modificationDate?.hasPrefix("D:2026") == true, "\(name)")
            #expect(inspection.header == "%PDF-1.7" && !inspection.encrypted && inspection.hasIdentifier && inspection.language == "fr-FR")
            #expect(inspection.outputIntent == ["/GTS_PDFA1", "sRGB IEC61966-2.1", "3"], "\(name)")
            for property in [
                "<pdfaid:part>3</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>", "<fx:DocumentType>INVOICE</fx:DocumentType>",
                "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>", "<fx:Version>1.0</fx:Version>",
                "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>", "<pdfaSchema:prefix>fx</pdfaSchema:prefix>",
                "<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>",
            ] {
                #expect(inspection.xmp.contains(property), "\(name): XMP lacks \(property)")
            }
            if let xml = inspection.xml {
                let file = files.directory.appendingPathComponent(name + "-extracted.xml")
                try Data(xml.utf8).write(to: file)
                extracted.append(file.path)
            }
        }
        let (status, output) = try EInvoiceChecker.check(extracted.sorted())
        #expect(status == 0 && EInvoiceChecker.passes(output).count == expected.count, "\(output)")
    }

    @Test func popplerFindsEveryFontEmbeddedSubsetAndMappedToUnicode() throws {
        let files = try PDFFiles()
        defer { files.remove() }
        for (name, document) in try FacturXFixtures.eInvoices().prefix(2) + [("many-lines", try FacturXFixtures.manyLines(60))] {
            let path = try files.write(try FacturXRenderer.render(document), as: name + ".pdf")
            let run = try ExternalTool.run("pdffonts", [path])
            #expect(run.status == 0, "\(run.error)")
            let fonts = run.text.split(separator: "\n").dropFirst(2)
            #expect(fonts.count == 2, "\(name): regular and bold\n\(run.text)")
            for font in fonts {
                let columns = font.split(separator: " ", omittingEmptySubsequences: true)
                // name, "CID TrueType", encoding, emb, sub, uni, object, generation.
                #expect(columns.count == 9 && columns[1] == "CID" && columns[2] == "TrueType", "\(font)")
                #expect(Array(columns[4...6]) == ["yes", "yes", "yes"], "\(name): \(font)")
            }
        }
    }

    @Test func popplerRendersEveryPageAndQPDFFindsNoStructuralError() throws {
        let files = try PDFFiles()
        defer { files.remove() }
        let documents = try FacturXFixtures.eInvoices() + [("german-seller", try FacturXFixtures.germanSellerInvoice())]
        for (name, document) in documents + [("many-lines", try FacturXFixtures.manyLines(60))] {
            let path = try files.write(try FacturXRenderer.render(document), as: name + ".pdf")
            let render = try ExternalTool.run("pdftoppm", ["-r", "30", "-png", path, files.directory.appendingPathComponent(name).path])
            #expect(render.status == 0 && render.error.isEmpty, "\(name): \(render.error)")
            #expect(FileManager.default.fileExists(atPath: files.directory.appendingPathComponent(name + "-1.png").path), "\(name)")
            let check = try ExternalTool.run("qpdf", ["--check", path])
            #expect(check.status == 0 && check.text.contains("No syntax or stream encoding errors found"), "\(name): \(check.text) \(check.error)")
        }
    }

    @Test func textCopiesOutAsWrittenWithAccentsEuroGuillemetsAndNoBreakSpaces() throws {
        let files = try PDFFiles()
        defer { files.remove() }
        let document = try FacturXFixtures.eInvoices()[0].document
        let path = try files.write(try FacturXRenderer.render(document), as: "exchange.pdf")
        let text = try #require(try PDFInspection.inspect([path])[path]).pages.joined(separator: "\n")
        let seller = document.seller.name
        #expect(seller == "Géothermie « L'Énergie » SAS")
        for expected in [
            seller, "au nom et pour le compte de \(seller),", "mdt_abcdefghijklmnop", document.totals.payable.frenchString,
            document.totals.net.frenchString, "1\u{202F}234\u{202F}567", "25,00\u{00A0}€", "20\u{00A0}%", "SIREN : 552 100 554",
            "N° TVA intracommunautaire : FR96552100554", "FR14 2004 1010 0505 0001 3M02 606",
        ] {
            #expect(text.contains(expected), "missing \(expected.debugDescription) in:\n\(text)")
        }
    }

    @Test func popplerTextHoldsEveryMandatoryMention() throws {
        let files = try PDFFiles()
        defer { files.remove() }
        let document = try FacturXFixtures.eInvoices()[0].document
        let path = try files.write(try FacturXRenderer.render(document), as: "exchange.pdf")
        let run = try ExternalTool.run("pdftotext", ["-layout", path, "-"])
        #expect(run.status == 0, "\(run.error)")
        // Poppler writes every kind of space as a plain one.
        let text = run.text.replacingOccurrences(of: "\u{00A0}", with: " ").replacingOccurrences(of: "\u{202F}", with: " ")
        for mention in [
            "FACTURE", "N° \(document.number.text)", "Date d'émission", "31/01/2026", "Date de la prestation", "30/01/2026", "Date d'échéance",
            "02/03/2026", "Catégorie d'opération", "Prestation de services", "VENDEUR", "CLIENT", "Menuiserie Durand SARL", "SIREN : 732 829 320",
            "au nom et pour le compte de", "Désignation", "Quantité", "Prix unitaire HT", "Montant HT", "Taux normal 20 %", "Base HT",
            "Total HT", "Total TVA", "Total TTC", "Net à payer", "IBAN", "BIC", "PSSTFRPPXXX", "Titulaire", "Courtier Fichiers SAS",
            "facturation mdt_abcdefghijklmnop accepté le 05/01/2026",
            "Pénalités de retard : 3 fois le taux d'intérêt légal",
            "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €", "Pas d'escompte pour paiement anticipé",
        ] {
            #expect(text.contains(mention), "missing \(mention.debugDescription) in:\n\(text)")
        }
        #expect(!text.contains("Page 1 /"), "a single page carries no page number")
    }

    @Test func creditNoteIsAnAvoirNamingTheInvoiceItCancelsWithoutAnAccountToPayInto() throws {
        let files = try PDFFiles()
        defer { files.remove() }
        let (_, note) = try #require(try FacturXFixtures.eInvoices().first { $0.name == "credit-note-of-exchange-fr-fr" })
        let path = try files.write(try FacturXRenderer.render(note), as: "credit.pdf")
        let text = try #require(try PDFInspection.inspect([path])[path]).pages.joined(separator: "\n")
        #expect(text.contains("AVOIR") && text.contains("Montant de l'avoir"))
        #expect(text.contains("Avoir total de la facture \(note.precedingInvoice!.number.text) du 31/01/2026. Motif : Adresses livrées en double."))
        #expect(!text.contains("IBAN") && !text.contains("Date d'échéance"), "a credit note is owed to the buyer")
    }

    @Test func reverseChargeInvoiceSaysTheBuyerOwesTheVAT() throws {
        let files = try PDFFiles()
        defer { files.remove() }
        let (_, invoice) = try #require(try FacturXFixtures.eInvoices().first { $0.name == "exchange-fr-de" })
        let path = try files.write(try FacturXRenderer.render(invoice), as: "reverse.pdf")
        let text = try #require(try PDFInspection.inspect([path])[path]).pages.joined(separator: "\n")
        #expect(
            text.contains("Autoliquidation - article 196 de la") && text.contains("directive 2006/112/CE"), "the exemption reason in the VAT table")
        #expect(text.contains("Autoliquidation : la TVA est due par le preneur"))
        #expect(text.contains("Allemagne") && text.contains("Immatriculation : HRB 12345 B") && text.contains("DE136695976"))
    }

    @Test func franchiseAndOverseasInvoicesPrintTheirVATMentions() throws {
        let files = try PDFFiles()
        defer { files.remove() }
        let documents = try FacturXFixtures.eInvoices()
        func text(_ name: String) throws -> String {
            let document = try #require(documents.first { $0.name == name }).document
            let path = try files.write(try FacturXRenderer.render(document), as: name + ".pdf")
            return try #require(try PDFInspection.inspect([path])[path]).pages.joined(separator: "\n")
        }
        let franchise = try text("exchange-franchise-seller")
        #expect(franchise.contains("TVA non applicable, art. 293 B du CGI"), "\(franchise)")
        #expect(franchise.contains("Exonérée") && franchise.contains("Atelier Leroy EI"))
        #expect(!franchise.contains("FR83404833048"), "no VAT number is made up for a franchise seller")
        let guyane = try text("exchange-reunion-to-guyane")
        #expect(guyane.contains("TVA non applicable, art. 294-1 du CGI") && guyane.contains("Non applicable"), "\(guyane)")
        let reunion = try text("commission-reunion")
        #expect(reunion.contains("8,5\u{00A0}%") && reunion.contains("97400 Saint-Denis") && reunion.contains("La Réunion, France"), "\(reunion)")
    }

    @Test func sellerOutsideFrenchEInvoicingGetsThePDFWithoutXML() throws {
        let files = try PDFFiles()
        defer { files.remove() }
        let invoice = try FacturXFixtures.germanSellerInvoice()
        #expect(throws: EInvoiceError.self) { try CIIRenderer.render(invoice) }
        let path = try files.write(try FacturXRenderer.render(invoice), as: "german.pdf")
        let inspection = try #require(try PDFInspection.inspect([path])[path])
        #expect(inspection.attachmentName == nil && inspection.relationship == nil)
        #expect(inspection.xmp.contains("<pdfaid:part>3</pdfaid:part>") && !inspection.xmp.contains("fx:"))
        #expect(inspection.pages.joined().contains("Fenster Müller GmbH"))
    }

    @Test func manyLinesFlowOntoNumberedPagesWithTheTableHeaderRepeated() throws {
        let files = try PDFFiles()
        defer { files.remove() }
        let document = try FacturXFixtures.manyLines(70)
        let path = try files.write(try FacturXRenderer.render(document), as: "long.pdf")
        let pages = try #require(try PDFInspection.inspect([path])[path]).pages
        #expect(pages.count >= 3, "70 two-line rows need several pages")
        for (index, page) in pages.enumerated() {
            #expect(page.contains("Page \(index + 1) / \(pages.count)"), "page \(index + 1)")
            #expect(!page.contains("Lot ") || page.contains("Désignation"), "page \(index + 1) repeats the table header")
            #expect(index == 0 || page.contains("FACTURE N° \(document.number.text) (suite)"), "page \(index + 1)")
        }
        let all = pages.joined(separator: "\n")
        for number in 1...70 {
            #expect(all.ranges(of: "Lot \(number) :").count == 1, "line \(number) printed once")
        }
        #expect(pages.last!.contains("Net à payer") && pages.last!.contains(document.totals.payable.frenchString))
        #expect(!pages.first!.contains("Net à payer"), "the totals follow the last line")
    }

    @Test func theSameDocumentGivesTheSameBytesDatedByItsIssueDate() throws {
        let documents = try FacturXFixtures.eInvoices()
        let first = try FacturXRenderer.render(documents[0].document)
        #expect(try FacturXRenderer.render(documents[0].document) == first)
        #expect(try FacturXRenderer.render(documents[2].document) != first)
        let text = String(decoding: first, as: UTF8.self)
        #expect(text.contains("<xmp:CreateDate>2026-01-31T00:00:00Z</xmp:CreateDate>"))
        #expect(first.count < 60_000, "a one-page invoice with two font subsets stays small: \(first.count) bytes")
    }
}
