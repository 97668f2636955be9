#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Fast byte searches over decoded text, for the record splitter.
enum ByteSearch {
    /// The index of the first `byte` in `bytes[from..<to]`, or nil.
    @inline(__always)
    static func first(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to, let base = bytes.baseAddress else { return nil }
        // memchr is vectorised by the C library; it is a pure function of the bytes.
        guard let found = memchr(base + from, Int32(byte), to - from) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// The index of the last `byte` in `bytes[from..<to]`, or nil.
    @inline(__always)
    static func last(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        var index = to - 1
        while index >= from {
            if bytes[index] == byte { return index }
            index -= 1
        }
        return nil
    }

    /// The number of LF bytes in `bytes[from..<to]`, eight bytes at a time.
    static func countLineFeeds(in bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        guard from < to, let base = bytes.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        var count = 0
        var index = from
        while index + 8 <= to {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ 0x0A0A_0A0A_0A0A_0A0A
            // Exact zero-byte detector: the high bit of each byte is set iff that byte was LF.
            let zeros = ~(((word & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | word | 0x7F7F_7F7F_7F7F_7F7F)
            count += zeros.nonzeroBitCount
            index += 8
        }
        while index < to {
            if bytes[index] == CSVRecordScanner.lineFeed { count += 1 }
            index += 1
        }
        return count
    }
}
