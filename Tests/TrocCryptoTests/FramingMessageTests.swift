import Testing
import TrocCrypto

/// Envelopes and blobs share their framing failures but keep their own words: every message is pinned byte for byte,
/// since the WebCrypto module repeats the envelope's and operators search logs for the blob's.
@Suite struct FramingMessageTests {
    static let flag = "its flag byte is 0x10, expected 0x00 (more records follow) or 0x01 (final record)"

    static let cases: [(FramingFailure, envelope: String, blob: String)] = [
        (
            .chunkSizeOutOfBounds(16),
            "chunk size 16 is out of bounds: it must be between 1024 and 16777216 bytes",
            "blob chunk size 16 is out of bounds: it must be between 1024 and 16777216 bytes"
        ),
        (
            .chunkAuthenticationFailed(index: 7, offset: 7366),
            "chunk 7 (record at byte offset 7366) failed to authenticate: the envelope was altered or its chunks reordered or replaced; "
                + "ask the sender to send it again",
            "blob chunk 7 (record at byte offset 7366) failed to authenticate: the stored blob is damaged; restore it from a backup"
        ),
        (
            .malformedRecord(index: 0, offset: 51, reason: .unknownFlag(0x10)),
            "malformed record 0 at byte offset 51: \(flag); the envelope was altered or written by a faulty sender",
            "malformed blob record 0 at byte offset 51: \(flag); the stored blob is damaged, restore it from a backup"
        ),
        (
            .truncated(completeChunks: 2, offset: 2141),
            "the envelope is truncated: it ends at byte offset 2141 after 2 authenticated chunk(s) without the final record; "
                + "the transfer was cut short, send it again",
            "the blob is truncated: it ends at byte offset 2141 after 2 chunk(s) without its final record; restore it from a backup"
        ),
        (
            .trailingData(offset: 3114),
            "unexpected data at byte offset 3114, after the envelope's final record; send the envelope alone",
            "unexpected data at byte offset 3114, after the blob's final record; the stored blob is damaged"
        ),
        (
            .chunkLengthMismatch(expected: 1024, actual: 1000),
            "seal(_:) takes exactly one full chunk of 1024 bytes, got 1000; pass the last, shorter chunk to finish(_:)",
            "seal(_:) takes exactly one full chunk of 1024 bytes, got 1000; pass the last, shorter chunk to finish(_:)"
        ),
        (
            .lastChunkTooLong(maximum: 1024, actual: 1025),
            "finish(_:) takes at most one chunk of 1024 bytes, got 1025; seal full chunks with seal(_:) first",
            "finish(_:) takes at most one chunk of 1024 bytes, got 1025; seal full chunks with seal(_:) first"
        ),
    ]

    @Test func eachFormatWordsEveryFramingFailureAsBefore() {
        for (failure, envelope, blob) in Self.cases {
            #expect(EnvelopeError.framing(failure).description == envelope)
            #expect(BlobError.framing(failure).description == blob)
        }
    }
}
