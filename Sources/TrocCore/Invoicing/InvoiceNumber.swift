/// An invoice number, `<prefix><yyyy>-<nnnnnn>` as in `TR2026-000042`: series prefix, year of issue,
/// 6-digit sequence within that year.
///
/// Numbers are at most 34 characters of `A-Z 0-9 -`, within the 35 characters and the character set that the
/// French e-invoicing rules (BR-FR-01/02) allow.
public struct InvoiceNumber: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The series prefix, `TR` or `TRM732829320`.
    public let prefix: String
    /// The calendar year of the issue date.
    public let year: Int
    /// The rank in the series for that year, from 1.
    public let sequence: Int

    /// The sequences a year of a series can hold.
    public static let sequenceRange = 1...999_999
    /// The longest prefix: an 8-character broker prefix, `M` and a 14-character VAT number.
    public static let maximumPrefixLength = 23

    /// A number from its parts, checked.
    public init(prefix: String, year: Int, sequence: Int) throws(InvoiceNumberError) {
        guard InvoiceNumber.isValidPrefix(prefix) else { throw .invalidPrefix(prefix) }
        guard (1000...9999).contains(year) else { throw .yearOutOfRange(year) }
        guard InvoiceNumber.sequenceRange.contains(sequence) else { throw .sequenceOutOfRange(sequence) }
        self.prefix = prefix
        self.year = year
        self.sequence = sequence
    }

    /// Parses `TR2026-000042` (as typed on the command line: surrounding spaces ignored, letters upper-cased).
    public init(parsing text: String) throws(InvoiceNumberError) {
        let bytes = Array(text.trimmingSpaces.uppercased().utf8)
        guard let dash = bytes.lastIndex(of: UInt8(ascii: "-")), bytes.count - dash - 1 == 6, dash >= 5,
            bytes[(dash + 1)...].allSatisfy(\.isASCIIDigit), bytes[(dash - 4)..<dash].allSatisfy(\.isASCIIDigit)
        else { throw .malformed(text) }
        let number = { (slice: ArraySlice<UInt8>) in slice.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) } }
        do {
            try self.init(
                prefix: String(decoding: bytes[..<(dash - 4)], as: UTF8.self), year: number(bytes[(dash - 4)..<dash]),
                sequence: number(bytes[(dash + 1)...]))
        } catch {
            throw .malformed(text)
        }
    }

    /// `TR2026-000042`.
    public var text: String {
        let digits = String(sequence)
        return prefix + String(year) + "-" + String(repeating: "0", count: 6 - digits.count) + digits
    }

    public var description: String { text }

    /// Orders by series, then year, then sequence: the order of issue within a series.
    public static func < (lhs: InvoiceNumber, rhs: InvoiceNumber) -> Bool {
        (lhs.prefix, lhs.year, lhs.sequence) < (rhs.prefix, rhs.year, rhs.sequence)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try InvoiceNumber(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    private static func isValidPrefix(_ prefix: String) -> Bool {
        guard let first = prefix.utf8.first, first.isASCIIUppercase, prefix.utf8.count <= maximumPrefixLength else { return false }
        return prefix.utf8.allSatisfy { $0.isASCIIUppercase || $0.isASCIIDigit }
    }
}

/// A numbering series: one continuous, chronological sequence of numbers per legal issuer and prefix.
///
/// - The broker's own invoices (commissions and their credit notes) use `<seriesPrefix>`: `TR2026-000042`.
/// - Exchange invoices are legally issued by the supplying partner; the broker writes them under a billing
///   mandate in a series of their own per seller, `<seriesPrefix>M<seller SIREN>` (or the seller's VAT number
///   when it has no SIREN): `TRM7328293202026-000001`. The seller's own invoices never share that series,
///   and a broker prefix (at most 8 characters) can never equal a mandate prefix (at least 11).
/// - Credit notes take the next number of the series of the invoice they credit.
/// - The sequence restarts at 000001 each calendar year: the year is part of every number, which keeps each
///   yearly series continuous and unique, as the tax administration accepts.
public struct InvoiceSeries: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The legal issuer whose series this is: the broker's SIREN, or the mandating seller's identifier.
    public let issuerID: String
    /// The prefix of every number in the series.
    public let prefix: String

    /// The broker's own series, `prefix` being the broker's series prefix setting.
    public static func commission(brokerSIREN: String, prefix: String) -> InvoiceSeries {
        InvoiceSeries(issuerID: brokerSIREN, prefix: prefix)
    }

    /// The series the broker keeps for `seller` under its billing mandate, after the broker's series prefix.
    public static func mandate(seller: InvoiceParty, prefix: String) -> InvoiceSeries {
        InvoiceSeries(issuerID: seller.stableIdentifier, prefix: prefix + "M" + seller.stableIdentifier)
    }

    /// The number to give an invoice issued on `issueDate` when `last` is the latest one of this series (nil
    /// for the first): the next sequence of the same year, or 000001 in a new year.
    ///
    /// The store calls this inside the transaction that writes the invoice, with the row it has just locked, so
    /// numbers have no gaps or duplicates; this function refuses what would break the chronology.
    public func nextNumber(after last: InvoiceReference?, issueDate: CivilDate) throws(InvoiceNumberError) -> InvoiceNumber {
        let year = issueDate.components.year
        guard let last else { return try InvoiceNumber(prefix: prefix, year: year, sequence: 1) }
        guard last.number.prefix == prefix else { throw .wrongSeries(last.number, expectedPrefix: prefix) }
        guard last.issueDate <= issueDate else { throw .outOfChronology(last: last, issueDate: issueDate) }
        guard last.number.year == year else { return try InvoiceNumber(prefix: prefix, year: year, sequence: 1) }
        guard last.number.sequence < InvoiceNumber.sequenceRange.upperBound else { throw .exhausted(prefix: prefix, year: year) }
        return try InvoiceNumber(prefix: prefix, year: year, sequence: last.number.sequence + 1)
    }

    public var description: String { prefix }
}

