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
            "\"\(party)\" (\(countryCode)) has no VAT number; a party in another EU member state needs one for reverse charge"
        case .unsupportedVATSituation(let seller, let sellerCountry, let buyer, let buyerCountry):
            "unsupported VAT situation: seller \"\(seller)\" in \(sellerCountry), buyer \"\(buyer)\" in \(buyerCountry); "
                + "Troc invoices French VAT between two French companies and reverse charge between two different EU member states only"
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
