/// The NAF nomenclature a code belongs to: NAF rév. 2 (2008) or NAF 2025 (décret n° 2025-736, the APE code's
/// nomenclature from 1 January 2027). Their sub-class codes share the shape `NN.NNX` but never a suffix letter:
/// rév. 2 ends in `A`–`F` or `Z`, NAF 2025 in `Y` or `G`–`L`.
public enum NAFNomenclature: String, Codable, Sendable, CaseIterable, Comparable {
    /// NAF rév. 2, décret n° 2007-1888.
    case rev2
    /// NAF 2025, décret n° 2025-736.
    case naf2025

    /// Its name in messages: `NAF rév. 2`, `NAF 2025`.
    public var name: String {
        switch self {
        case .rev2: "NAF rév. 2"
        case .naf2025: "NAF 2025"
        }
    }

    /// The other nomenclature, reached through INSEE's correspondence table.
    public var other: NAFNomenclature {
        switch self {
        case .rev2: .naf2025
        case .naf2025: .rev2
        }
    }

    public static func < (lhs: NAFNomenclature, rhs: NAFNomenclature) -> Bool {
        lhs == .rev2 && rhs == .naf2025
    }
}
