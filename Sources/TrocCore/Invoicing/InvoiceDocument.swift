/// Invoice or credit note (UNTDID 1001 document type code).
public enum InvoiceKind: String, Hashable, Sendable, Codable {
    /// A commercial invoice, type code 380.
    case invoice
    /// A credit note, type code 381; its amounts are positive, the type says they are owed back.
    case creditNote

    /// The UNTDID 1001 code, `380` or `381`.
    public var typeCode: String { self == .invoice ? "380" : "381" }

    /// +1 for an invoice, −1 for a credit note: multiply amounts by it to add documents up.
    public var sign: Int64 { self == .invoice ? 1 : -1 }
}

/// What an invoice bills, which decides who issues it and whether it is the broker's revenue.
public enum InvoicePurpose: String, Hashable, Sendable, Codable {
    /// The addresses a partner received, sold by the supplying partner; written by the broker under mandate.
    case exchange
    /// The broker's commission, the broker's own sale.
    case commission
}

/// VAT category code (UNTDID 5305) of the situations Troc invoices.
public enum VATCategory: String, Hashable, Sendable, Codable {
    /// Standard rate, `S`: 20 % in metropolitan France, 8.5 % in Guadeloupe, Martinique and La Réunion.
    case standard = "S"
    /// Reverse charge, `AE`: the buyer accounts for the VAT.
    case reverseCharge = "AE"
    /// Exempt, `E`: a seller under the VAT franchise of CGI art. 293 B.
    case exempt = "E"
    /// Not subject to VAT, `O`: a service supplied in Guyane or Mayotte, where VAT does not apply (CGI art. 294-1).
    case notSubject = "O"

    /// Whether the category carries a rate (BT-96, BT-119, BT-152): EN 16931 forbids one for `O` (BR-O-05, BR-48).
    public var hasRate: Bool { self != .notSubject }
}

/// The VAT that applies to a line: category, rate, and for exemptions the reason printed and coded.
public struct VATTreatment: Hashable, Sendable, Codable {
    /// Category code.
    public var category: VATCategory
    /// Rate in basis points (2000 = 20 %).
    public var rateBasisPoints: Int
    /// Text of the exemption reason (BT-120), nil for the standard rate.
    public var exemptionReason: String?
    /// Code of the exemption reason (BT-121, VATEX list), nil for the standard rate.
    public var exemptionReasonCode: String?

    /// French standard rate, 20 % (CGI art. 278).
    public static let frenchStandard = VATTreatment.standard(rateBasisPoints: 2000)

    /// Standard rate of Guadeloupe, Martinique and La Réunion, 8.5 % (CGI art. 296-1°).
    public static let overseasStandard = VATTreatment.standard(rateBasisPoints: 850)

    /// A seller under the VAT franchise: no VAT, and the mention CGI art. 293 B requires, coded as the French VATEX code.
    public static let franchise = VATTreatment(
        category: .exempt, rateBasisPoints: 0, exemptionReason: "TVA non applicable, art. 293 B du CGI", exemptionReasonCode: "VATEX-FR-FRANCHISE")

    /// A service supplied in Guyane or Mayotte, where VAT does not apply (CGI art. 294-1).
    public static let notApplicableOverseas = VATTreatment(
        category: .notSubject, rateBasisPoints: 0, exemptionReason: "TVA non applicable, art. 294-1 du CGI", exemptionReasonCode: "VATEX-EU-O")

    /// The rate as a column of an invoice prints it: `20 %`, `8,5 %`, `Autoliquidation`, `Exonérée`, `Non applicable`.
    public var frenchRate: String {
        switch category {
        case .standard: FrenchText.percentage(basisPoints: rateBasisPoints) + "\u{00A0}%"
        case .reverseCharge: "Autoliquidation"
        case .exempt: "Exonérée"
        case .notSubject: "Non applicable"
        }
    }

    /// The standard category at `rateBasisPoints`.
    public static func standard(rateBasisPoints: Int) -> VATTreatment {
        VATTreatment(category: .standard, rateBasisPoints: rateBasisPoints, exemptionReason: nil, exemptionReasonCode: nil)
    }

    /// Reverse charge between two member states, art. 196 of directive 2006/112/EC.
    public static let intraCommunityReverseCharge = VATTreatment(
        category: .reverseCharge, rateBasisPoints: 0, exemptionReason: "Autoliquidation - article 196 de la directive 2006/112/CE",
        exemptionReasonCode: "VATEX-EU-AE")
}

/// One invoice line: `quantity` units at `unitPrice` per `baseQuantity` units.
public struct InvoiceLine: Hashable, Sendable, Codable {
    /// Line number from 1.
    public var number: Int
    /// What is sold, as printed.
    public var description: String
    /// Number of units (addresses, or 1 for a commission).
    public var quantity: Int64
    /// UN/ECE rec. 20 unit code; `C62` (one) for addresses and for the commission.
    public var unitCode: String
    /// Net price of `baseQuantity` units.
    public var unitPrice: Money
    /// How many units `unitPrice` is for: 1000 for a price per 1,000 addresses, 1 otherwise.
    public var baseQuantity: Int64
    /// Line net amount: quantity × unitPrice ÷ baseQuantity, rounded half up to the cent.
    public var net: Money
    /// The VAT of the line.
    public var vat: VATTreatment
}

