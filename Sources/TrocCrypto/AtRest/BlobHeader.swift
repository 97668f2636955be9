public import Foundation

/// The clear header of an at-rest blob: magic, version and chunk size.
public struct BlobHeader: Sendable, Hashable {
    /// The 8 magic bytes, ASCII `TROCBLOB`.
    public static let magic: [UInt8] = Array("TROCBLOB".utf8)
    /// The only format version this code reads and writes.
    public static let version: UInt8 = 1
    /// Length of the header.
    public static let byteCount = 13

    /// Plaintext bytes in every non-final record.
    public let chunkSize: Int

    /// The serialised header, which also starts every record's AAD.
    public var bytes: Data { Data(Self.magic + [Self.version] + UInt32(chunkSize).bigEndianBytes) }

    /// A header for a new blob.
    init(chunkSize: Int) {
        self.chunkSize = chunkSize
    }

    /// Checks as much of a header as has arrived.
    static func validatePrefix(_ prefix: UnsafeRawBufferPointer) throws(BlobError) {
        let magicCount = min(prefix.count, magic.count)
        guard prefix[..<magicCount].elementsEqual(magic[..<magicCount]) else { throw .notABlob }
        if prefix.count > 8, prefix[8] != version { throw .unsupportedVersion(prefix[8]) }
        if prefix.count >= byteCount {
            let chunkSize = Int(prefix.loadBigEndianUInt32(at: 9))
            guard ChunkSizeLimits.contains(chunkSize) else { throw .framing(.chunkSizeOutOfBounds(chunkSize)) }
        }
    }

    /// Parses a complete header that `validatePrefix` accepted.
    init(validated bytes: UnsafeRawBufferPointer) {
        chunkSize = Int(bytes.loadBigEndianUInt32(at: 9))
    }

    /// The AES-GCM nonce of record `index`: 4 zero bytes then the index, big-endian (one data key per blob makes it unique).
    static func nonce(recordIndex index: UInt64) -> [UInt8] {
        [0, 0, 0, 0] + index.bigEndianBytes
    }
}
