public import Crypto
import Foundation

extension RootHashingSecret {
    /// HKDF `info` of the key that seals console secrets (TOTP seeds) at rest.
    public static let consoleSecretKeyInfo = "troc/v1/console-secret-key"

    /// The AES-256-GCM key sealing the console's TOTP secrets in the database: HKDF-SHA256(secret, salt: empty,
    /// info: "troc/v1/console-secret-key"). Someone who reads the database but lacks the master key cannot open them.
    public func consoleSecretKey() -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, salt: Data(), info: Data(Self.consoleSecretKeyInfo.utf8), outputByteCount: 32)
    }
}
