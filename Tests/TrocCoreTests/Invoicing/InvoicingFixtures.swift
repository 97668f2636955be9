import Foundation
import Testing
import TrocCore

/// Inputs the invoicing tests share, built in code: a French broker, French and German partners, deals.
enum InvoicingFixtures {
    static let releaseDate = CivilDate(year: 2026, month: 1, day: 30)!
    static let issueDate = CivilDate(year: 2026, month: 1, day: 31)!

    static let brokerAddress = PostalAddress(street: "1 rue de la Paix", postcode: "75002", city: "Paris", countryCode: "FR")

    /// The broker of the e-invoice samples, with a 5 % commission and 30-day terms.
    static func settings(
        commissionBasisPoints: Int = 500, minimum: Money = Money(cents: 2000), maximum: Money = Money(cents: 3500)
    ) throws -> BrokerInvoicingSettings {
        try BrokerInvoicingSettings(
            legalName: "Courtier Fichiers SAS", address: brokerAddress, siren: "303265045", vatNumber: "FR40303265045",
            iban: "FR76 3000 6000 0112 3456 7890 189", bic: "AGRIFRPP", commissionBasisPoints: commissionBasisPoints,
            minimumPricePer1000: minimum, maximumPricePer1000: maximum, paymentTermsDays: 30, latePenalty: .legalInterestMultiple(3),
            seriesPrefix: "TR")
    }

    /// A firm registered with the broker; its status is checked as the server checks a registration.
    static func firm(
        _ name: String, street: String, postcode: String, city: String, countryCode: String = "FR", siren: String?, registration: String? = nil,
        _ regime: VATRegime, vatNumber: String?, iban: String = "FR76 3000 4000 0312 3456 7890 143", bic: String = "BNPAFRPP"
    ) -> DealPartner {
        let address = PostalAddress(street: street, postcode: postcode, city: city, countryCode: countryCode)
        do {
            return DealPartner(
                name: name, address: address, siren: siren, foreignRegistrationID: registration,
                vatStatus: try FirmVATStatus(regime: regime, vatNumber: vatNumber, address: address, siren: siren),
                bankAccount: try BankAccount(iban: iban, bic: bic))
        } catch {
            fatalError("fixture \(name): \(error)")
        }
    }

    /// A French window installer, VAT-registered in Lyon.
    static let windows = firm(
        "Menuiserie Durand SARL", street: "2 avenue des Artisans", postcode: "69001", city: "Lyon", siren: "732829320", .registered,
        vatNumber: "FR44732829320")

    /// A French geothermal installer whose name needs escaping in XML, HTML and CSV.
    static let heating = firm(
        "Géothermie & Fils \"L'Énergie\" SAS", street: "12 chemin des Sources", postcode: "33000", city: "Bordeaux", siren: "552100554",
        .registered, vatNumber: "FR 96 552 100 554", iban: "FR14 2004 1010 0505 0001 3M02 606", bic: "PSSTFRPPXXX")

    /// A German partner with a valid VAT number.
    static let german = firm(
        "Fenster Müller GmbH", street: "Hauptstraße 5", postcode: "10115", city: "Berlin", countryCode: "DE", siren: nil, registration: "HRB 12345 B",
        .registered, vatNumber: "DE136695976", iban: "DE89 3704 0044 0532 0130 00", bic: "COBADEFFXXX")

    /// A sole trader under the VAT franchise (CGI art. 293 B), in Nantes: no VAT number.
    static let franchise = firm(
        "Atelier Leroy EI", street: "3 quai Ceineray", postcode: "44000", city: "Nantes", siren: "404833048", .franchise, vatNumber: nil)

    /// A painter under the franchise in Martinique.
    static let martiniqueFranchise = firm(
        "Peintures Anse Noire EI", street: "5 rue Victor Hugo", postcode: "97200", city: "Fort-de-France", siren: "817654320", .franchise,
        vatNumber: nil)

    /// A VAT-registered firm in La Réunion (8.5 %).
    static let reunion = firm(
        "Solaire Bourbon SAS", street: "14 rue de Paris", postcode: "97400", city: "Saint-Denis", siren: "412345670", .overseas,
        vatNumber: "FR96412345670")

    /// A firm in Guyane, where VAT does not apply, without a VAT number.
    static let guyane = firm(
        "Menuiserie Amazonie SARL", street: "8 avenue du Général de Gaulle", postcode: "97300", city: "Cayenne", siren: "321098766", .overseas,
        vatNumber: nil)

    /// The same firm in Guyane once it holds a VAT number for its sales to metropolitan France.
    static let guyaneWithNumber = firm(
        "Menuiserie Amazonie SARL", street: "8 avenue du Général de Gaulle", postcode: "97300", city: "Cayenne", siren: "321098766", .overseas,
        vatNumber: "FR77321098766")

