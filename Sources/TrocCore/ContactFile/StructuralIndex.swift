import CTrocScan

/// Where a block's separators (the delimiter and LF) and quotes are, one bit per byte, found 64 bytes at a time
/// (`troc_scan_index`, AVX2). A record without a quote is then split by scanning bits: each set bit ends a field, an LF
/// ends the record. A record with a quote anywhere is left to `CSVRecordScanner.scan`, whose reading of quotes (Excel's:
/// a quote opens a field only at its start) the index does not attempt; on a quote-free record both give the same
/// fields (`StructuralIndexTests` checks it on random bytes).
struct StructuralIndex: ~Copyable {
    private let separators: UnsafeMutableBufferPointer<UInt64>
    private let quotes: UnsafeMutableBufferPointer<UInt64>
    /// Whether the block holds a NUL byte or 0xEF (the first byte of U+FFFD): only then are its rows looked at for them.
    let holdsNULOrReplacementLead: Bool

    init(_ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8) {
        let words = (bytes.count + 63) / 64
        separators = .allocate(capacity: max(1, words))
        quotes = .allocate(capacity: max(1, words))
        holdsNULOrReplacementLead =
            bytes.count > 0 && troc_scan_index(bytes.baseAddress, bytes.count, delimiter, separators.baseAddress, quotes.baseAddress) != 0
    }

    deinit {
        separators.deallocate()
        quotes.deallocate()
    }

    /// The record starting at `start` split into `fields`, as `CSVRecordScanner.scan` would split it, or nil (and
    /// `fields` to be refilled) if the record holds a quote.
    @inline(__always)
    func scan(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, into fields: inout FieldSpans) -> RecordScan? {
        fields.removeAll()
        let count = bytes.count
        var word = start &>> 6
        var bits = separators[word] & (~0 &<< UInt64(start & 63))
        var fieldStart = start
        while true {
            while bits == 0 {
                word += 1
                guard word < separators.count else {
                    // The record runs to the end of the block, without an LF.
                    guard !hasQuote(from: start, to: count) else { return nil }
                    var end = count
                    if end > fieldStart, bytes[end - 1] == CSVRecordScanner.carriageReturn { end -= 1 }
                    fields.append(FieldSpan(start: Int32(fieldStart), end: Int32(end), quoted: false, needsUnescape: false))
                    return RecordScan(next: count, lineBreaks: 0, unterminatedQuote: false)
                }
                bits = separators[word]
            }
            let at = word &<< 6 | bits.trailingZeroBitCount
            bits &= bits &- 1
            if bytes[at] == CSVRecordScanner.lineFeed {
                guard !hasQuote(from: start, to: at) else { return nil }
                var end = at
                if end > fieldStart, bytes[end - 1] == CSVRecordScanner.carriageReturn { end -= 1 }
                fields.append(FieldSpan(start: Int32(fieldStart), end: Int32(end), quoted: false, needsUnescape: false))
                return RecordScan(next: at + 1, lineBreaks: 1, unterminatedQuote: false)
            }
            fields.append(FieldSpan(start: Int32(fieldStart), end: Int32(at), quoted: false, needsUnescape: false))
            fieldStart = at + 1
        }
    }

    /// Whether a quote lies in `start..<end`.
    @inline(__always)
    private func hasQuote(from start: Int, to end: Int) -> Bool {
        guard start < end else { return false }
        let first = start &>> 6
        let last = (end - 1) &>> 6
        var word = first
        while word <= last {
            var bits = quotes[word]
            if word == first { bits &= ~0 &<< UInt64(start & 63) }
            if word == last { bits &= ~0 &>> UInt64(63 - ((end - 1) & 63)) }
            if bits != 0 { return true }
            word += 1
        }
        return false
    }
}
