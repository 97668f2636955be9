/// The three kinds of match key (docs/RULES.md "Privacy-preserving overlap and dedupe"): two rows are the same contact if any key matches.
public enum MatchKeyKind: Int, CaseIterable, Sendable, Codable {
    case email = 0
    case phone = 1
    case siret = 2

    /// The name used in reports and JSON.
    public var name: String {
        switch self {
        case .email: "email"
        case .phone: "phone"
        case .siret: "siret"
        }
    }
}

/// A keyed hash of a canonical email, E.164 phone or SIRET: the first 128 bits of its HMAC-SHA-256.
///
/// Match keys are never compared or stored in clear; this is the only form the engine and the
/// store ever hold.
public struct MatchKey: Hashable, Comparable, Sendable {
    /// The first 64 bits of the HMAC, big-endian.
    public var high: UInt64
    /// The next 64 bits of the HMAC, big-endian.
    public var low: UInt64

    /// A key from its two halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// A key from the first 16 bytes of a digest.
    public init(digest: some Collection<UInt8>) {
        precondition(digest.count >= 16, "a match key needs 16 bytes of digest")
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in digest.prefix(16).enumerated() {
            if index < 8 {
                high = high << 8 | UInt64(byte)
            } else {
                low = low << 8 | UInt64(byte)
            }
        }
        self.init(high: high, low: low)
    }

    /// The 16 bytes, big-endian, as stored.
    public var bytes: [UInt8] {
        (0..<16).map { index in
            let word = index < 8 ? high : low
            return UInt8(truncatingIfNeeded: word >> (8 * (7 - UInt64(index % 8))))
        }
    }

    public static func < (lhs: MatchKey, rhs: MatchKey) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}

/// Computes match keys from canonical values. `TrocCrypto` provides the HMAC-SHA-256 implementation;
/// Core only states what it needs, so it stays free of key material and randomness.
public protocol MatchKeyHasher: Sendable {
    /// The keyed hash of the canonical bytes of a value of the given kind.
    func matchKey(_ kind: MatchKeyKind, of canonical: UnsafeRawBufferPointer) -> MatchKey

    /// The keyed hashes of two values at once (a row's email and phone): the same as two calls, which an
    /// implementation may overlap.
    func matchKeys(
        _ first: MatchKeyKind, of firstCanonical: UnsafeRawBufferPointer, _ second: MatchKeyKind, of secondCanonical: UnsafeRawBufferPointer
    ) -> (MatchKey, MatchKey)
}

extension MatchKeyHasher {
    /// Two calls, one after the other.
    public func matchKeys(
        _ first: MatchKeyKind, of firstCanonical: UnsafeRawBufferPointer, _ second: MatchKeyKind, of secondCanonical: UnsafeRawBufferPointer
    ) -> (MatchKey, MatchKey) {
        (matchKey(first, of: firstCanonical), matchKey(second, of: secondCanonical))
    }

    /// The keyed hash of a canonical value given as a string (tests, suppression entries).
    public func matchKey(_ kind: MatchKeyKind, of canonical: String) -> MatchKey {
        var text = canonical
        return text.withUTF8 { matchKey(kind, of: UnsafeRawBufferPointer($0)) }
    }
}
