import Crypto

/// The AEAD a sender chooses for an envelope; the opener follows what the header states.
public enum EnvelopeAEAD: Sendable, Hashable, CaseIterable {
    /// AES-256-GCM (RFC 9180 AEAD id 0x0002): the default, fastest where AES instructions exist.
    case aesGCM256
    /// ChaCha20-Poly1305 (RFC 9180 AEAD id 0x0003): for senders without AES hardware.
    case chaChaPoly

    /// The RFC 9180 AEAD identifier written in the header.
    public var identifier: UInt16 {
        switch self {
        case .aesGCM256: 0x0002
        case .chaChaPoly: 0x0003
        }
    }

    /// The AEAD with this RFC 9180 identifier, if the envelope format supports it.
    public init?(identifier: UInt16) {
        guard let aead = Self.allCases.first(where: { $0.identifier == identifier }) else { return nil }
        self = aead
    }

    /// The swift-crypto ciphersuite: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and this AEAD.
    var ciphersuite: HPKE.Ciphersuite {
        switch self {
        case .aesGCM256: HPKE.Ciphersuite(kem: .Curve25519_HKDF_SHA256, kdf: .HKDF_SHA256, aead: .AES_GCM_256)
        case .chaChaPoly: HPKE.Ciphersuite(kem: .Curve25519_HKDF_SHA256, kdf: .HKDF_SHA256, aead: .chaChaPoly)
        }
    }
}