    /// A firm in Mayotte that holds a VAT number for its sales to metropolitan France.
    static let mayotte = firm(
        "Lagon Habitat SARL", street: "2 rue du Commerce", postcode: "97600", city: "Mamoudzou", siren: "523456788", .overseas,
        vatNumber: "FR31523456788")

    /// Every kind of firm the broker can register, by a short name.
    static let everyStatus: [(name: String, partner: DealPartner)] = [
        ("metropolitan", windows), ("franchise", franchise), ("franchise-martinique", martiniqueFranchise), ("reunion", reunion),
        ("guyane", guyane), ("mayotte", mayotte), ("germany", german),
    ]

    /// The billing mandate a firm accepted on 5 January 2026.
    static func mandate(_ reference: String = "mdt_abcdefghijklmnop") -> MandateAcceptance {
        MandateAcceptance(reference: reference, acceptedOn: CivilDate(year: 2026, month: 1, day: 5)!, contestDays: 15, wordingVersion: "2026-1")
    }

    /// A deal as the tests vary it: its figures and the terms both firms would agree.
    struct Deal {
        var figures: DealFigures
        var partnerA: DealPartner
        var partnerB: DealPartner
        var price: Money
        var collectionByBroker = false
    }

    /// A deal between `a` and `b` at `price` cents per 1,000 addresses.
    static func deal(_ a: DealPartner = windows, _ b: DealPartner = heating, toA: Int, toB: Int, price: Int64 = 2500) -> Deal {
        Deal(
            figures: DealFigures(dealID: "D-2026-0007", releaseDate: releaseDate, addressesToA: toA, addressesToB: toB), partnerA: a, partnerB: b,
            price: Money(cents: price))
    }

    /// The terms of `deal` under the default settings, agreed on 20 January 2026.
    static func terms(_ deal: Deal, commissionBasisPoints: Int = 500) throws -> DealTerms {
        try DealTerms(
            pricePer1000: deal.price, policy: .equalCount, broker: settings(commissionBasisPoints: commissionBasisPoints), partnerA: deal.partnerA,
            partnerB: deal.partnerB, collectionByBroker: deal.collectionByBroker, agreedOn: CivilDate(year: 2026, month: 1, day: 20)!)
    }

    /// The drafts of a deal with the default settings, both firms under mandate, issued on `issueDate`.
    static func invoices(
        _ deal: Deal, commissionBasisPoints: Int = 500, mandates: DealMandates = DealMandates(a: mandate("mdt_aaaaaaaaaaaaaaaa"), b: mandate()),
        issueDate: CivilDate = issueDate
    ) throws -> DealInvoices {
        try DealInvoicing.invoices(
            for: deal.figures, terms: terms(deal, commissionBasisPoints: commissionBasisPoints), mandates: mandates, seriesPrefix: "TR",
            issueDate: issueDate)
    }

    /// `draft` issued as the first number of its series (or the one after `last`).
    static func issue(_ draft: InvoiceDraft, after last: InvoiceReference? = nil) throws -> InvoiceDocument {
        try draft.issued(as: draft.series.nextNumber(after: last, issueDate: draft.content.issueDate))
    }

    /// Every kind of document the core produces that the French e-invoicing rules accept: exchange invoices
    /// FR→FR and FR→DE under mandate, commissions to a French and a German partner, and a credit note of each.
    static func everyEInvoiceVariant() throws -> [(name: String, document: InvoiceDocument)] {
        let domestic = try invoices(deal(toA: 1234, toB: 987))
        let crossBorder = try invoices(deal(windows, german, toA: 0, toB: 4321))
        let creditDate = CivilDate(year: 2026, month: 2, day: 10)!
        var variants: [(name: String, document: InvoiceDocument)] = [
            ("exchange-fr-fr", try issue(try #require(domestic.exchangeToA))),
            ("exchange-fr-de-reverse-charge", try issue(try #require(crossBorder.exchangeToB))),
            ("commission-fr", try issue(try #require(domestic.commissionToA))),
            ("commission-de-reverse-charge", try issue(try #require(crossBorder.commissionToB))),
        ]
        for (name, original) in variants {
            let draft = try CreditNotes.draft(
                crediting: original, reason: "Adresses livrées en double", issueDate: creditDate, existingCreditNote: nil)
            variants.append(("credit-note-of-" + name, try issue(draft, after: original.reference)))
        }
        return variants
    }

    /// `shared/<relativePath>` next to an ancestor of this file: `/work/shared` here, `../shared` beside the repository in CI.
    static func sharedFile(_ relativePath: String) throws -> String {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("shared").appendingPathComponent(relativePath)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
            directory.deleteLastPathComponent()
        }
        Issue.record("shared/\(relativePath) not found next to any ancestor of \(#filePath)")
        throw SharedFileMissing()
    }

    /// Thrown after recording why a shared file is missing.
    struct SharedFileMissing: Error {}
}
