/// The national shapes and check-digit algorithms of EU VAT numbers, on the ASCII bytes after the prefix.
///
/// The algorithms are the published ones, as implemented by python-stdnum (`stdnum.<country>.vat` and
/// friends), against which they were cross-checked.
enum VATNumberRules {
    /// The verdict on a number body.
    enum Verdict: Equatable {
        case valid
        case wrongFormat
        case wrongChecksum
        case wrongFrenchKey(expected: String)
    }

    /// Checks `body` (the bytes after the prefix) against the rules of `state`.
    static func check(_ body: [UInt8], of state: EUMemberState) -> Verdict {
        switch state {
        case .austria: austria(body)
        case .belgium: belgium(body)
        case .bulgaria: digits(body, counts: [9, 10]) == nil ? .wrongFormat : .valid
        case .cyprus: cyprus(body)
        case .czechia: digits(body, counts: [8, 9, 10]) == nil ? .wrongFormat : .valid
        case .germany: germany(body)
        case .denmark: weighted(body, firstNonZero: true, weights: [2, 7, 6, 5, 4, 3, 2, 1], modulus: 11)
        case .estonia: weighted(body, firstNonZero: false, weights: [3, 7, 1, 3, 7, 1, 3, 7, 1], modulus: 10)
        case .spain: spain(body)
        case .finland: weighted(body, firstNonZero: false, weights: [7, 9, 10, 5, 8, 4, 2, 1], modulus: 11)
        case .france: france(body)
        case .greece: greece(body)
        case .croatia: croatia(body)
        case .hungary: weighted(body, firstNonZero: false, weights: [9, 7, 3, 1, 9, 7, 3, 1], modulus: 10)
        case .ireland: ireland(body)
        case .italy: italy(body)
        case .lithuania: lithuania(body)
        case .luxembourg: luxembourg(body)
        case .latvia: digits(body, counts: [11]) == nil ? .wrongFormat : .valid
        case .malta: weighted(body, firstNonZero: true, weights: [3, 4, 6, 7, 8, 9, 10, 1], modulus: 37)
        case .netherlands: netherlands(body)
        case .poland: weighted(body, firstNonZero: false, weights: [6, 5, 7, 2, 3, 4, 5, 6, 7, -1], modulus: 11)
        case .portugal: portugal(body)
        case .romania: romania(body)
        case .sweden: sweden(body)
        case .slovenia: slovenia(body)
        case .slovakia: (digits(body, counts: [10])?.first ?? 0) == 0 ? .wrongFormat : .valid
        }
    }

    /// The two-digit key of a French VAT number: (12 + 3 × (SIREN mod 97)) mod 97.
    static func frenchKey(siren: [UInt8]) -> String {
        let value = siren.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        let key = (12 + 3 * (value % 97)) % 97
        return (key < 10 ? "0" : "") + String(key)
    }

    private static func austria(_ body: [UInt8]) -> Verdict {
        guard body.first == UInt8(ascii: "U"), let d = digits(body.dropFirst(), counts: [8]) else { return .wrongFormat }
        let check = ((6 - luhnChecksum(d[0..<7])) % 10 + 10) % 10
        return check == d[7] ? .valid : .wrongChecksum
    }

    private static func belgium(_ body: [UInt8]) -> Verdict {
        guard let d = digits(body, counts: [10]), d[0] <= 1 else { return .wrongFormat }
        return (number(d[0..<8]) + number(d[8..<10])) % 97 == 0 ? .valid : .wrongChecksum
    }

