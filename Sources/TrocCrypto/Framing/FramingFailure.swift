/// Why a record stream could not be split into records; each format turns it into its own public error.
enum FramingFailure: Error, Equatable, Sendable {
    /// What was wrong with a record header.
    enum Reason: Error, Equatable, Sendable {
        /// The flag byte is neither "more" nor "final".
        case unknownFlag(UInt8)
        /// A non-final record does not carry exactly one chunk.
        case shortNonFinalRecord(length: Int, chunkSize: Int)
        /// The final record claims more than one chunk.
        case oversizedFinalRecord(length: Int, chunkSize: Int)

        /// A sentence for error messages.
        var text: String {
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

    /// A record header that breaks the framing rules.
    case malformedRecord(index: Int, offset: Int, reason: Reason)
    /// The input ended before the final record was complete.
    case truncated(completeRecords: Int, offset: Int)
    /// Bytes arrived after the final record.
    case trailingData(offset: Int)
}
