import Foundation
import Testing
import TrocCore

/// Documents to render, computed by the core as the broker issues them: a French broker, French and German partners.
enum FacturXFixtures {
    static let releaseDate = CivilDate(year: 2026, month: 1, day: 30)!
    static let issueDate = CivilDate(year: 2026, month: 1, day: 31)!
    static let creditDate = CivilDate(year: 2026, month: 2, day: 10)!

    static func settings() throws -> BrokerInvoicingSettings {
        try BrokerInvoicingSettings(
            legalName: "Courtier Fichiers SAS",
            address: PostalAddress(street: "1 rue de la Paix", postcode: "75002", city: "Paris", countryCode: "FR"),
            siren: "303265045", vatNumber: "FR40303265045", iban: "FR76 3000 6000 0112 3456 7890 189", bic: "AGRIFRPP", commissionBasisPoints: 500,
            paymentTermsDays: 30, latePenalty: .legalInterestMultiple(3), seriesPrefix: "TR")
    }

    static let joinery = DealPartner(
        name: "Menuiserie Durand SARL", address: PostalAddress(street: "2 avenue des Artisans", postcode: "69001", city: "Lyon", countryCode: "FR"),
        siren: "732829320", vatNumber: nil)

    /// A name with guillemets and accents, which must copy out of the PDF as typed.
    static let heating = DealPartner(
        name: "Géothermie « L'Énergie » SAS",
        address: PostalAddress(street: "12 chemin des Sources", postcode: "33000", city: "Bordeaux", countryCode: "FR"), siren: "552100554",
        vatNumber: "FR 96 552 100 554")

    static let german = DealPartner(
        name: "Fenster Müller GmbH", address: PostalAddress(street: "Hauptstraße 5", postcode: "10115", city: "Berlin", countryCode: "DE"),
        siren: nil, foreignRegistrationID: "HRB 12345 B", vatNumber: "DE136695976")

    static func invoices(_ a: DealPartner, _ b: DealPartner, toA: Int, toB: Int) throws -> DealInvoices {
        let deal = DealFigures(
            dealID: "D-2026-0007", releaseDate: releaseDate, pricePer1000: Money(cents: 2500), partnerA: a, partnerB: b, addressesToA: toA,
            addressesToB: toB)
        return try DealInvoicing.invoices(for: deal, settings: settings(), issueDate: issueDate)
    }

    static func issue(_ draft: InvoiceDraft, after last: InvoiceReference? = nil) throws -> InvoiceDocument {
        try draft.issued(as: draft.series.nextNumber(after: last, issueDate: draft.content.issueDate))
    }

    static func credit(_ original: InvoiceDocument) throws -> InvoiceDocument {
        let draft = try CreditNotes.draft(crediting: original, reason: "Adresses livrées en double", issueDate: creditDate, existingCreditNote: nil)
        return try issue(draft, after: original.reference)
    }

    /// Every document the French e-invoicing rules accept: exchange FR→FR and FR→DE, commissions, and their credit notes.
    static func eInvoices() throws -> [(name: String, document: InvoiceDocument)] {
        let domestic = try invoices(joinery, heating, toA: 1_234_567, toB: 987)
        let crossBorder = try invoices(joinery, german, toA: 0, toB: 4321)
        var documents: [(name: String, document: InvoiceDocument)] = [
            ("exchange-fr-fr", try issue(try #require(domestic.exchangeToA))),
            ("exchange-fr-de", try issue(try #require(crossBorder.exchangeToB))),
            ("commission-fr", try issue(try #require(domestic.commissionToA))),
            ("commission-de", try issue(try #require(crossBorder.commissionToB))),
        ]
        for (name, original) in documents { documents.append(("credit-note-of-" + name, try credit(original))) }
        return documents
    }

    /// The exchange invoice of a German seller: valid, but outside the French CII profile (no SIREN).
    static func germanSellerInvoice() throws -> InvoiceDocument {
        try issue(try #require(try invoices(joinery, german, toA: 2500, toB: 0).exchangeToA))
    }

    /// A domestic exchange invoice of `count` lines, its VAT and totals recomputed, to make the layout paginate.
    static func manyLines(_ count: Int) throws -> InvoiceDocument {
        var draft = try #require(try invoices(joinery, heating, toA: 1000, toB: 0).exchangeToA)
        let template = try #require(draft.content.lines.first)
        draft.content.lines = (1...count).map { number in
            var line = template
            line.number = number
            line.description = "Lot \(number) : adresses de prospection du secteur menuiserie et fermetures, région Auvergne-Rhône-Alpes"
            line.quantity = Int64(1000 + number)
            line.net = line.unitPrice.scaled(by: line.quantity, dividedBy: line.baseQuantity)
            return line
        }
        let net = draft.content.lines.reduce(Money.zero) { $0 + $1.net }
        let vat = net.scaled(by: 2000, dividedBy: 10_000)
        draft.content.vatBreakdown[0].taxableAmount = net
        draft.content.vatBreakdown[0].taxAmount = vat
        draft.content.totals.net = net
        draft.content.totals.vat = vat
        draft.content.totals.gross = net + vat
        draft.content.totals.payable = net + vat
        return try issue(draft)
    }
}
