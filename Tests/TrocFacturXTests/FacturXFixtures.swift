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

    /// A registered firm from its parts, checked as registration checks it.
    static func firm(
        _ name: String, _ address: PostalAddress, siren: String?, registration: String? = nil, _ regime: VATRegime, vatNumber: String?,
        iban: String, bic: String
    ) throws -> DealPartner {
        DealPartner(
            name: name, address: address, siren: siren, foreignRegistrationID: registration,
            vatStatus: try FirmVATStatus(regime: regime, vatNumber: vatNumber, address: address, siren: siren),
            bankAccount: try BankAccount(iban: iban, bic: bic))
    }

    static func joinery() throws -> DealPartner {
        try firm(
            "Menuiserie Durand SARL", PostalAddress(street: "2 avenue des Artisans", postcode: "69001", city: "Lyon", countryCode: "FR"),
            siren: "732829320", .registered, vatNumber: "FR44732829320", iban: "FR76 3000 4000 0312 3456 7890 143", bic: "BNPAFRPP")
    }

    /// A name with guillemets and accents, which must copy out of the PDF as typed.
    static func heating() throws -> DealPartner {
        try firm(
            "Géothermie « L'Énergie » SAS", PostalAddress(street: "12 chemin des Sources", postcode: "33000", city: "Bordeaux", countryCode: "FR"),
            siren: "552100554", .registered, vatNumber: "FR 96 552 100 554", iban: "FR14 2004 1010 0505 0001 3M02 606", bic: "PSSTFRPPXXX")
    }

    static func german() throws -> DealPartner {
        try firm(
            "Fenster Müller GmbH", PostalAddress(street: "Hauptstraße 5", postcode: "10115", city: "Berlin", countryCode: "DE"), siren: nil,
            registration: "HRB 12345 B", .registered, vatNumber: "DE136695976", iban: "DE89 3704 0044 0532 0130 00", bic: "COBADEFFXXX")
    }

    /// A sole trader under the VAT franchise (CGI art. 293 B).
    static func franchise() throws -> DealPartner {
        try firm(
            "Atelier Leroy EI", PostalAddress(street: "3 quai Ceineray", postcode: "44000", city: "Nantes", countryCode: "FR"), siren: "404833048",
            .franchise, vatNumber: nil, iban: "FR76 3000 4000 0312 3456 7890 143", bic: "BNPAFRPP")
    }

    /// A VAT-registered firm in La Réunion (8.5 %).
    static func reunion() throws -> DealPartner {
        try firm(
            "Solaire Bourbon SAS", PostalAddress(street: "14 rue de Paris", postcode: "97400", city: "Saint-Denis", countryCode: "FR"),
            siren: "412345670", .overseas, vatNumber: "FR96412345670", iban: "FR14 2004 1010 0505 0001 3M02 606", bic: "PSSTFRPPXXX")
    }

    /// A firm in Guyane, where VAT does not apply, holding a VAT number for what it sells where VAT applies.
    static func guyane() throws -> DealPartner {
        try firm(
            "Menuiserie Amazonie SARL", PostalAddress(street: "8 avenue du Général de Gaulle", postcode: "97300", city: "Cayenne", countryCode: "FR"),
            siren: "321098766", .overseas, vatNumber: "FR77321098766", iban: "FR14 2004 1010 0505 0001 3M02 606", bic: "PSSTFRPPXXX")
    }

    static func invoices(_ a: DealPartner, _ b: DealPartner, toA: Int, toB: Int) throws -> DealInvoices {
        let terms = try DealTerms(
            pricePer1000: Money(cents: 2500), policy: .equalCount, broker: settings(), partnerA: a, partnerB: b, collectionByBroker: false,
            agreedOn: CivilDate(year: 2026, month: 1, day: 20)!)
        let mandate = MandateAcceptance(
            reference: "mdt_abcdefghijklmnop", acceptedOn: CivilDate(year: 2026, month: 1, day: 5)!, contestDays: 15, wordingVersion: "2026-1")
        return try DealInvoicing.invoices(
            for: DealFigures(dealID: "D-2026-0007", releaseDate: releaseDate, addressesToA: toA, addressesToB: toB), terms: terms,
            mandates: DealMandates(a: mandate, b: mandate), seriesPrefix: "TR", issueDate: issueDate)
    }

    static func issue(_ draft: InvoiceDraft, after last: InvoiceReference? = nil) throws -> InvoiceDocument {
        try draft.issued(as: draft.series.nextNumber(after: last, issueDate: draft.content.issueDate))
    }

    static func credit(_ original: InvoiceDocument) throws -> InvoiceDocument {
        let draft = try CreditNotes.draft(crediting: original, reason: "Adresses livrées en double", issueDate: creditDate, existingCreditNote: nil)
        return try issue(draft, after: original.reference)
    }

    /// Every document the French e-invoicing rules accept: exchange FR→FR and FR→DE, a franchise seller, a seller in
    /// La Réunion, a buyer in Guyane, commissions, and their credit notes.
    static func eInvoices() throws -> [(name: String, document: InvoiceDocument)] {
        let domestic = try invoices(try joinery(), try heating(), toA: 1_234_567, toB: 987)
        let crossBorder = try invoices(try joinery(), try german(), toA: 0, toB: 4321)
        let franchise = try invoices(try reunion(), try franchise(), toA: 2500, toB: 0)
        let overseas = try invoices(try guyane(), try reunion(), toA: 1800, toB: 1800)
        var documents: [(name: String, document: InvoiceDocument)] = [
            ("exchange-fr-fr", try issue(try #require(domestic.exchangeToA))),
            ("exchange-fr-de", try issue(try #require(crossBorder.exchangeToB))),
            ("commission-fr", try issue(try #require(domestic.commissionToA))),
            ("commission-de", try issue(try #require(crossBorder.commissionToB))),
            ("exchange-franchise-seller", try issue(try #require(franchise.exchangeToA))),
            ("exchange-reunion-to-guyane", try issue(try #require(overseas.exchangeToA))),
            ("commission-reunion", try issue(try #require(franchise.commissionToA))),
        ]
        for (name, original) in documents { documents.append(("credit-note-of-" + name, try credit(original))) }
        return documents
    }

    /// The exchange invoice of a German seller: valid, but outside the French CII profile (no SIREN).
    static func germanSellerInvoice() throws -> InvoiceDocument {
        try issue(try #require(try invoices(try joinery(), try german(), toA: 2500, toB: 0).exchangeToA))
    }

    /// A domestic exchange invoice of `count` lines, its VAT and totals recomputed, to make the layout paginate.
    static func manyLines(_ count: Int) throws -> InvoiceDocument {
        var draft = try #require(try invoices(try joinery(), try heating(), toA: 1000, toB: 0).exchangeToA)
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
