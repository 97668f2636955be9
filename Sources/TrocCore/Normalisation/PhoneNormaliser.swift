/// What kind of line a phone number reaches, as the quality rules and the report count them.
public enum PhoneClass: UInt8, Codable, Sendable, CaseIterable {
    case mobile = 1
    case landline = 2
    case voip = 3
    case special = 4
    case foreign = 5

    /// The name used in reports and JSON.
    public var name: String {
        switch self {
        case .mobile: "mobile"
        case .landline: "landline"
        case .voip: "voip"
        case .special: "special"
        case .foreign: "foreign"
        }
    }
}

/// A valid phone number in E.164 form with its class.
public struct NormalisedPhone: Hashable, Sendable {
    /// `+33612345678`.
    public var e164: String
    /// Mobile, landline, VoIP or foreign (special-rate numbers are rejected, never returned).
    public var phoneClass: PhoneClass
    /// Whether the number belongs to an overseas department or collectivity (+262, +590, +594, +596, +687, +689…).
    public var isOverseas: Bool
}

/// French numbering plan (and overseas) to E.164, per docs/RULES.md "Normalisation".
public enum PhoneNormaliser {
    /// The outcome of normalising one value.
    enum Outcome: Equatable {
        case missing
        case valid(PhoneClass, overseas: Bool)
        case rejected(RejectionReason)
    }

    /// Validates `raw` and writes `+` and the E.164 digits into `output` (capacity ≥ 24).
    static func normalise(_ raw: UnsafeBufferPointer<UInt8>, into output: inout ByteScratch) -> Outcome {
        output.removeAll()
        var number = DigitString()
        var plus = false
        var index = 0
        let value = ByteText.trimmed(raw)
        // Collect up to 20 digits, skipping the separators people type; "(0)" is the trunk prefix written after +33.
        while index < value.count {
            let byte = value[index]
            if ByteText.isDigit(byte) {
                guard number.count < 20 else { return .rejected(.phoneTooLong) }
                number.append(byte - 0x30)
            } else if byte == UInt8(ascii: "+") {
                guard number.count == 0, !plus else { return .rejected(.phoneInvalidCharacter) }
                plus = true
            } else if byte == UInt8(ascii: "("), index + 2 < value.count, value[index + 1] == UInt8(ascii: "0"),
                value[index + 2] == UInt8(ascii: ")"), number.count > 0
            {
                index += 2
            } else if byte == 0xC2, index + 1 < value.count, value[index + 1] == 0xA0 {
                index += 1
            } else if !isSeparator(byte) {
                return .rejected(.phoneInvalidCharacter)
            }
            index += 1
        }
        guard number.count > 0 else { return plus ? .rejected(.phoneTooShort) : .missing }

        if !plus {
            if number.hasPrefix("00") {
                number = number.dropping(2)
                plus = true
            } else if number.count == 9, number[0] != 0 {
                // Excel stores 06 12 34 56 78 as the number 612345678: put the trunk zero back.
                var restored = DigitString()
                restored.append(0)
                for position in 0..<number.count { restored.append(number[position]) }
                number = restored
            } else if number.count == 11, number.hasPrefix("33") {
                plus = true
            }
        }
        if plus {
            return international(number, into: &output)
        }
        guard number[0] == 0 else { return .rejected(number.count < 10 ? .phoneTooShort : .phoneTooLong) }
        guard number.count >= 10 else { return .rejected(.phoneTooShort) }
        guard number.count == 10 else { return .rejected(.phoneTooLong) }
        return national(number.dropping(1), into: &output)
    }

    /// A French national number without its trunk zero (9 digits).
    private static func national(_ subscriber: DigitString, into output: inout ByteScratch) -> Outcome {
        let prefix3 = subscriber.prefixValue(3)
        if let overseas = overseasDepartment(nationalPrefix: prefix3) {
            return finish(countryCode: overseas.code, subscriber: subscriber, phoneClass: overseas.phoneClass, overseas: true, into: &output)
        }
        let phoneClass: PhoneClass
        switch subscriber[0] {
        case 1...5: phoneClass = .landline
        case 6, 7: phoneClass = .mobile
        case 8: return .rejected(.phoneSpecialRate)
        case 9: phoneClass = .voip
        default: return .rejected(.phoneImplausible)
        }
        return finish(countryCode: "33", subscriber: subscriber, phoneClass: phoneClass, overseas: false, into: &output)
    }

