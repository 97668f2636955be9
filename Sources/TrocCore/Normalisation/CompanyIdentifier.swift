/// A French company identifier: a SIREN (9 digits, the company) or a SIRET (14 digits, one of its establishments).
public enum CompanyIdentifier: Hashable, Sendable, CustomStringConvertible {
    case siren(String)
    case siret(String)

    /// La Poste's SIREN, whose SIRETs follow a digit-sum rule instead of Luhn.
    static let laPosteSIREN: StaticString = "356000000"
    /// The SIRET of La Poste's head office, which (unlike its establishments) follows Luhn.
    static let laPosteHeadOffice: StaticString = "35600000000048"

    /// The 9-digit SIREN (the first 9 digits of a SIRET).
    public var siren: String {
        switch self {
        case .siren(let value): value
        case .siret(let value): String(value.prefix(9))
        }
    }

    /// The 14-digit SIRET, if this identifies an establishment.
    public var siret: String? {
        if case .siret(let value) = self { value } else { nil }
    }

    public var description: String {
        switch self {
        case .siren(let value): value
        case .siret(let value): value
        }
    }

    /// The outcome of normalising one value.
    enum Outcome: Equatable {
        case missing
        case siren
        case siret
        case rejected(RejectionReason)
    }

    /// Validates `raw` (digits with optional spaces, dots or dashes) and writes its digits to `output`.
    static func normalise(_ raw: UnsafeBufferPointer<UInt8>, into output: inout ByteScratch) -> Outcome {
        output.removeAll()
        let value = ByteText.trimmed(raw)
        guard !value.isEmpty else { return .missing }
        var index = 0
        while index < value.count {
            let byte = value[index]
            if ByteText.isDigit(byte) {
                guard output.count < 14 else { return .rejected(.siretLength) }
                output.append(byte)
            } else if byte == 0xC2, index + 1 < value.count, value[index + 1] == 0xA0 {
                index += 1
            } else if byte != ByteText.space && byte != UInt8(ascii: ".") && byte != UInt8(ascii: "-") {
                return .rejected(.siretInvalidCharacter)
            }
            index += 1
        }
        switch output.count {
        case 9:
            return luhn(output.bytes) ? .siren : .rejected(.siretChecksum)
        case 14:
            let digits = output.bytes
            // La Poste's establishments (not its head office, 356 000 000 00048) use a digit sum, not Luhn.
            if ByteText.hasPrefix(digits, laPosteSIREN) && !ByteText.hasPrefix(digits, laPosteHeadOffice) {
                let sum = digits.reduce(0) { $0 + Int($1 - 0x30) }
                return sum % 5 == 0 ? .siret : .rejected(.siretChecksum)
            }
            return luhn(digits) ? .siret : .rejected(.siretChecksum)
        default:
            return .rejected(.siretLength)
        }
    }

    /// The Luhn check over ASCII digits (every second digit from the right doubled).
    static func luhn(_ digits: UnsafeBufferPointer<UInt8>) -> Bool {
        var sum = 0
        var doubled = false
        var index = digits.count
        while index > 0 {
            index -= 1
            var digit = Int(digits[index] &- 0x30)
            if doubled {
                digit &*= 2
                if digit > 9 { digit &-= 9 }
            }
            sum &+= digit
            doubled.toggle()
        }
        return sum % 10 == 0
    }

    /// Parses and checks a SIREN or SIRET given as text, or says why it is not one.
    public static func parse(_ text: String) -> Result<CompanyIdentifier, RejectionReason> {
        ByteText.withBytes(of: text) { raw in
            var output = ByteScratch(capacity: 16)
            switch normalise(raw, into: &output) {
            case .missing: return .failure(.siretLength)
            case .rejected(let reason): return .failure(reason)
            case .siren: return .success(.siren(output.string))
            case .siret: return .success(.siret(output.string))
            }
        }
    }
}
