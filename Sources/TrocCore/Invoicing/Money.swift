/// An amount of euros held as integer cents, so that sums and comparisons are exact.
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The amount in cents (negative for amounts owed the other way).
    public var cents: Int64

    /// The amount of `cents` cents.
    public init(cents: Int64) {
        self.cents = cents
    }

    /// Zero euros.
    public static let zero = Money(cents: 0)

    /// `numerator / denominator` rounded to the nearest integer, halves away from zero
    /// (2.5 → 3, −2.5 → −3), the rounding French invoices use for every amount.
    public static func roundedHalfUp(numerator: Int64, denominator: Int64) -> Int64 {
        precondition(denominator > 0, "the denominator of a rounding must be positive")
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        // The remainder is smaller than the denominator, so doubling its magnitude fits in UInt64.
        guard remainder.magnitude * 2 >= denominator.magnitude else { return quotient }
        return numerator < 0 ? quotient - 1 : quotient + 1
    }

    /// This amount times `multiplier / divisor`, rounded half away from zero to the cent.
    ///
    /// The product must fit in 64 bits; the bounds on deals (`DealFigures.maximumAddresses`) and prices
    /// (`BrokerInvoicingSettings.priceCeiling`) keep every product of the invoicing arithmetic far below that.
    public func scaled(by multiplier: Int64, dividedBy divisor: Int64) -> Money {
        Money(cents: Money.roundedHalfUp(numerator: cents * multiplier, denominator: divisor))
    }

    /// `1234.56`, `-0.05`: the form XML, JSON and CSV use (dot, no grouping).
    public var decimalString: String { formatted(decimalSeparator: ".", groupingSeparator: nil) }

    /// `1 234,56 €`: the French form for people, with a narrow no-break space between thousands and a
    /// no-break space before the sign, as French typography (and `fr_FR` number formatting) writes it.
    public var frenchString: String { formatted(decimalSeparator: ",", groupingSeparator: "\u{202F}") + "\u{00A0}€" }

    /// `1234,56`: the form of the FEC's Debit and Credit columns (comma, no grouping).
    public var fecString: String { formatted(decimalSeparator: ",", groupingSeparator: nil) }

    public var description: String { decimalString }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.cents < rhs.cents }

    public static func + (lhs: Money, rhs: Money) -> Money { Money(cents: lhs.cents + rhs.cents) }

    public static func - (lhs: Money, rhs: Money) -> Money { Money(cents: lhs.cents - rhs.cents) }

    public static prefix func - (amount: Money) -> Money { Money(cents: -amount.cents) }

    public static func += (lhs: inout Money, rhs: Money) { lhs.cents += rhs.cents }

    public init(from decoder: any Decoder) throws {
        cents = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(cents)
    }

    private func formatted(decimalSeparator: String, groupingSeparator: String?) -> String {
        let magnitude = cents.magnitude
        let units = String(magnitude / 100)
        let fraction = magnitude % 100
        var grouped = ""
        if let groupingSeparator {
            for (index, digit) in units.enumerated() {
                if index > 0, (units.count - index) % 3 == 0 { grouped += groupingSeparator }
                grouped.append(digit)
            }
        } else {
            grouped = units
        }
        return (cents < 0 ? "-" : "") + grouped + decimalSeparator + (fraction < 10 ? "0" : "") + String(fraction)
    }
}
