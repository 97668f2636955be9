/// Number and text formatting shared by the invoice renderers.
package enum FrenchText {
    /// A rate in basis points as a French decimal without trailing zeros: 2000 → `20`, 550 → `5,5`.
    package static func percentage(basisPoints: Int) -> String { decimal(basisPoints: basisPoints, separator: ",") }

    /// A rate in basis points as an XML decimal without trailing zeros: 2000 → `20`, 550 → `5.5`, 0 → `0`.
    package static func xmlPercentage(basisPoints: Int) -> String { decimal(basisPoints: basisPoints, separator: ".") }

    /// An integer with French thousands grouping (narrow no-break space): 12345 → `12 345`.
    package static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var result = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result += "\u{202F}" }
            result.append(digit)
        }
        return result
    }

    private static func decimal(basisPoints: Int, separator: String) -> String {
        let units = String(basisPoints / 100)
        var fraction = String(basisPoints % 100)
        if fraction.count == 1 { fraction = "0" + fraction }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? units : units + separator + fraction
    }
}

extension String {
    /// The text without leading and trailing white space.
    var trimmingSpaces: String {
        var characters = Substring(self)
        while characters.first?.isWhitespace == true { characters.removeFirst() }
        while characters.last?.isWhitespace == true { characters.removeLast() }
        return String(characters)
    }

    /// Exactly 9 ASCII digits, the shape of a SIREN.
    var isNineDigits: Bool { utf8.count == 9 && utf8.allSatisfy(\.isASCIIDigit) }

    /// Exactly 5 ASCII digits, the shape of a French postcode.
    var isFrenchPostcode: Bool { utf8.count == 5 && utf8.allSatisfy(\.isASCIIDigit) }

    /// 1 to 8 upper-case ASCII letters or digits starting with a letter, as invoice series prefixes are.
    var isSeriesPrefix: Bool {
        guard let first = utf8.first, (1...8).contains(utf8.count), first.isASCIIUppercase else { return false }
        return utf8.allSatisfy { $0.isASCIIUppercase || $0.isASCIIDigit }
    }
}

extension UInt8 {
    /// `0`…`9`.
    var isASCIIDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }

    /// `A`…`Z`.
    var isASCIIUppercase: Bool { self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z") }
}
