import Crypto
public import Foundation

/// Encrypts one blob for storage under its own data key, chunk by chunk, with the same record framing as envelopes.
///
/// Not copyable: a copy would share the record counter and so reuse nonces.
public struct BlobSealer: ~Copyable, Sendable {
    /// The blob header; write it before the first record.
    public let header: BlobHeader
    /// Plaintext bytes per non-final record.
    public var chunkSize: Int { header.chunkSize }
    /// The blob's fresh data key: wrap it with `MasterKey.wrap(_:blobID:)` and store it beside the blob.
    public let dataKey: DataKey
    /// Serialised header, the first part of every record's AAD.
    private let headerBytes: [UInt8]
    /// Index of the next record, which is its nonce.
    private var recordIndex: UInt64 = 0

    /// Starts a blob under a new random data key; nonces restart at 0 for every blob, so no key may ever seal two.
    public init(chunkSize: Int = ChunkSizeLimits.standard) throws(BlobError) {
        guard ChunkSizeLimits.contains(chunkSize) else { throw .framing(.chunkSizeOutOfBounds(chunkSize)) }
        self.dataKey = DataKey.generate()
        self.header = BlobHeader(chunkSize: chunkSize)
        self.headerBytes = Array(header.bytes)
    }

    /// Seals one full chunk (exactly `chunkSize` bytes) into a non-final record.
    public mutating func seal(_ chunk: some ContiguousBytes) throws(BlobError) -> Data {
        let result = chunk.withUnsafeBytes { bytes in
            Result { () throws(BlobError) in
                guard bytes.count == chunkSize else { throw .framing(.chunkLengthMismatch(expected: chunkSize, actual: bytes.count)) }
                return try sealRecord(bytes, isFinal: false)
            }
        }
        return try result.get()
    }

    /// Seals the last chunk (0 to `chunkSize` bytes) into the final record.
    public consuming func finish(_ lastChunk: some ContiguousBytes) throws(BlobError) -> Data {
        let result = lastChunk.withUnsafeBytes { bytes in
            Result { () throws(BlobError) in
                guard bytes.count <= chunkSize else { throw .framing(.lastChunkTooLong(maximum: chunkSize, actual: bytes.count)) }
                return try sealRecord(bytes, isFinal: true)
            }
        }
        return try result.get()
    }

    /// Seals an empty final record, for a blob whose length is a multiple of the chunk size.
    public consuming func finish() throws(BlobError) -> Data {
        try finish(Data())
    }

    /// Writes the clear record header, then ciphertext and tag sealed with AAD = blob header || record header.
    private mutating func sealRecord(_ plaintext: UnsafeRawBufferPointer, isFinal: Bool) throws(BlobError) -> Data {
        let recordHeader = RecordHeader(isFinal: isFinal, plaintextLength: plaintext.count)
        let recordHeaderBytes = recordHeader.bytes
        let box: AES.GCM.SealedBox
        do {
            let nonce = try AES.GCM.Nonce(data: BlobHeader.nonce(recordIndex: recordIndex))
            box = try AES.GCM.seal(plaintext, using: dataKey.key, nonce: nonce, authenticating: headerBytes + recordHeaderBytes)
        } catch {
            throw .sealingFailed(String(describing: error))
        }
        recordIndex += 1
        var record = Data(capacity: recordHeader.recordByteCount)
        record.append(contentsOf: recordHeaderBytes)
        record.append(box.ciphertext)
        record.append(box.tag)
        return record
    }
}