    private static func cyprus(_ body: [UInt8]) -> Verdict {
        guard body.count == 9, let d = digits(body[0..<8], counts: [8]), let letter = body.last, isLetter(letter),
            !(d[0] == 1 && d[1] == 2)
        else { return .wrongFormat }
        let translation = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21]
        var sum = 0
        for (index, digit) in d.enumerated() { sum += index % 2 == 0 ? translation[digit] : digit }
        return letter == UInt8(ascii: "A") + UInt8(sum % 26) ? .valid : .wrongChecksum
    }

    private static func germany(_ body: [UInt8]) -> Verdict {
        guard let d = digits(body, counts: [9]), d[0] != 0 else { return .wrongFormat }
        return iso7064Mod11Mod10(d) ? .valid : .wrongChecksum
    }

    private static func spain(_ body: [UInt8]) -> Verdict {
        guard body.count == 9, let middle = digits(body[1..<8], counts: [7]) else { return .wrongFormat }
        let first = body[0]
        let last = body[8]
        let dniLetters = Array("TRWAGMYFPDXBNJZSQVHLCKE".utf8)
        if isDigit(first) {
            // DNI of a resident person: 8 digits and a letter.
            return isLetter(last)
                ? (last == dniLetters[(Int(first - UInt8(ascii: "0")) * 10_000_000 + number(middle[...])) % 23] ? .valid : .wrongChecksum)
                : .wrongFormat
        }
        if let index = Array("XYZ".utf8).firstIndex(of: first) {
            // NIE of a foreigner: X, Y, Z stand for 0, 1, 2 in front of the DNI computation.
            return isLetter(last) ? (last == dniLetters[(index * 10_000_000 + number(middle[...])) % 23] ? .valid : .wrongChecksum) : .wrongFormat
        }
        if Array("KLM".utf8).contains(first) {
            return isLetter(last) ? (last == dniLetters[number(middle[...]) % 23] ? .valid : .wrongChecksum) : .wrongFormat
        }
        guard Array("ABCDEFGHJNPQRSUVW".utf8).contains(first) else { return .wrongFormat }
        // CIF of a company: its control character is a Luhn digit, or the letter of the same rank in JABCDEFGHI.
        let control = (10 - luhnChecksum((middle + [0])[...])) % 10
        let controlLetter = Array("JABCDEFGHI".utf8)[control]
        return last == UInt8(ascii: "0") + UInt8(control) || last == controlLetter ? .valid : .wrongChecksum
    }

    private static func france(_ body: [UInt8]) -> Verdict {
        guard let d = digits(body, counts: [11]) else { return .wrongFormat }
        let expected = frenchKey(siren: Array(body[2..<11]))
        return number(d[0..<2]) == Int(expected) ? .valid : .wrongFrenchKey(expected: expected)
    }

    private static func greece(_ body: [UInt8]) -> Verdict {
        guard let d = digits(body, counts: [9]) else { return .wrongFormat }
        let folded = d[0..<8].reduce(0) { $0 * 2 + $1 }
        return folded * 2 % 11 % 10 == d[8] ? .valid : .wrongChecksum
    }

    private static func croatia(_ body: [UInt8]) -> Verdict {
        guard let d = digits(body, counts: [11]) else { return .wrongFormat }
        return iso7064Mod11Mod10(d) ? .valid : .wrongChecksum
    }

    private static func ireland(_ body: [UInt8]) -> Verdict {
        guard body.count == 8 || body.count == 9 else { return .wrongFormat }
        // Current form: 7 digits and 1 or 2 letters.
        if digits(body[0..<7], counts: [7]) != nil, body[7...].allSatisfy(isLetter) { return .valid }
        // Older form: a digit, a letter (or + or *), 5 digits, a letter.
        let second = body[1]
        if body.count == 8, isDigit(body[0]), isLetter(second) || second == UInt8(ascii: "+") || second == UInt8(ascii: "*"),
            digits(body[2..<7], counts: [5]) != nil, isLetter(body[7])
        {
            return .valid
        }
        return .wrongFormat
    }

    private static func italy(_ body: [UInt8]) -> Verdict {
        guard let d = digits(body, counts: [11]), number(d[0..<7]) != 0 else { return .wrongFormat }
        let office = number(d[7..<10])
        guard (1...100).contains(office) || [120, 121, 888, 999].contains(office) else { return .wrongFormat }
        return luhnChecksum(d[...]) == 0 ? .valid : .wrongChecksum
    }

    private static func lithuania(_ body: [UInt8]) -> Verdict {
        guard let d = digits(body, counts: [9, 12]), d[d.count - 2] == 1 else { return .wrongFormat }
        let payload = d.dropLast()
        var check = 0
        for (index, digit) in payload.enumerated() { check += (1 + index % 9) * digit }
        check %= 11
        if check == 10 {
            check = 0
            for (index, digit) in payload.enumerated() { check += (1 + (index + 2) % 9) * digit }
        }
        return check % 11 % 10 == d[d.count - 1] ? .valid : .wrongChecksum
    }

    private static func luxembourg(_ body: [UInt8]) -> Verdict {
        guard let d = digits(body, counts: [8]) else { return .wrongFormat }
        return number(d[0..<6]) % 89 == number(d[6..<8]) ? .valid : .wrongChecksum
    }

    private static func netherlands(_ body: [UInt8]) -> Verdict {
        guard body.count == 12, body[9] == UInt8(ascii: "B"), let d = digits(body[0..<9], counts: [9]),
            let suffix = digits(body[10..<12], counts: [2]), number(d[...]) > 0, number(suffix[...]) > 0
        else { return .wrongFormat }
        // Company numbers use the 11-test of the RSIN; sole traders' numbers since 2020 use ISO 7064 mod 97-10 over "NL" + body.
        var elevenTest = -d[8]
        for index in 0..<8 { elevenTest += (9 - index) * d[index] }
        var remainder = 0
        for byte in Array("NL".utf8) + body {
            let value = isDigit(byte) ? Int(byte - UInt8(ascii: "0")) : Int(byte - UInt8(ascii: "A")) + 10
            remainder = (remainder * (value < 10 ? 10 : 100) + value) % 97
        }
        return elevenTest % 11 == 0 || remainder == 1 ? .valid : .wrongChecksum
    }

    private static func portugal(_ body: [UInt8]) -> Verdict {
        guard let d = digits(body, counts: [9]), d[0] != 0 else { return .wrongFormat }
        var sum = 0
        for index in 0..<8 { sum += (9 - index) * d[index] }
        return (11 - sum % 11) % 11 % 10 == d[8] ? .valid : .wrongChecksum
    }

    private static func romania(_ body: [UInt8]) -> Verdict {
        guard let d = digits(body, counts: Array(2...10)), d[0] != 0 else { return .wrongFormat }
        let payload = Array(repeating: 0, count: 10 - d.count) + d.dropLast()
        let weights = [7, 5, 3, 2, 1, 7, 5, 3, 2]
        let sum = zip(weights, payload).reduce(0) { $0 + $1.0 * $1.1 }
        return 10 * sum % 11 % 10 == d[d.count - 1] ? .valid : .wrongChecksum
    }

    private static func sweden(_ body: [UInt8]) -> Verdict {
        guard let d = digits(body, counts: [12]), d[10] == 0, d[11] == 1 else { return .wrongFormat }
        return luhnChecksum(d[0..<10]) == 0 ? .valid : .wrongChecksum
    }

    private static func slovenia(_ body: [UInt8]) -> Verdict {
        guard let d = digits(body, counts: [8]), d[0] != 0 else { return .wrongFormat }
        var sum = 0
        for index in 0..<7 { sum += (8 - index) * d[index] }
        let check = 11 - sum % 11
        // A remainder of 0 would need the check digit 11: such numbers are never issued.
        return check != 11 && check % 10 == d[7] ? .valid : .wrongChecksum
    }

    private static func weighted(_ body: [UInt8], firstNonZero: Bool, weights: [Int], modulus: Int) -> Verdict {
        guard let d = digits(body, counts: [weights.count]), !firstNonZero || d[0] != 0 else { return .wrongFormat }
        let sum = zip(weights, d).reduce(0) { $0 + $1.0 * $1.1 }
        return sum % modulus == 0 ? .valid : .wrongChecksum
    }

    /// The Luhn checksum of a digit string: 0 for a valid one.
    private static func luhnChecksum(_ d: ArraySlice<Int>) -> Int {
        var sum = 0
        for (offset, digit) in d.reversed().enumerated() {
            let value = offset % 2 == 0 ? digit : digit * 2
            sum += value / 10 + value % 10
        }
        return sum % 10
    }

    /// ISO 7064 MOD 11,10 (hybrid system), used by Germany and Croatia.
    private static func iso7064Mod11Mod10(_ d: [Int]) -> Bool {
        var check = 5
        for digit in d { check = ((check == 0 ? 10 : check) * 2 % 11 + digit) % 10 }
        return check == 1
    }

    /// The digits of `bytes` if they are all ASCII digits and their count is one of `counts`.
    private static func digits(_ bytes: some Collection<UInt8>, counts: [Int]) -> [Int]? {
        guard counts.contains(bytes.count), bytes.allSatisfy(isDigit) else { return nil }
        return bytes.map { Int($0 - UInt8(ascii: "0")) }
    }

    private static func number(_ d: ArraySlice<Int>) -> Int { d.reduce(0) { $0 * 10 + $1 } }

    private static func isDigit(_ byte: UInt8) -> Bool { byte.isASCIIDigit }

    private static func isLetter(_ byte: UInt8) -> Bool { byte.isASCIIUppercase }
}

