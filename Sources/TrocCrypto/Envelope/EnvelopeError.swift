/// Why an envelope could not be sealed or opened; every case says what failed, where, and what to do.
public enum EnvelopeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The stream does not start with the envelope magic.
    case notAnEnvelope
    /// The header names a format version this code does not read.
    case unsupportedVersion(UInt8)
    /// The header names a KEM, KDF or AEAD outside DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM / ChaCha20-Poly1305.
    case unsupportedSuite(kem: UInt16, kdf: UInt16, aead: UInt16)
    /// The purpose text is not acceptable.
    case invalidPurpose(String)
    /// HPKE refused the recipient public key or the encapsulated key (e.g. a low-order X25519 point).
    case invalidKey(String)
    /// The first record did not authenticate: wrong private key, wrong purpose, or an altered header.
    case wrongKeyOrPurpose
    /// The record stream failed: a chunk size out of bounds, a chunk that does not authenticate, a malformed record, a cut or
    /// extra data, or chunks of the wrong size given to the sealer.
    case framing(FramingFailure)
    /// HPKE could not seal, e.g. the context's sequence number is exhausted.
    case sealingFailed(String)

    public var description: String {
        switch self {
        case .notAnEnvelope:
            "not a Troc envelope: it does not start with the magic bytes \"TROCHPKE\"; encrypt the file with `troc upload` or the documented envelope format"
        case .unsupportedVersion(let version):
            "unsupported envelope version \(version): this build reads version \(EnvelopeHeader.version); upgrade the reader or re-encrypt with a matching sender"
        case .unsupportedSuite(let kem, let kdf, let aead):
            "unsupported HPKE suite KEM 0x\(hex(kem)), KDF 0x\(hex(kdf)), AEAD 0x\(hex(aead)): envelopes use KEM 0x0020 (DHKEM X25519), "
                + "KDF 0x0001 (HKDF-SHA256) and AEAD 0x0002 (AES-256-GCM) or 0x0003 (ChaCha20-Poly1305)"
        case .invalidPurpose(let reason):
            "invalid envelope purpose: \(reason)"
        case .invalidKey(let reason):
            "HPKE rejected the key: \(reason); check that the key is an X25519 key and the envelope header is intact"
        case .wrongKeyOrPurpose:
            "the first chunk (record 0) failed to authenticate: the envelope was sealed to another public key or for another purpose, "
                + "or its header or first chunk was altered or moved; check the recipient key and the purpose"
        case .framing(let failure):
            failure.description(in: Self.wording)
        case .sealingFailed(let reason):
            "HPKE failed to seal a chunk: \(reason)"
        }
    }

    /// How an envelope's framing failures are worded: a sender's file in transit, which the sender can send again.
    static let wording = FramingWording(
        unit: "",
        stream: "envelope",
        tampered: "the envelope was altered or its chunks reordered or replaced; ask the sender to send it again",
        malformed: "the envelope was altered or written by a faulty sender",
        truncated: "authenticated chunk(s) without the final record; the transfer was cut short, send it again",
        trailing: "send the envelope alone"
    )
}

/// Lowercase hex of a 16-bit id, zero-padded to 4 digits.
private func hex(_ value: UInt16) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 4 - digits.count) + digits
}