/// A reference to an issued invoice: its number and issue date (BT-25 and BT-26 on a credit note).
public struct InvoiceReference: Hashable, Sendable, Codable {
    /// The number.
    public var number: InvoiceNumber
    /// The issue date.
    public var issueDate: CivilDate

    /// A reference from its parts.
    public init(number: InvoiceNumber, issueDate: CivilDate) {
        self.number = number
        self.issueDate = issueDate
    }
}

/// Why an invoice number could not be parsed or allocated.
public enum InvoiceNumberError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text is not `<prefix><yyyy>-<nnnnnn>`.
    case malformed(String)
    /// The prefix is not upper-case letters and digits starting with a letter, at most 23 characters.
    case invalidPrefix(String)
    /// The year is not 4 digits.
    case yearOutOfRange(Int)
    /// The sequence is outside 1…999999.
    case sequenceOutOfRange(Int)
    /// The year's 999,999 numbers are used up.
    case exhausted(prefix: String, year: Int)
    /// The previous number belongs to another series.
    case wrongSeries(InvoiceNumber, expectedPrefix: String)
    /// The new issue date is before the previous invoice's.
    case outOfChronology(last: InvoiceReference, issueDate: CivilDate)
    /// The number's year is not the issue date's year.
    case yearMismatch(InvoiceNumber, issueDate: CivilDate)

    public var description: String {
        switch self {
        case .malformed(let text):
            "\"\(text)\" is not an invoice number: expected a series prefix, the year and a 6-digit sequence, e.g. TR2026-000042"
        case .invalidPrefix(let prefix):
            "\"\(prefix)\" is not a series prefix: expected 1 to \(InvoiceNumber.maximumPrefixLength) upper-case letters or digits starting with a letter"
        case .yearOutOfRange(let year):
            "\(year) is not a 4-digit year"
        case .sequenceOutOfRange(let sequence):
            "\(sequence) is outside the sequence range 1…999999"
        case .exhausted(let prefix, let year):
            "series \(prefix) has used all 999999 numbers of \(year); configure a new series prefix"
        case .wrongSeries(let number, let expectedPrefix):
            "\(number) does not belong to series \(expectedPrefix)"
        case .outOfChronology(let last, let issueDate):
            "an invoice dated \(issueDate) cannot follow \(last.number) dated \(last.issueDate): numbers must follow the order of issue dates"
        case .yearMismatch(let number, let issueDate):
            "\(number) carries the year \(number.year) but the invoice is dated \(issueDate)"
        }
    }
}
