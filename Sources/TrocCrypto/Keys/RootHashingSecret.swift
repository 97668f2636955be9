public import Crypto
import Foundation

/// The broker's root hashing secret (32 random bytes, stored wrapped by the master key), from which match keys derive.
public struct RootHashingSecret: Sendable {
    /// HKDF `info` prefix of a deal's match key; the deal id follows after a 0x00 byte.
    public static let dealMatchKeyInfo = "troc/v1/deal-match-key"
    /// HKDF `info` of the suppression-list key.
    public static let suppressionKeyInfo = "troc/v1/suppression-key"
    /// HKDF `info` of the key that MACs the audit trail.
    public static let auditKeyInfo = "troc/v1/audit-key"
    /// HKDF `info` of the key of the record of who received whom.
    public static let recipientKeyInfo = "troc/v1/recipient-key"
    /// HKDF `info` prefix of a deal's noise key; the deal id follows after a 0x00 byte.
    public static let dealNoiseKeyInfo = "troc/v1/deal-noise-key"

    /// The 256-bit secret.
    let key: SymmetricKey

    /// A new random secret, created once per broker.
    public static func generate() -> RootHashingSecret {
        RootHashingSecret(key: SymmetricKey(size: .bits256))
    }

    /// The HMAC key for matching contacts within deal `dealID`: HKDF-SHA256(secret, salt: empty, info: "troc/v1/deal-match-key" 0x00 dealID).
    public func dealMatchKey(dealID: String) -> SymmetricKey {
        derive(info: Data(Self.dealMatchKeyInfo.utf8) + [0] + Data(dealID.utf8))
    }

    /// The key the noise of deal `dealID`'s partner figures is drawn from: HKDF-SHA256(secret, salt: empty,
    /// info: "troc/v1/deal-noise-key" 0x00 dealID). Partners never see it, so they cannot subtract the noise, and it
    /// never changes, so asking again gives the same figures.
    public func dealNoiseKey(dealID: String) -> SymmetricKey {
        derive(info: Data(Self.dealNoiseKeyInfo.utf8) + [0] + Data(dealID.utf8))
    }

    /// The HMAC key for the broker-wide suppression list: HKDF-SHA256(secret, salt: empty, info: "troc/v1/suppression-key").
    public func suppressionKey() -> SymmetricKey {
        derive(info: Data(Self.suppressionKeyInfo.utf8))
    }

    /// The HMAC key of the record of which deliveries carried which email, phone or SIRET (for erasure notices):
    /// HKDF-SHA256(secret, salt: empty, info: "troc/v1/recipient-key"). Apart from the suppression key, so neither
    /// table's hashes can be joined with the other's.
    public func recipientKey() -> SymmetricKey {
        derive(info: Data(Self.recipientKeyInfo.utf8))
    }

    /// The HMAC key chaining the audit trail: HKDF-SHA256(secret, salt: empty, info: "troc/v1/audit-key").
    /// Someone who can write the database but lacks the master key cannot forge entries.
    public func auditKey() -> SymmetricKey {
        derive(info: Data(Self.auditKeyInfo.utf8))
    }

    /// A 32-byte HKDF-SHA256 output; the salt is empty because the secret is already uniformly random.
    private func derive(info: Data) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, salt: Data(), info: info, outputByteCount: 32)
    }
}
