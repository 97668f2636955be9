/// The size of an envelope before it is made, so transfers can announce a Content-Length.
public enum EnvelopeLength {
    /// Header, then one record (5-byte record header, chunk, 16-byte tag) per chunk; an empty file is one empty final record.
    public static func of(plaintextBytes byteCount: Int64, chunkSize: Int = ChunkSizeLimits.standard) -> Int64 {
        let records = Swift.max(1, (byteCount + Int64(chunkSize) - 1) / Int64(chunkSize))
        return Int64(EnvelopeHeader.byteCount) + records * 21 + byteCount
    }
}
