package import Foundation
public import GRDB
public import TrocCore

extension InvoicePurpose: DatabaseValueConvertible {}

extension InvoiceKind: DatabaseValueConvertible {
    /// Stored as `invoice` or `credit-note`, the words the schema and the accountants read.
    public var databaseValue: DatabaseValue { (self == .invoice ? "invoice" : "credit-note").databaseValue }

    /// The kind with that stored word.
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> InvoiceKind? {
        switch String.fromDatabaseValue(dbValue) {
        case "invoice": .invoice
        case "credit-note": .creditNote
        default: nil
        }
    }
}

extension CivilDate: DatabaseValueConvertible {
    /// Stored as ISO 8601 text, `2026-01-31`, which sorts and compares as the dates do.
    public var databaseValue: DatabaseValue { iso8601.databaseValue }

    /// The date from its stored text.
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> CivilDate? {
        String.fromDatabaseValue(dbValue).flatMap(CivilDate.init(iso8601:))
    }
}

/// A row of `invoice`: an issued invoice or credit note, immutable (triggers refuse UPDATE and DELETE).
package struct InvoiceRecord: StoreRecord {
    package static let databaseTableName = "invoice"

    /// The number, `TR2026-000042`.
    package var number: String
    /// The series prefix, `TR`.
    package var seriesPrefix: String
    /// The legal issuer of the series: the broker's SIREN, or the mandating seller's identifier.
    package var issuerID: String
    /// The issue date's year, part of the number.
    package var year: Int
    /// The rank in the series for that year, from 1, without gaps.
    package var sequence: Int
    /// Invoice or credit note.
    package var kind: InvoiceKind
    /// Exchange (under mandate) or the broker's commission.
    package var purpose: InvoicePurpose
    /// The deal billed.
    package var dealID: String?
    /// The selling partner organisation; nil when the broker sells (commission).
    package var sellerID: String?
    /// The buying partner organisation.
    package var buyerID: String?
    /// Issue date.
    package var issueDate: CivilDate
    /// Total excluding VAT, in cents.
    package var netCents: Int64
    /// VAT, in cents.
    package var vatCents: Int64
    /// Total including VAT, in cents.
    package var grossCents: Int64
    /// The whole document as issued, JSON in the column.
    package var document: InvoiceDocument
    /// For a credit note, the number of the invoice it credits (unique: an invoice is credited once).
    package var creditsNumber: String?
    /// When it was issued.
    package var createdAt: Date

    /// The row of `document`, issued now.
    package init(_ document: InvoiceDocument, sellerID: String?, buyerID: String?, createdAt: Date) {
        number = document.number.text
        seriesPrefix = document.series.prefix
        issuerID = document.series.issuerID
        year = document.number.year
        sequence = document.number.sequence
        kind = document.kind
        purpose = document.purpose
        dealID = document.dealID
        self.sellerID = sellerID
        self.buyerID = buyerID
        issueDate = document.issueDate
        netCents = document.totals.net.cents
        vatCents = document.totals.vat.cents
        grossCents = document.totals.gross.cents
        self.document = document
        creditsNumber = document.precedingInvoice?.number.text
        self.createdAt = createdAt
    }

    /// JSON columns hold sorted keys, so the stored document reads the same however it was built.
    package static func databaseJSONEncoder(for column: String) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Column references for queries.
    package enum Columns {
        /// Issue date.
        package static let issueDate = Column(CodingKeys.issueDate)
        /// Seller.
        package static let sellerID = Column(CodingKeys.sellerID)
        /// Buyer.
        package static let buyerID = Column(CodingKeys.buyerID)
        /// The invoice a credit note credits.
        package static let creditsNumber = Column(CodingKeys.creditsNumber)
        /// Number within the series and year.
        package static let sequence = Column(CodingKeys.sequence)
        /// The invoice series.
        package static let seriesPrefix = Column(CodingKeys.seriesPrefix)
        /// The year of the series.
        package static let year = Column(CodingKeys.year)
    }
}
