/// Why a key file could not be read; each case says what is wrong and what to do.
public enum KeyFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No `-----BEGIN <label>-----` ... `-----END <label>-----` block was found.
    case noPEMBlock(expectedLabel: String)
    /// A PEM block with another label was found.
    case wrongPEMLabel(found: String, expected: String)
    /// The private key is a password-protected PKCS#8 key.
    case encryptedPrivateKey
    /// The PEM body is not valid base64.
    case invalidBase64
    /// The key is for another algorithm (e.g. Ed25519, which signs but cannot receive HPKE envelopes).
    case notX25519(algorithm: String)
    /// The DER structure is not the RFC 8410 form of an X25519 key.
    case malformedDER(byteCount: Int)
    /// Raw key bytes are not 32 bytes long.
    case invalidRawKeyLength(Int)
    /// The public key is a low-order point: every envelope sealed to it would be readable by anyone.
    case lowOrderPublicKey

    public var description: String {
        switch self {
        case .noPEMBlock(let label):
            "no PEM block found: expected a \"-----BEGIN \(label)-----\" line; is this the right file?"
        case .wrongPEMLabel(let found, let expected):
            "the PEM block is labelled \"\(found)\", expected \"\(expected)\"; "
                + (expected == "PUBLIC KEY" ? "pass the public key file, not the private one" : "pass the private key file, not the public one")
        case .encryptedPrivateKey:
            "the private key is password-protected (ENCRYPTED PRIVATE KEY); export it unencrypted as PKCS#8 and protect the file with permissions (0600)"
        case .invalidBase64:
            "the PEM body is not valid base64: the file is damaged or was edited"
        case .notX25519(let algorithm):
            "the key is \(algorithm), not X25519 (OID 1.3.101.110); create an X25519 key pair with `troc keygen` "
                + "or `openssl genpkey -algorithm X25519`"
        case .malformedDER(let byteCount):
            "the key's DER (\(byteCount) bytes) is not an RFC 8410 X25519 key: expected a 44-byte SubjectPublicKeyInfo "
                + "or a 48-byte PKCS#8 PrivateKeyInfo"
        case .invalidRawKeyLength(let count):
            "an X25519 key is 32 bytes, got \(count)"
        case .lowOrderPublicKey:
            "the public key is a low-order X25519 point, which would let anyone read what is sealed to it; "
                + "generate a new key pair with `troc keygen`"
        }
    }
}
