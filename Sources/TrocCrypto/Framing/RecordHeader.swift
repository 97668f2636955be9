/// The five clear bytes in front of every record: a final flag and the plaintext length, both authenticated as AAD.
struct RecordHeader: Equatable, Sendable {
    /// Size of the clear record header.
    static let byteCount = 5
    /// Size of the AEAD tag that follows every record's ciphertext.
    static let tagByteCount = 16
    /// Flag byte of a record that more records follow.
    static let moreFlag: UInt8 = 0x00
    /// Flag byte of the last record: the explicit end marker.
    static let finalFlag: UInt8 = 0x01

    /// Whether this is the last record of the stream.
    let isFinal: Bool
    /// Plaintext bytes the record carries (its ciphertext is this plus the tag).
    let plaintextLength: Int

    /// The record's size on the wire, clear header included.
    var recordByteCount: Int { Self.byteCount + plaintextLength + Self.tagByteCount }

    /// The serialised header, which is also the record's AAD (or the end of it).
    var bytes: [UInt8] {
        let length = UInt32(plaintextLength)
        return [isFinal ? Self.finalFlag : Self.moreFlag] + length.bigEndianBytes
    }

    /// Parses and checks a header against the stream's chunk size; the error is the reason, for the caller's message.
    static func parse(_ bytes: UnsafeRawBufferPointer, chunkSize: Int) -> Result<RecordHeader, FramingFailure.Reason> {
        let length = Int(bytes.loadBigEndianUInt32(at: 1))
        switch bytes[0] {
        case moreFlag:
            // Fixed-size non-final records are what make a cut at a record boundary visible: only a final record may be short.
            guard length == chunkSize else { return .failure(.shortNonFinalRecord(length: length, chunkSize: chunkSize)) }
            return .success(RecordHeader(isFinal: false, plaintextLength: length))
        case finalFlag:
            guard length <= chunkSize else { return .failure(.oversizedFinalRecord(length: length, chunkSize: chunkSize)) }
            return .success(RecordHeader(isFinal: true, plaintextLength: length))
        case let flag:
            return .failure(.unknownFlag(flag))
        }
    }
}
