/// The size of an envelope before it is made, so transfers can announce a Content-Length.
public enum EnvelopeLength {
    /// Header, then one record (5-byte record header, chunk, 16-byte tag) per chunk; an empty file is one empty final record.
    public static func of(plaintextBytes byteCount: Int64, chunkSize: Int = ChunkSizeLimits.standard) -> Int64 {
        let records = Swift.max(1, (byteCount + Int64(chunkSize) - 1) / Int64(chunkSize))
        return Int64(EnvelopeHeader.byteCount) + records * 21 + byteCount
    }

    /// The fewest plaintext bytes an envelope of `envelopeBytes` can carry, whatever its chunk size: a lower bound
    /// on an upload's size from its Content-Length alone, before any byte is read.
    ///
    /// Every record costs 21 bytes; the smallest chunk size packs the most records, each non-final one holding
    /// exactly `ChunkSizeLimits.minimum` bytes, the final one at least none.
    public static func minimumPlaintext(ofEnvelopeBytes envelopeBytes: Int64) -> Int64 {
        let overhead = Int64(RecordHeader.byteCount + RecordHeader.tagByteCount)
        let recordBytes = envelopeBytes - Int64(EnvelopeHeader.byteCount)
        guard recordBytes >= overhead else { return 0 }
        let mostRecords = (recordBytes - overhead) / (Int64(ChunkSizeLimits.minimum) + overhead) + 1
        return recordBytes - mostRecords * overhead
    }
}
