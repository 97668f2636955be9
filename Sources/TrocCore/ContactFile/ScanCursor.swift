/// Where the scan of one buffer stands: which of the 64 bytes from `windowStart` are a delimiter or an LF, as
/// bits, so that each unquoted field of a record costs a bit search instead of a pass over its bytes.
///
/// A cursor serves one buffer, scanned forwards: its window describes that buffer's bytes, and a position
/// outside the window reloads it. Bytes past the last whole window are looked at one by one.
struct ScanCursor {
    /// Whether bytes are classified 64 at a time with SIMD; without, one by one (the reference path the tests
    /// hold the fast one to).
    let vectorised: Bool
    /// The first byte the window describes (none yet: any position is past this window).
    private var windowStart = -64
    /// Bit `i` is set when byte `windowStart + i` is the delimiter or an LF.
    private var mask: UInt64 = 0

    /// A cursor for a buffer not scanned yet.
    init(vectorised: Bool = true) {
        self.vectorised = vectorised
    }

    /// The index of the first `delimiter` or LF at or after `start` in `bytes` (or the end).
    @inline(__always)
    mutating func fieldEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, delimiter: UInt8) -> Int {
        let count = bytes.count
        var position = start
        if vectorised, let base = bytes.baseAddress {
            while true {
                if position < windowStart || position - windowStart >= 64 {
                    guard position + 64 <= count else { break }
                    windowStart = position
                    mask = ScanCursor.classify(UnsafeRawPointer(base + position), delimiter: delimiter)
                }
                let hits = mask & (UInt64.max << UInt64(position - windowStart))
                if hits != 0 { return windowStart + hits.trailingZeroBitCount }
                position = windowStart + 64
            }
        }
        while position < count {
            let byte = bytes[position]
            if byte == delimiter || byte == CSVRecordScanner.lineFeed { return position }
            position += 1
        }
        return count
    }

    /// The delimiter-or-LF bits of the 64 bytes at `bytes`: four 16-byte compares, each hit given its bit's weight
    /// and each 8-byte half folded onto its low byte with shifts (x86-64's baseline has no instruction Swift can
    /// reach that moves a byte mask to bits; this takes half the time of the word-at-a-time search per field).
    @inline(__always)
    static func classify(_ bytes: UnsafeRawPointer, delimiter: UInt8) -> UInt64 {
        let delimiters = SIMD16<UInt8>(repeating: delimiter)
        let lineFeeds = SIMD16<UInt8>(repeating: CSVRecordScanner.lineFeed)
        let weights = SIMD16<UInt8>(1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128)
        var bits: UInt64 = 0
        for chunk in 0..<4 {
            let lanes = bytes.loadUnaligned(fromByteOffset: chunk * 16, as: SIMD16<UInt8>.self)
            let hits = SIMD16<UInt8>(repeating: 0).replacing(with: weights, where: (lanes .== delimiters) .| (lanes .== lineFeeds))
            var halves = unsafeBitCast(hits, to: SIMD2<UInt64>.self)
            halves |= halves &>> 32
            halves |= halves &>> 16
            halves |= halves &>> 8
            bits |= (halves[0] & 0xFF | (halves[1] & 0xFF) << 8) << UInt64(chunk * 16)
        }
        return bits
    }
}
