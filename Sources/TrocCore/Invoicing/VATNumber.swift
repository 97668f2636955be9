/// An intra-community VAT number of an EU member state, normalised (no separators, upper case) and checked.
///
/// French numbers are checked against their SIREN key. Every other state's number is checked against its
/// national format, and against its check digits where the algorithm is public and simple (see
/// `EUMemberState.vatChecksumIsVerified`): AT, BE, CY, DE, DK, EE, EL, ES, FI, HR, HU, IT, LT, LU, MT, NL,
/// PL, PT, RO, SE, SI. Bulgaria, Czechia, Ireland, Latvia and Slovakia are checked for format only, because
/// their numbers may be personal identity numbers with date-dependent rules. Whether a number is *registered*
/// is a VIES question, outside this pure core.
public struct VATNumber: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The member state that issued the number.
    public let memberState: EUMemberState
    /// The characters after the two-letter prefix.
    public let body: String

    /// Normalises (strips spaces, dots, dashes; upper-cases) and checks `text`, which must carry its prefix.
    ///
    /// `GR` is accepted for Greece and normalised to the official `EL`.
    public init(_ text: String) throws(VATNumberError) {
        let normalized = VATNumber.normalize(text)
        guard !normalized.isEmpty else { throw .empty }
        let prefix = String(normalized.prefix(2))
        guard let state = EUMemberState(vatPrefix: prefix) ?? (prefix == "GR" ? .greece : nil) else {
            throw .unknownPrefix(number: normalized)
        }
        let body = String(normalized.dropFirst(2))
        let number = state.vatPrefix + body
        switch VATNumberRules.check(Array(body.utf8), of: state) {
        case .valid: break
        case .wrongFormat: throw .wrongFormat(state, number: number, expected: state.vatFormat)
        case .wrongChecksum: throw .wrongChecksum(state, number: number)
        case .wrongFrenchKey(let expected): throw .wrongFrenchKey(number: number, expectedKey: expected)
        }
        self.memberState = state
        self.body = body
    }

    /// The full number, prefix included: `FR40303265045`.
    public var text: String { memberState.vatPrefix + body }

    /// The SIREN inside a French number, nil for other states.
    public var frenchSIREN: String? { memberState == .france ? String(body.suffix(9)) : nil }

    public var description: String { text }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try VATNumber(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    /// Drops the separators people type (spaces of any kind, dots, dashes) and upper-cases ASCII letters.
    static func normalize(_ text: String) -> String {
        let ignored: Set<Character> = [" ", ".", "-", "\t", "\u{00A0}", "\u{202F}"]
        return String(text.filter { !ignored.contains($0) }.uppercased())
    }
}

/// Why a VAT number was refused; each message names the number, the country and what to fix.
public enum VATNumberError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Nothing but separators was given.
    case empty
    /// The number does not start with the VAT prefix of a member state.
    case unknownPrefix(number: String)
    /// The characters after the prefix do not have the state's shape.
    case wrongFormat(EUMemberState, number: String, expected: String)
    /// The shape is right but the check digits do not match.
    case wrongChecksum(EUMemberState, number: String)
    /// A French number whose key does not match its SIREN.
    case wrongFrenchKey(number: String, expectedKey: String)

    public var description: String {
        switch self {
        case .empty:
            "the VAT number is empty: give it with its two-letter country prefix, e.g. FR40303265045"
        case .unknownPrefix(let number):
            "\"\(number)\" does not start with the VAT prefix of an EU member state ("
                + EUMemberState.allCases.map(\.vatPrefix).joined(separator: ", ") + "): give the number with its prefix"
        case .wrongFormat(let state, let number, let expected):
            "\"\(number)\" is not a VAT number of \(state.name): after \(state.vatPrefix) expected \(expected)"
        case .wrongChecksum(let state, let number):
            "\"\(number)\" is not a valid VAT number of \(state.name): its check digits do not match; look for a typing error"
        case .wrongFrenchKey(let number, let expectedKey):
            "\"\(number)\" is not a valid French VAT number: the key of SIREN \(number.suffix(9)) is \(expectedKey), "
                + "so the number should be FR\(expectedKey)\(number.suffix(9))"
        }
    }
}
