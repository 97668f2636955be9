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

    /// A French window installer; its VAT number is left for the core to derive.
    static let windows = DealPartner(
        name: "Menuiserie Durand SARL", address: PostalAddress(street: "2 avenue des Artisans", postcode: "69001", city: "Lyon", countryCode: "FR"),
        siren: "732829320", vatNumber: nil)

    /// A French geothermal installer whose name needs escaping in XML, HTML and CSV.
    static let heating = DealPartner(
        name: "Géothermie & Fils \"L'Énergie\" SAS",
        address: PostalAddress(street: "12 chemin des Sources", postcode: "33000", city: "Bordeaux", countryCode: "FR"), siren: "552100554",
        vatNumber: "FR 96 552 100 554")

    /// A German partner with a valid VAT number.
    static let german = DealPartner(
        name: "Fenster Müller GmbH", address: PostalAddress(street: "Hauptstraße 5", postcode: "10115", city: "Berlin", countryCode: "DE"),
        siren: nil, foreignRegistrationID: "HRB 12345 B", vatNumber: "DE136695976")

    /// A deal between `a` and `b` at `price` cents per 1,000 addresses.
    static func deal(_ a: DealPartner = windows, _ b: DealPartner = heating, toA: Int, toB: Int, price: Int64 = 2500) -> DealFigures {
        DealFigures(
            dealID: "D-2026-0007", releaseDate: releaseDate, pricePer1000: Money(cents: price), partnerA: a, partnerB: b, addressesToA: toA,
            addressesToB: toB)
    }

    /// The drafts of a deal with the default settings.
    static func invoices(_ deal: DealFigures, commissionBasisPoints: Int = 500) throws -> DealInvoices {
        try DealInvoicing.invoices(for: deal, settings: settings(commissionBasisPoints: commissionBasisPoints), issueDate: issueDate)
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
