import Crypto
public import Foundation

/// An X25519 private key that opens envelopes (a firm's, or the broker's); it never leaves its owner's machine.
public struct EnvelopePrivateKey: Sendable {
    /// PEM label of the PKCS#8 form.
    public static let pemLabel = "PRIVATE KEY"

    /// The swift-crypto key.
    let key: Curve25519.KeyAgreement.PrivateKey

    /// A new random key pair.
    public static func generate() -> EnvelopePrivateKey {
        EnvelopePrivateKey(key: Curve25519.KeyAgreement.PrivateKey())
    }

    /// Wraps a swift-crypto key.
    init(key: Curve25519.KeyAgreement.PrivateKey) {
        self.key = key
    }

    /// The key from its 32 raw bytes (RFC 7748 scalar, as in RFC 9180 test vectors).
    public init(rawRepresentation: some ContiguousBytes) throws(KeyFileError) {
        let bytes = rawRepresentation.withUnsafeBytes { Array($0) }
        guard bytes.count == X25519DER.keyByteCount, let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: bytes) else {
            throw .invalidRawKeyLength(bytes.count)
        }
        self.key = key
    }

    /// Reads a PKCS#8 `PRIVATE KEY` PEM block (as written by `pemText`, OpenSSL or Python's `cryptography`).
    public init(pemText: String) throws(KeyFileError) {
        let der = try PEM.decode(pemText, label: Self.pemLabel)
        try self.init(rawRepresentation: try X25519DER.rawKey(from: der, prefix: X25519DER.privateKeyPrefix))
    }

    /// The 32 raw key bytes.
    public var rawRepresentation: Data { key.rawRepresentation }

    /// The PKCS#8 PEM text of the key, for a 0600 key file.
    public var pemText: String {
        PEM.encode(X25519DER.privateKeyPrefix + Array(key.rawRepresentation), label: Self.pemLabel)
    }

    /// The matching public key, to publish or register.
    public var publicKey: EnvelopePublicKey { EnvelopePublicKey(key: key.publicKey) }
}

/// An X25519 public key that senders seal envelopes to.
public struct EnvelopePublicKey: Sendable, Hashable {
    /// PEM label of the SubjectPublicKeyInfo form.
    public static let pemLabel = "PUBLIC KEY"

    /// The swift-crypto key.
    let key: Curve25519.KeyAgreement.PublicKey

    /// Wraps a swift-crypto key.
    init(key: Curve25519.KeyAgreement.PublicKey) {
        self.key = key
    }

    /// The key from its 32 raw bytes; a low-order point is refused.
    public init(rawRepresentation: some ContiguousBytes) throws(KeyFileError) {
        let bytes = rawRepresentation.withUnsafeBytes { Array($0) }
        guard bytes.count == X25519DER.keyByteCount, let key = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: bytes) else {
            throw .invalidRawKeyLength(bytes.count)
        }
        guard !X25519LowOrder.isLowOrder(key, with: Curve25519.KeyAgreement.PrivateKey()) else { throw .lowOrderPublicKey }
        self.key = key
    }

    /// Reads a SubjectPublicKeyInfo `PUBLIC KEY` PEM block; a low-order point is refused.
    public init(pemText: String) throws(KeyFileError) {
        let der = try PEM.decode(pemText, label: Self.pemLabel)
        try self.init(rawRepresentation: try X25519DER.rawKey(from: der, prefix: X25519DER.publicKeyPrefix))
    }

    /// The 32 raw key bytes.
    public var rawRepresentation: Data { key.rawRepresentation }

    /// The DER SubjectPublicKeyInfo bytes.
    public var derRepresentation: Data { Data(X25519DER.publicKeyPrefix + Array(key.rawRepresentation)) }

    /// The SubjectPublicKeyInfo PEM text of the key.
    public var pemText: String { PEM.encode(Array(derRepresentation), label: Self.pemLabel) }

    /// First 16 bytes of SHA-256 over the DER SubjectPublicKeyInfo, as 8 colon-separated groups of 4 hex digits.
    ///
    /// Anyone can recompute it: `openssl pkey -pubin -in key.pem -outform DER | sha256sum` and keep the first 32 hex digits.
    public var fingerprint: String {
        let hex = SHA256.hash(data: derRepresentation).prefix(16).map { byte in
            (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
        }
        return stride(from: 0, to: hex.count, by: 2).map { hex[$0] + hex[$0 + 1] }.joined(separator: ":")
    }

    public static func == (lhs: EnvelopePublicKey, rhs: EnvelopePublicKey) -> Bool {
        lhs.key.rawRepresentation == rhs.key.rawRepresentation
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(key.rawRepresentation)
    }
}
