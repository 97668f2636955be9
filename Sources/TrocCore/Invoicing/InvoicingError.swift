/// Side of a deal: partner A or partner B.
public enum DealSide: String, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Partner A.
    case a = "A"
    /// Partner B.
    case b = "B"

    public var description: String { "partner \(rawValue)" }
}

/// Why a deal's invoices could not be computed; each message names the deal field or partner field at fault.
public enum InvoicingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The deal has no identifier.
    case emptyDealID
    /// The price per 1,000 addresses is outside the broker's bounds.
    case priceOutOfBounds(price: Money, bounds: ClosedRange<Money>)
    /// An address count is negative or absurdly large.
    case addressCountOutOfRange(recipient: DealSide, count: Int)
    /// Invoices cannot be dated before the addresses were released.
    case issueDateBeforeRelease(issueDate: CivilDate, releaseDate: CivilDate)
    /// A partner field needed on invoices is empty.
    case partnerFieldMissing(DealSide, partner: String, field: String, hint: String)
    /// A partner field is present but wrong.
    case partnerFieldInvalid(DealSide, partner: String, field: String, reason: String)
    /// A party of an invoice in another member state lacks a VAT number.
    case missingVATNumber(party: String, countryCode: String)
    /// Neither French VAT nor intra-community reverse charge applies.
    case unsupportedVATSituation(seller: String, sellerCountry: String, buyer: String, buyerCountry: String)
    /// A seller under the French franchise cannot invoice a buyer in another member state under reverse charge.
    case franchiseSellerAbroad(seller: String, buyer: String, buyerTerritory: String)
    /// The service is taxed where the buyer is, but the seller has no VAT number to charge that VAT under.
    case sellerNotRegistered(seller: String, sellerTerritory: String, buyerTerritory: String)
    /// An exchange invoice would be issued in the name of a seller that has no billing mandate in force.
    case billingMandateMissing(DealSide, partner: String)

    public var description: String {
        switch self {
        case .emptyDealID:
            "dealID: a deal must have an identifier to be invoiced"
        case .priceOutOfBounds(let price, let bounds):
            "pricePer1000: \(price.frenchString) per 1 000 addresses is outside the broker's bounds "
                + "\(bounds.lowerBound.frenchString)…\(bounds.upperBound.frenchString); agree a price within them or change the broker settings"
        case .addressCountOutOfRange(let recipient, let count):
            "addressesTo\(recipient.rawValue): \(count) is outside 0…\(DealFigures.maximumAddresses)"
        case .issueDateBeforeRelease(let issueDate, let releaseDate):
            "issueDate: \(issueDate) is before the release date \(releaseDate); invoices are issued on or after release"
        case .partnerFieldMissing(let side, let partner, let field, let hint):
            "\(side) \"\(partner)\": \(field) is missing; \(hint)"
        case .partnerFieldInvalid(let side, let partner, let field, let reason):
            "\(side) \"\(partner)\": \(field) is invalid: \(reason)"
        case .missingVATNumber(let party, let countryCode):
            "\"\(party)\" (\(countryCode)) has no VAT number, which reverse charge needs on both sides (art. 196 of directive "
                + "2006/112/EC); record its VAT number, or trade with a firm established in France"
        case .unsupportedVATSituation(let seller, let sellerCountry, let buyer, let buyerCountry):
            "unsupported VAT situation: seller \"\(seller)\" in \(sellerCountry), buyer \"\(buyer)\" in \(buyerCountry); "
                + "Troc invoices sales into France and reverse charge between two different EU member states, not a sale taxed "
                + "inside another member state"
        case .franchiseSellerAbroad(let seller, let buyer, let territory):
            "\"\(seller)\" is under the VAT franchise (CGI art. 293 B), which covers sales taxed in France only; selling to \"\(buyer)\" "
                + "in \(territory) is reverse-charged and needs the seller's VAT number (CGI art. 286 ter): the seller registers for VAT "
                + "(status registered) or the deal is not made"
        case .sellerNotRegistered(let seller, let sellerTerritory, let buyerTerritory):
            "\"\(seller)\" (\(sellerTerritory)) has no VAT number, but a service to a buyer in \(buyerTerritory) is taxed there "
                + "(CGI art. 259-1°, BOI-TVA-GEO-20-40): record the seller's VAT number before the deal is agreed"
        case .billingMandateMissing(let side, let partner):
            "\(side) \"\(partner)\" has no billing mandate in force, so the broker cannot issue its invoices in its name "
                + "(CGI art. 289, I-2): the firm accepts the mandate with `troc mandate accept`"
        }
    }
}

/// Why a credit note cannot be drafted.
public enum CreditNoteError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Credit notes are final; a wrong credit note is corrected by a new invoice.
    case cannotCreditACreditNote(InvoiceNumber)
    /// The invoice already has a credit note.
    case alreadyCredited(InvoiceNumber, by: InvoiceNumber)
    /// A credit note must say why.
    case missingReason
    /// A credit note cannot be dated before the invoice it credits.
    case issueDateBeforeOriginal(issueDate: CivilDate, original: InvoiceReference)

    public var description: String {
        switch self {
        case .cannotCreditACreditNote(let number):
            "\(number) is a credit note and cannot be credited; issue a new invoice instead"
        case .alreadyCredited(let number, let creditNote):
            "\(number) is already credited by \(creditNote); an invoice is credited at most once"
        case .missingReason:
            "reason: a credit note must state why the invoice is credited"
        case .issueDateBeforeOriginal(let issueDate, let original):
            "issueDate: \(issueDate) is before \(original.number)'s issue date \(original.issueDate)"
        }
    }
}

/// Why an e-invoice (UBL or CII) cannot be produced for a document.
public enum EInvoiceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The French e-invoicing rules need the seller's SIREN (BR-FR-10).
    case sellerWithoutSIREN(InvoiceNumber, seller: String)

    public var description: String {
        switch self {
        case .sellerWithoutSIREN(let number, let seller):
            "\(number): the seller \"\(seller)\" has no SIREN, which the French e-invoicing rules require (BR-FR-10); "
                + "a sale by a company not established in France is outside French e-invoicing (the French buyer e-reports it), "
                + "so get this invoice as PDF (without the XML), HTML, JSON or CSV"
        }
    }
}