    private static func international(_ number: DigitString, into output: inout ByteScratch) -> Outcome {
        guard number.count >= 4 else { return .rejected(.phoneTooShort) }
        if number.hasPrefix("33") {
            var subscriber = number.dropping(2)
            if subscriber.count == 10, subscriber[0] == 0 { subscriber = subscriber.dropping(1) }
            guard subscriber.count >= 9 else { return .rejected(.phoneTooShort) }
            guard subscriber.count == 9 else { return .rejected(.phoneTooLong) }
            return national(subscriber, into: &output)
        }
        for code: StaticString in ["262", "590", "594", "596"] where number.hasPrefix(code) {
            var subscriber = number.dropping(3)
            if subscriber.count == 10, subscriber[0] == 0 { subscriber = subscriber.dropping(1) }
            guard subscriber.count >= 9 else { return .rejected(.phoneTooShort) }
            guard subscriber.count == 9 else { return .rejected(.phoneTooLong) }
            let known = overseasDepartment(nationalPrefix: subscriber.prefixValue(3))
            return finish(
                countryCode: code, subscriber: subscriber, phoneClass: known?.phoneClass ?? .landline, overseas: true, into: &output)
        }
        for (code, length, mobileFirstDigits) in overseasCollectivities where number.hasPrefix(code) {
            let subscriber = number.dropping(code.utf8CodeUnitCount)
            guard subscriber.count >= length else { return .rejected(.phoneTooShort) }
            guard subscriber.count == length else { return .rejected(.phoneTooLong) }
            let phoneClass: PhoneClass = mobileFirstDigits.contains(subscriber[0]) ? .mobile : .landline
            return finish(countryCode: code, subscriber: subscriber, phoneClass: phoneClass, overseas: true, into: &output)
        }
        for length in 1...3 where number.count > length {
            let code = number.prefixValue(length)
            guard countryCodes[length - 1].contains(code) else { continue }
            let subscriber = number.dropping(length)
            guard number.count >= 8, subscriber.count >= 6 else { return .rejected(.phoneTooShort) }
            guard number.count <= 15 else { return .rejected(.phoneTooLong) }
            return finish(countryCode: code, subscriber: subscriber, phoneClass: .foreign, overseas: false, into: &output)
        }
        return .rejected(.phoneUnknownCountry)
    }

    private static func finish(
        countryCode: StaticString, subscriber: DigitString, phoneClass: PhoneClass, overseas: Bool, into output: inout ByteScratch
    ) -> Outcome {
        if subscriber.allSameDigit { return .rejected(.phoneImplausible) }
        output.append(UInt8(ascii: "+"))
        output.append(countryCode)
        subscriber.write(into: &output)
        return .valid(phoneClass, overseas: overseas)
    }

    private static func finish(
        countryCode: Int, subscriber: DigitString, phoneClass: PhoneClass, overseas: Bool, into output: inout ByteScratch
    ) -> Outcome {
        if subscriber.allSameDigit { return .rejected(.phoneImplausible) }
        output.append(UInt8(ascii: "+"))
        for byte in String(countryCode).utf8 { output.append(byte) }
        subscriber.write(into: &output)
        return .valid(phoneClass, overseas: overseas)
    }

