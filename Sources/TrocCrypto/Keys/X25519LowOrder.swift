import Crypto

/// RFC 9180 §7.1.4 asks for X25519 Diffie-Hellman outputs to be checked against all-zero; swift-crypto 4.5.2 skips it.
enum X25519LowOrder {
    /// Whether the Diffie-Hellman output of `privateKey` and `publicKey` is all zero, i.e. `publicKey` has small order.
    static func isLowOrder(_ publicKey: Curve25519.KeyAgreement.PublicKey, with privateKey: Curve25519.KeyAgreement.PrivateKey) -> Bool {
        // Every clamped scalar is a multiple of 8, so the output is zero exactly when the point lies in the small subgroup.
        guard let shared = try? privateKey.sharedSecretFromKeyAgreement(with: publicKey) else { return true }
        return shared.withUnsafeBytes { bytes in bytes.allSatisfy { $0 == 0 } }
    }
}
