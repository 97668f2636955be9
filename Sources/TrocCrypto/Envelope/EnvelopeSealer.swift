import Crypto
public import Foundation

/// Seals one file into an envelope, chunk by chunk, to a recipient's public key (HPKE base mode, one context per file).
///
/// Not copyable: a copy would share the HPKE sequence number and so reuse nonces.
public struct EnvelopeSealer: ~Copyable, Sendable {
    /// The envelope header; send it before the first record.
    public let header: EnvelopeHeader
    /// Plaintext bytes per non-final record.
    public var chunkSize: Int { header.chunkSize }
    /// The HPKE sender context, whose sequence number gives each record its nonce.
    private var sender: HPKE.Sender

    /// Starts an envelope to `recipient` for `purpose`; write `header.bytes` first.
    public init(
        recipient: EnvelopePublicKey,
        purpose: EnvelopePurpose,
        chunkSize: Int = ChunkSizeLimits.standard,
        aead: EnvelopeAEAD = .aesGCM256
    ) throws(EnvelopeError) {
        try EnvelopeHeader.validate(chunkSize: chunkSize)
        let info = EnvelopeHeader.info(aead: aead, chunkSize: chunkSize, purpose: purpose)
        do {
            sender = try HPKE.Sender(recipientKey: recipient.key, ciphersuite: aead.ciphersuite, info: info)
        } catch {
            throw .invalidKey(String(describing: error))
        }
        header = EnvelopeHeader(aead: aead, chunkSize: chunkSize, encapsulatedKey: sender.encapsulatedKey)
    }

    /// Seals one full chunk (exactly `chunkSize` bytes) into a non-final record.
    public mutating func seal(_ chunk: some ContiguousBytes) throws(EnvelopeError) -> Data {
        let result = chunk.withUnsafeBytes { bytes in
            Result { () throws(EnvelopeError) in
                guard bytes.count == chunkSize else { throw .framing(.chunkLengthMismatch(expected: chunkSize, actual: bytes.count)) }
                return try sealRecord(bytes, isFinal: false)
            }
        }
        return try result.get()
    }

    /// Seals the last chunk (0 to `chunkSize` bytes) into the final record, the envelope's end marker.
    public consuming func finish(_ lastChunk: some ContiguousBytes) throws(EnvelopeError) -> Data {
        let result = lastChunk.withUnsafeBytes { bytes in
            Result { () throws(EnvelopeError) in
                guard bytes.count <= chunkSize else { throw .framing(.lastChunkTooLong(maximum: chunkSize, actual: bytes.count)) }
                return try sealRecord(bytes, isFinal: true)
            }
        }
        return try result.get()
    }

    /// Seals an empty final record, for a file whose length is a multiple of the chunk size.
    public consuming func finish() throws(EnvelopeError) -> Data {
        try finish(Data())
    }

    /// Writes the clear record header, then the HPKE ciphertext sealed with that header as AAD.
    private mutating func sealRecord(_ plaintext: UnsafeRawBufferPointer, isFinal: Bool) throws(EnvelopeError) -> Data {
        let recordHeader = RecordHeader(isFinal: isFinal, plaintextLength: plaintext.count)
        let headerBytes = recordHeader.bytes
        let ciphertext: Data
        do {
            ciphertext = try sender.seal(plaintext, authenticating: headerBytes)
        } catch {
            throw .sealingFailed(String(describing: error))
        }
        var record = Data(capacity: recordHeader.recordByteCount)
        record.append(contentsOf: headerBytes)
        record.append(ciphertext)
        return record
    }
}