    /// Characters people put between digits.
    @inline(__always)
    private static func isSeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }

    /// Overseas departments dialled as French national numbers: 0262 …, 0692 … → +262 262 …, +262 692 ….
    private static func overseasDepartment(nationalPrefix prefix: Int) -> (code: StaticString, phoneClass: PhoneClass)? {
        switch prefix {
        case 262, 263, 269: ("262", .landline)
        case 692, 693, 639: ("262", .mobile)
        case 590: ("590", .landline)
        case 690, 691: ("590", .mobile)
        case 594: ("594", .landline)
        case 694: ("594", .mobile)
        case 596: ("596", .landline)
        case 696, 697: ("596", .mobile)
        default: nil
        }
    }

    /// Overseas collectivities with their own plan: code, subscriber length, first digits of mobiles.
    private static let overseasCollectivities: [(StaticString, Int, Set<UInt8>)] = [
        ("687", 6, [7, 8, 9]),  // New Caledonia
        ("689", 8, [8]),  // French Polynesia (87, 88, 89)
        ("508", 6, [5]),  // Saint-Pierre-et-Miquelon
        ("681", 6, [8]),  // Wallis-et-Futuna
    ]

    /// ITU-T E.164 assigned country codes by length (1, 2, 3 digits).
    private static let countryCodes: [Set<Int>] = [
        [1, 7],
        [
            20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58, 60, 61, 62, 63, 64,
            65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
        ],
        Set(
            [
                211, 212, 213, 216, 218, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239,
                240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255, 256, 257, 258, 260, 261, 262, 263, 264,
                265, 266, 267, 268, 269, 290, 291, 297, 298, 299, 350, 351, 352, 353, 354, 355, 356, 357, 358, 359, 370, 371, 372, 373,
                374, 375, 376, 377, 378, 379, 380, 381, 382, 383, 385, 386, 387, 389, 420, 421, 423, 500, 501, 502, 503, 504, 505, 506,
                507, 508, 509, 590, 591, 592, 593, 594, 595, 596, 597, 598, 599, 670, 672, 673, 674, 675, 676, 677, 678, 679, 680, 681,
                682, 683, 685, 686, 687, 688, 689, 690, 691, 692, 850, 852, 853, 855, 856, 880, 886, 960, 961, 962, 963, 964, 965, 966,
                967, 968, 970, 971, 972, 973, 974, 975, 976, 977, 992, 993, 994, 995, 996, 998,
            ]),
    ]

    /// Normalises one number given as text (API, suppression entries, tests).
    public static func normalise(_ text: String) -> Result<NormalisedPhone, RejectionReason>? {
        ByteText.withBytes(of: text) { raw in
            var output = ByteScratch(capacity: 32)
            switch normalise(raw, into: &output) {
            case .missing: return nil
            case .rejected(let reason): return .failure(reason)
            case .valid(let phoneClass, let overseas):
                return .success(NormalisedPhone(e164: output.string, phoneClass: phoneClass, isOverseas: overseas))
            }
        }
    }
}

/// Up to 24 decimal digits on the stack, so that number juggling allocates nothing. Dropping leading digits moves
/// the start instead of copying what follows: a number is cut once or twice on its way to E.164.
private struct DigitString {
    private var digits = InlineArray<24, UInt8>(repeating: 0)
    private var start = 0
    private var end = 0

    init() {}

    var count: Int { end - start }

    mutating func append(_ digit: UInt8) {
        digits[end] = digit
        end += 1
    }

    subscript(position: Int) -> UInt8 { digits[start + position] }

    /// The digits after the first `leading` ones.
    func dropping(_ leading: Int) -> DigitString {
        var result = self
        result.start = min(start + leading, end)
        return result
    }

    /// Whether the digits start with the decimal digits of `prefix`.
    func hasPrefix(_ prefix: StaticString) -> Bool {
        guard prefix.utf8CodeUnitCount <= count else { return false }
        for position in 0..<prefix.utf8CodeUnitCount where self[position] != prefix.utf8Start[position] &- 0x30 { return false }
        return true
    }

    /// The first `length` digits as an integer.
    func prefixValue(_ length: Int) -> Int {
        var value = 0
        for position in 0..<min(length, count) { value = value * 10 + Int(self[position]) }
        return value
    }

    var allSameDigit: Bool {
        (1..<max(1, count)).allSatisfy { self[$0] == self[0] }
    }

    /// Writes the digits as ASCII.
    func write(into output: inout ByteScratch) {
        for position in start..<end { output.append(0x30 &+ digits[position]) }
    }
}
