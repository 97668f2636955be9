/// Why an envelope could not be sealed or opened; every case says what failed, where, and what to do.
public enum EnvelopeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The stream does not start with the envelope magic.
    case notAnEnvelope
    /// The header names a format version this code does not read.
    case unsupportedVersion(UInt8)
    /// The header names a KEM, KDF or AEAD outside DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM / ChaCha20-Poly1305.
    case unsupportedSuite(kem: UInt16, kdf: UInt16, aead: UInt16)
    /// The chunk size is outside 1 KiB...16 MiB.
    case chunkSizeOutOfBounds(Int)
    /// The purpose text is not acceptable.
    case invalidPurpose(String)
    /// HPKE refused the recipient public key or the encapsulated key (e.g. a low-order X25519 point).
    case invalidKey(String)
    /// The first record did not authenticate: wrong private key, wrong purpose, or an altered header.
    case wrongKeyOrPurpose
    /// A later record did not authenticate: altered, reordered, replayed or replaced.
    case chunkAuthenticationFailed(index: Int, offset: Int)
    /// A record's clear header breaks the framing rules.
    case malformedRecord(index: Int, offset: Int, reason: String)
    /// The input ended before the final record (the end marker) was read.
    case truncated(completeChunks: Int, offset: Int)
    /// Bytes follow the final record.
    case trailingData(offset: Int)
    /// `seal` was given a chunk that is not exactly the chunk size.
    case chunkLengthMismatch(expected: Int, actual: Int)
    /// `finish` was given more than one chunk.
    case lastChunkTooLong(maximum: Int, actual: Int)
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
        case .chunkSizeOutOfBounds(let size):
            "chunk size \(size) is out of bounds: it must be between \(ChunkSizeLimits.minimum) and \(ChunkSizeLimits.maximum) bytes"
        case .invalidPurpose(let reason):
            "invalid envelope purpose: \(reason)"
        case .invalidKey(let reason):
            "HPKE rejected the key: \(reason); check that the key is an X25519 key and the envelope header is intact"
        case .wrongKeyOrPurpose:
            "the first chunk (record 0) failed to authenticate: the envelope was sealed to another public key or for another purpose, "
                + "or its header or first chunk was altered or moved; check the recipient key and the purpose"
        case .chunkAuthenticationFailed(let index, let offset):
            "chunk \(index) (record at byte offset \(offset)) failed to authenticate: the envelope was altered or its chunks "
                + "reordered or replaced; ask the sender to send it again"
        case .malformedRecord(let index, let offset, let reason):
            "malformed record \(index) at byte offset \(offset): \(reason); the envelope was altered or written by a faulty sender"
        case .truncated(let completeChunks, let offset):
            "the envelope is truncated: it ends at byte offset \(offset) after \(completeChunks) authenticated chunk(s) without the final record; "
                + "the transfer was cut short, send it again"
        case .trailingData(let offset):
            "unexpected data at byte offset \(offset), after the envelope's final record; send the envelope alone"
        case .chunkLengthMismatch(let expected, let actual):
            "seal(_:) takes exactly one full chunk of \(expected) bytes, got \(actual); pass the last, shorter chunk to finish(_:)"
        case .lastChunkTooLong(let maximum, let actual):
            "finish(_:) takes at most one chunk of \(maximum) bytes, got \(actual); seal full chunks with seal(_:) first"
        case .sealingFailed(let reason):
            "HPKE failed to seal a chunk: \(reason)"
        }
    }
}

/// Lowercase hex of a 16-bit id, zero-padded to 4 digits.
private func hex(_ value: UInt16) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 4 - digits.count) + digits
}