/// The VAT of one category and rate over the whole invoice (BG-23).
public struct VATBreakdown: Hashable, Sendable, Codable {
    /// Category, rate and exemption reason.
    public var treatment: VATTreatment
    /// Sum of the line nets of that category and rate.
    public var taxableAmount: Money
    /// taxableAmount × rate, rounded half up to the cent.
    public var taxAmount: Money
}

/// The totals of an invoice (BG-22).
public struct InvoiceTotals: Hashable, Sendable, Codable {
    /// Sum of line nets (BT-106, and BT-109 since Troc has no document-level allowances).
    public var net: Money
    /// Sum of the VAT breakdown amounts (BT-110).
    public var vat: Money
    /// net + vat (BT-112).
    public var gross: Money
    /// Amount due (BT-115): the gross, nothing being prepaid.
    public var payable: Money
}

/// An invoice note (BG-1): a UNTDID 4451 subject code and its text.
public struct InvoiceNote: Hashable, Sendable, Codable {
    /// `PMT`, `PMD`, `AAB`, `BAR`, `REG`, `ACD`.
    public var subjectCode: String
    /// The text, in French.
    public var text: String
}

/// The party that collects payment when it is not the seller (BG-10).
public struct InvoicePayee: Hashable, Sendable, Codable {
    /// Legal name.
    public var name: String
    /// SIREN.
    public var siren: String
}

/// How to pay (BG-16): credit transfer to an account.
public struct PaymentInstructions: Hashable, Sendable, Codable {
    /// UNTDID 4461 code; `30` (credit transfer).
    public var meansCode: String
    /// Account to credit.
    public var iban: IBAN
    /// Its bank.
    public var bic: BIC
    /// The account holder when it is not the seller: the broker, collecting exchange invoices under mandate.
    public var payee: InvoicePayee?
}

/// The billing mandate under which the broker issues an invoice in the seller's name.
public struct BillingMandate: Hashable, Sendable, Codable {
    /// The broker's legal name.
    public var issuerName: String
    /// The broker's SIREN.
    public var issuerSIREN: String
    /// `Facture émise par <broker> au nom et pour le compte de <seller>, en vertu du mandat de facturation <reference>…`,
    /// printed and sent as a `REG` note.
    public var mention: String
    /// The seller's mandate, `mdt_…`; nil on invoices issued before mandates were recorded.
    public var reference: String?
    /// The day the seller accepted it.
    public var acceptedOn: CivilDate?
    /// Days the seller has to contest the invoice.
    public var contestDays: Int?
}

/// Everything an invoice says except its number: what a draft holds and an issued invoice keeps unchanged.
public struct InvoiceContent: Hashable, Sendable, Codable {
    /// Invoice or credit note.
    public var kind: InvoiceKind
    /// Exchange or commission.
    public var purpose: InvoicePurpose
    /// The deal billed.
    public var dealID: String
    /// Issue date (BT-2).
    public var issueDate: CivilDate
    /// Date the addresses were released, the date of the service (BT-72).
    public var deliveryDate: CivilDate
    /// Issue date + payment terms (BT-9).
    public var dueDate: CivilDate
    /// Payment terms in days, kept so that a credit note repeats them.
    public var paymentTermsDays: Int
    /// Seller (BG-4).
    public var seller: InvoiceParty
    /// Buyer (BG-7).
    public var buyer: InvoiceParty
    /// Set when the broker issues the invoice in the seller's name.
    public var billingMandate: BillingMandate?
    /// Lines (BG-25).
    public var lines: [InvoiceLine]
    /// VAT per category and rate (BG-23).
    public var vatBreakdown: [VATBreakdown]
    /// Totals (BG-22).
    public var totals: InvoiceTotals
    /// Notes (BG-1), the French mandatory mentions among them.
    public var notes: [InvoiceNote]
    /// Payment instructions (BG-16).
    public var payment: PaymentInstructions
    /// Payment terms as printed (BT-20).
    public var paymentTermsText: String
    /// For a credit note, the invoice it credits (BG-3).
    public var precedingInvoice: InvoiceReference?
    /// For a credit note, why.
    public var creditReason: String?
    /// ISO 4217 currency, always `EUR`.
    public var currencyCode: String
}

/// An invoice computed but not yet numbered; the store numbers it in the transaction that writes it.
public struct InvoiceDraft: Hashable, Sendable, Codable {
    /// The series its number comes from.
    public var series: InvoiceSeries
    /// What it says.
    public var content: InvoiceContent

    /// The issued invoice, once the store has allocated `number` from `series` for the issue date's year.
    public func issued(as number: InvoiceNumber) throws(InvoiceNumberError) -> InvoiceDocument {
        guard number.prefix == series.prefix else { throw .wrongSeries(number, expectedPrefix: series.prefix) }
        guard number.year == content.issueDate.components.year else { throw .yearMismatch(number, issueDate: content.issueDate) }
        return InvoiceDocument(number: number, series: series, content: content)
    }
}

/// An issued invoice or credit note: immutable, corrected only by a credit note.
@dynamicMemberLookup
public struct InvoiceDocument: Hashable, Sendable, Codable {
    /// Its number (BT-1).
    public let number: InvoiceNumber
    /// The series the number belongs to.
    public let series: InvoiceSeries
    /// What it says.
    public let content: InvoiceContent

    /// Reads a field of the content directly: `invoice.totals`.
    public subscript<Value>(dynamicMember keyPath: KeyPath<InvoiceContent, Value>) -> Value { content[keyPath: keyPath] }

    /// Number and issue date, as a credit note refers to this invoice.
    public var reference: InvoiceReference { InvoiceReference(number: number, issueDate: content.issueDate) }
}
