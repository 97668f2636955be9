/// Why a chunked record stream could not be sealed or opened: the failures envelopes and blobs share, worded by each.
public enum FramingFailure: Error, Equatable, Sendable {
    /// What was wrong with a record header.
    public enum Reason: Error, Equatable, Sendable {
        /// The flag byte is neither "more" nor "final".
        case unknownFlag(UInt8)
        /// A non-final record does not carry exactly one chunk.
        case shortNonFinalRecord(length: Int, chunkSize: Int)
        /// The final record claims more than one chunk.
        case oversizedFinalRecord(length: Int, chunkSize: Int)

        /// A sentence for error messages.
        public var text: String {
            switch self {
            case .unknownFlag(let flag):
                "its flag byte is 0x\(String(flag, radix: 16)), expected 0x00 (more records follow) or 0x01 (final record)"
            case .shortNonFinalRecord(let length, let chunkSize):
                "it is not the final record yet declares \(length) plaintext bytes; only the final record may carry fewer than \(chunkSize)"
            case .oversizedFinalRecord(let length, let chunkSize):
                "it declares \(length) plaintext bytes, more than the chunk size \(chunkSize)"
            }
        }
    }

    /// The chunk size is outside 1 KiB...16 MiB.
    case chunkSizeOutOfBounds(Int)
    /// A record after the first did not authenticate: altered, reordered, replayed or replaced.
    case chunkAuthenticationFailed(index: Int, offset: Int)
    /// A record's clear header breaks the framing rules.
    case malformedRecord(index: Int, offset: Int, reason: Reason)
    /// The input ended before the final record (the end marker) was read.
    case truncated(completeChunks: Int, offset: Int)
    /// Bytes follow the final record.
    case trailingData(offset: Int)
    /// `seal` was given a chunk that is not exactly the chunk size.
    case chunkLengthMismatch(expected: Int, actual: Int)
    /// `finish` was given more than one chunk.
    case lastChunkTooLong(maximum: Int, actual: Int)

    /// The failure said in the words of the format whose stream it is.
    func description(in wording: FramingWording) -> String {
        switch self {
        case .chunkSizeOutOfBounds(let size):
            "\(wording.unit)chunk size \(size) is out of bounds: it must be between \(ChunkSizeLimits.minimum) and \(ChunkSizeLimits.maximum) bytes"
        case .chunkAuthenticationFailed(let index, let offset):
            "\(wording.unit)chunk \(index) (record at byte offset \(offset)) failed to authenticate: \(wording.tampered)"
        case .malformedRecord(let index, let offset, let reason):
            "malformed \(wording.unit)record \(index) at byte offset \(offset): \(reason.text); \(wording.malformed)"
        case .truncated(let completeChunks, let offset):
            "the \(wording.stream) is truncated: it ends at byte offset \(offset) after \(completeChunks) \(wording.truncated)"
        case .trailingData(let offset):
            "unexpected data at byte offset \(offset), after the \(wording.stream)'s final record; \(wording.trailing)"
        case .chunkLengthMismatch(let expected, let actual):
            "seal(_:) takes exactly one full chunk of \(expected) bytes, got \(actual); pass the last, shorter chunk to finish(_:)"
        case .lastChunkTooLong(let maximum, let actual):
            "finish(_:) takes at most one chunk of \(maximum) bytes, got \(actual); seal full chunks with seal(_:) first"
        }
    }
}
