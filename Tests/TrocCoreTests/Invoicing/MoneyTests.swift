import Testing
import TrocCore

/// Integer-cent arithmetic, half-up rounding and the three amount formats.
@Suite struct MoneyTests {
    static let roundingCases: [(numerator: Int64, denominator: Int64, expected: Int64)] = [
        (25, 10, 3), (24, 10, 2), (26, 10, 3), (-25, 10, -3), (-24, 10, -2), (-26, 10, -3), (0, 7, 0), (1, 2, 1), (-1, 2, -1),
        (1, 3, 0), (2, 3, 1), (1_109_889, 1000, 1110), (1_109_499, 1000, 1109), (1_109_500, 1000, 1110), (Int64.max, 1, Int64.max),
        (Int64.max, Int64.max, 1), (Int64.max / 2, Int64.max, 0), (Int64.max / 2 + 1, Int64.max, 1), (Int64.min + 1, Int64.max, -1),
    ]

    @Test(arguments: roundingCases)
    func roundsHalfAwayFromZero(numerator: Int64, denominator: Int64, expected: Int64) {
        #expect(Money.roundedHalfUp(numerator: numerator, denominator: denominator) == expected)
    }

    static let formatCases: [(cents: Int64, decimal: String, french: String, fec: String)] = [
        (123_456, "1234.56", "1\u{202F}234,56\u{00A0}€", "1234,56"),
        (0, "0.00", "0,00\u{00A0}€", "0,00"),
        (5, "0.05", "0,05\u{00A0}€", "0,05"),
        (-5, "-0.05", "-0,05\u{00A0}€", "-0,05"),
        (100, "1.00", "1,00\u{00A0}€", "1,00"),
        (99_999, "999.99", "999,99\u{00A0}€", "999,99"),
        (123_456_789_012, "1234567890.12", "1\u{202F}234\u{202F}567\u{202F}890,12\u{00A0}€", "1234567890,12"),
        (-100_000_000, "-1000000.00", "-1\u{202F}000\u{202F}000,00\u{00A0}€", "-1000000,00"),
    ]

    @Test(arguments: formatCases)
    func formats(cents: Int64, decimal: String, french: String, fec: String) {
        let money = Money(cents: cents)
        #expect(money.decimalString == decimal)
        #expect(money.frenchString == french)
        #expect(money.fecString == fec)
        #expect(money.description == decimal)
    }

    static let scalingCases: [(cents: Int64, multiplier: Int64, divisor: Int64, expected: Int64)] = [
        (2500, 1, 1000, 3), (3333, 333, 1000, 1110), (3500, 10_000_000, 1000, 35_000_000), (3085, 500, 10_000, 154), (30, 500, 10_000, 2),
        (-30, 500, 10_000, -2), (1110, 2000, 10_000, 222), (-2500, 1, 1000, -3),
    ]

    @Test(arguments: scalingCases)
    func scalesWithHalfUpRounding(cents: Int64, multiplier: Int64, divisor: Int64, expected: Int64) {
        #expect(Money(cents: cents).scaled(by: multiplier, dividedBy: divisor) == Money(cents: expected))
    }

    @Test func addsSubtractsNegatesAndOrders() {
        let a = Money(cents: 1050)
        let b = Money(cents: 250)
        #expect(a + b == Money(cents: 1300))
        #expect(a - b == Money(cents: 800))
        #expect(-a == Money(cents: -1050))
        #expect(b < a)
        var total = Money.zero
        total += a
        #expect(total == a)
    }
}
