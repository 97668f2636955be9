#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Renders issued documents as JSON for scripts: sorted keys, dates `yyyy-mm-dd`, every amount both in cents
/// and as a decimal string (`{"cents": 12345, "decimal": "123.45"}`); absent optional fields are omitted.
public enum JSONRenderer {
    /// One document as a JSON object.
    public static func render(_ document: InvoiceDocument) -> String { encode(DocumentJSON(document)) }

    /// Several documents as a JSON array, in the order given.
    public static func render(_ documents: [InvoiceDocument]) -> String { encode(documents.map(DocumentJSON.init)) }

    private static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Only strings, integers and nested objects are encoded, which JSONEncoder cannot fail on.
        let data = try! encoder.encode(value)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// An amount as JSON carries it.
private struct AmountJSON: Encodable {
    let cents: Int64
    let decimal: String

    init(_ money: Money) {
        cents = money.cents
        decimal = money.decimalString
    }
}

/// A party as JSON carries it.
private struct PartyJSON: Encodable {
    let name: String
    let street: String
    let postcode: String
    let city: String
    let countryCode: String
    let siren: String?
    let foreignRegistrationID: String?
    let vatNumber: String?
    let taxRegistrationID: String?

    init(_ party: InvoiceParty) {
        name = party.name
        street = party.address.street
        postcode = party.address.postcode
        city = party.address.city
        countryCode = party.address.countryCode
        siren = party.siren
        foreignRegistrationID = party.foreignRegistrationID
        vatNumber = party.vatNumber?.text
        taxRegistrationID = party.taxRegistrationID
    }
}

/// A line as JSON carries it.
private struct LineJSON: Encodable {
    let number: Int
    let description: String
    let quantity: Int64
    let unitCode: String
    let unitPrice: AmountJSON
    let baseQuantity: Int64
    let net: AmountJSON
    let vatCategory: String
    let vatRate: String
}

/// A VAT breakdown entry as JSON carries it.
private struct VATJSON: Encodable {
    let category: String
    let rate: String
    let taxableAmount: AmountJSON
    let taxAmount: AmountJSON
    let exemptionReason: String?
    let exemptionReasonCode: String?
}

/// A document as JSON carries it.
private struct DocumentJSON: Encodable {
    let number: String
    let typeCode: String
    let kind: InvoiceKind
    let purpose: InvoicePurpose
    let dealID: String
    let issueDate: CivilDate
    let deliveryDate: CivilDate
    let dueDate: CivilDate
    let currency: String
    let seller: PartyJSON
    let buyer: PartyJSON
    let issuedUnderMandateBy: BillingMandate?
    let lines: [LineJSON]
    let vatBreakdown: [VATJSON]
    let totals: [String: AmountJSON]
    let notes: [InvoiceNote]
    let paymentMeansCode: String
    let iban: String
    let bic: String
    let payee: InvoicePayee?
    let paymentTerms: String
    let precedingInvoice: InvoiceReference?
    let creditReason: String?

    init(_ document: InvoiceDocument) {
        number = document.number.text
        typeCode = document.kind.typeCode
        kind = document.kind
        purpose = document.purpose
        dealID = document.dealID
        issueDate = document.issueDate
        deliveryDate = document.deliveryDate
        dueDate = document.dueDate
        currency = document.currencyCode
        seller = PartyJSON(document.seller)
        buyer = PartyJSON(document.buyer)
        issuedUnderMandateBy = document.billingMandate
        lines = document.lines.map {
            LineJSON(
                number: $0.number, description: $0.description, quantity: $0.quantity, unitCode: $0.unitCode, unitPrice: AmountJSON($0.unitPrice),
                baseQuantity: $0.baseQuantity, net: AmountJSON($0.net), vatCategory: $0.vat.category.rawValue,
                vatRate: FrenchText.xmlPercentage(basisPoints: $0.vat.rateBasisPoints))
        }
        vatBreakdown = document.vatBreakdown.map {
            VATJSON(
                category: $0.treatment.category.rawValue, rate: FrenchText.xmlPercentage(basisPoints: $0.treatment.rateBasisPoints),
                taxableAmount: AmountJSON($0.taxableAmount), taxAmount: AmountJSON($0.taxAmount), exemptionReason: $0.treatment.exemptionReason,
                exemptionReasonCode: $0.treatment.exemptionReasonCode)
        }
        totals = [
            "net": AmountJSON(document.totals.net), "vat": AmountJSON(document.totals.vat), "gross": AmountJSON(document.totals.gross),
            "payable": AmountJSON(document.totals.payable),
        ]
        notes = document.notes
        paymentMeansCode = document.payment.meansCode
        iban = document.payment.iban.text
        bic = document.payment.bic.text
        payee = document.payment.payee
        paymentTerms = document.paymentTermsText
        precedingInvoice = document.precedingInvoice
        creditReason = document.creditReason
    }
}