extension EUMemberState {
    /// Whether `VATNumber` verifies this state's check digits, not only the shape of its numbers.
    public var vatChecksumIsVerified: Bool {
        switch self {
        case .bulgaria, .czechia, .ireland, .latvia, .slovakia: false
        default: true
        }
    }

    /// The shape of this state's VAT numbers after the prefix, as error messages state it.
    public var vatFormat: String {
        switch self {
        case .austria: "U and 8 digits (ATU12345678)"
        case .belgium: "10 digits starting with 0 or 1"
        case .bulgaria: "9 or 10 digits"
        case .cyprus: "8 digits and a letter, not starting with 12"
        case .czechia: "8, 9 or 10 digits"
        case .germany: "9 digits, the first not 0"
        case .denmark: "8 digits, the first not 0"
        case .estonia: "9 digits"
        case .spain: "9 characters: a letter or digit, 7 digits, a letter or digit"
        case .finland: "8 digits"
        case .france: "a 2-digit key and the 9-digit SIREN"
        case .greece: "9 digits"
        case .croatia: "11 digits"
        case .hungary: "8 digits"
        case .ireland: "7 digits and 1 or 2 letters"
        case .italy: "11 digits, digits 8 to 10 a valid office code"
        case .lithuania: "9 or 12 digits, the last but one being 1"
        case .luxembourg: "8 digits"
        case .latvia: "11 digits"
        case .malta: "8 digits, the first not 0"
        case .netherlands: "9 digits, B and 2 digits (NL123456789B01)"
        case .poland: "10 digits"
        case .portugal: "9 digits, the first not 0"
        case .romania: "2 to 10 digits, the first not 0"
        case .sweden: "12 digits ending in 01"
        case .slovenia: "8 digits, the first not 0"
        case .slovakia: "10 digits, the first not 0"
        }
    }
}
