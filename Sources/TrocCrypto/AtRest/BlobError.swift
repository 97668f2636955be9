/// Why a blob could not be encrypted or decrypted; at rest every failure means damage or the wrong key, never user error.
public enum BlobError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The data does not start with the blob magic.
    case notABlob
    /// The header names a format version this code does not read.
    case unsupportedVersion(UInt8)
    /// The chunk size is outside 1 KiB...16 MiB.
    case chunkSizeOutOfBounds(Int)
    /// The first record did not authenticate: the data key is not this blob's, or the header was altered.
    case wrongDataKey
    /// A later record did not authenticate.
    case chunkAuthenticationFailed(index: Int, offset: Int)
    /// A record's clear header breaks the framing rules.
    case malformedRecord(index: Int, offset: Int, reason: String)
    /// The blob ends before its final record.
    case truncated(completeChunks: Int, offset: Int)
    /// Bytes follow the final record.
    case trailingData(offset: Int)
    /// `seal` was given a chunk that is not exactly the chunk size.
    case chunkLengthMismatch(expected: Int, actual: Int)
    /// `finish` was given more than one chunk.
    case lastChunkTooLong(maximum: Int, actual: Int)
    /// AES-GCM refused to seal.
    case sealingFailed(String)

    public var description: String {
        switch self {
        case .notABlob:
            "not a Troc blob: it does not start with the magic bytes \"TROCBLOB\"; the blob store holds a foreign or damaged file"
        case .unsupportedVersion(let version):
            "unsupported blob version \(version): this build reads version \(BlobHeader.version); run a build that wrote it"
        case .chunkSizeOutOfBounds(let size):
            "blob chunk size \(size) is out of bounds: it must be between \(ChunkSizeLimits.minimum) and \(ChunkSizeLimits.maximum) bytes"
        case .wrongDataKey:
            "the blob's first chunk failed to authenticate: the data key belongs to another blob or the blob header is damaged; "
                + "check the blob id used to unwrap the key, or restore the blob from a backup"
        case .chunkAuthenticationFailed(let index, let offset):
            "blob chunk \(index) (record at byte offset \(offset)) failed to authenticate: the stored blob is damaged; restore it from a backup"
        case .malformedRecord(let index, let offset, let reason):
            "malformed blob record \(index) at byte offset \(offset): \(reason); the stored blob is damaged, restore it from a backup"
        case .truncated(let completeChunks, let offset):
            "the blob is truncated: it ends at byte offset \(offset) after \(completeChunks) chunk(s) without its final record; "
                + "restore it from a backup"
        case .trailingData(let offset):
            "unexpected data at byte offset \(offset), after the blob's final record; the stored blob is damaged"
        case .chunkLengthMismatch(let expected, let actual):
            "seal(_:) takes exactly one full chunk of \(expected) bytes, got \(actual); pass the last, shorter chunk to finish(_:)"
        case .lastChunkTooLong(let maximum, let actual):
            "finish(_:) takes at most one chunk of \(maximum) bytes, got \(actual); seal full chunks with seal(_:) first"
        case .sealingFailed(let reason):
            "AES-GCM failed to seal a blob chunk: \(reason)"
        }
    }
}

extension BlobError {
    /// The blob's wording of a framing fault.
    init(framing: FramingFailure) {
        switch framing {
        case .malformedRecord(let index, let offset, let reason):
            self = .malformedRecord(index: index, offset: offset, reason: reason.text)
        case .truncated(let completeRecords, let offset):
            self = .truncated(completeChunks: completeRecords, offset: offset)
        case .trailingData(let offset):
            self = .trailingData(offset: offset)
        }
    }
}
