public import Foundation

/// The clear header that opens every envelope: format, suite, chunk size and the HPKE encapsulated key.
public struct EnvelopeHeader: Sendable, Hashable {
    /// The 8 magic bytes, ASCII `TROCHPKE`.
    public static let magic: [UInt8] = Array("TROCHPKE".utf8)
    /// The only format version this code reads and writes.
    public static let version: UInt8 = 1
    /// RFC 9180 KEM id of DHKEM(X25519, HKDF-SHA256).
    public static let kemIdentifier: UInt16 = 0x0020
    /// RFC 9180 KDF id of HKDF-SHA256.
    public static let kdfIdentifier: UInt16 = 0x0001
    /// Length of the X25519 encapsulated key (`Nenc`).
    public static let encapsulatedKeyByteCount = 32
    /// Bytes of the header before `enc`, which are also the start of the HPKE `info`.
    static let fixedByteCount = 19
    /// Length of the whole header.
    public static let byteCount = fixedByteCount + encapsulatedKeyByteCount

    /// The AEAD the sender chose.
    public let aead: EnvelopeAEAD
    /// Plaintext bytes in every non-final record.
    public let chunkSize: Int
    /// The sender's ephemeral X25519 public key (`enc` in RFC 9180).
    public let encapsulatedKey: Data

    /// The serialised header.
    public var bytes: Data {
        var bytes = Data(fixedBytes)
        bytes.append(encapsulatedKey)
        return bytes
    }

    /// Magic, version, suite ids and chunk size: the header without `enc`.
    var fixedBytes: [UInt8] { Self.fixedBytes(aead: aead, chunkSize: chunkSize) }

    /// The header without `enc` for this AEAD and chunk size.
    static func fixedBytes(aead: EnvelopeAEAD, chunkSize: Int) -> [UInt8] {
        magic + [version] + kemIdentifier.bigEndianBytes + kdfIdentifier.bigEndianBytes + aead.identifier.bigEndianBytes
            + UInt32(chunkSize).bigEndianBytes
    }

    /// The HPKE `info`: the header without `enc`, then the purpose's length (2 bytes, big-endian) and its ASCII bytes.
    static func info(aead: EnvelopeAEAD, chunkSize: Int, purpose: EnvelopePurpose) -> Data {
        let purposeBytes = Array(purpose.text.utf8)
        return Data(fixedBytes(aead: aead, chunkSize: chunkSize) + UInt16(purposeBytes.count).bigEndianBytes + purposeBytes)
    }

    /// Checks a chunk size against the format's bounds.
    static func validate(chunkSize: Int) throws(EnvelopeError) {
        guard ChunkSizeLimits.contains(chunkSize) else { throw .framing(.chunkSizeOutOfBounds(chunkSize)) }
    }

    /// Checks as much of a header as has arrived, so a non-envelope is refused after its first 8 bytes.
    static func validatePrefix(_ prefix: UnsafeRawBufferPointer) throws(EnvelopeError) {
        let magicCount = min(prefix.count, magic.count)
        guard prefix[..<magicCount].elementsEqual(magic[..<magicCount]) else { throw .notAnEnvelope }
        if prefix.count > 8, prefix[8] != version { throw .unsupportedVersion(prefix[8]) }
        if prefix.count >= 15 {
            let kem = prefix.loadBigEndianUInt16(at: 9)
            let kdf = prefix.loadBigEndianUInt16(at: 11)
            let aead = prefix.loadBigEndianUInt16(at: 13)
            guard kem == kemIdentifier, kdf == kdfIdentifier, EnvelopeAEAD(identifier: aead) != nil else {
                throw .unsupportedSuite(kem: kem, kdf: kdf, aead: aead)
            }
        }
        if prefix.count >= fixedByteCount {
            try validate(chunkSize: Int(prefix.loadBigEndianUInt32(at: 15)))
        }
    }

    /// Parses a complete header that `validatePrefix` accepted.
    init(validated bytes: UnsafeRawBufferPointer) {
        aead = EnvelopeAEAD(identifier: bytes.loadBigEndianUInt16(at: 13))!
        chunkSize = Int(bytes.loadBigEndianUInt32(at: 15))
        encapsulatedKey = Data(bytes[Self.fixedByteCount..<Self.byteCount])
    }

    /// A header for a new envelope.
    init(aead: EnvelopeAEAD, chunkSize: Int, encapsulatedKey: Data) {
        self.aead = aead
        self.chunkSize = chunkSize
        self.encapsulatedKey = encapsulatedKey
    }
}
