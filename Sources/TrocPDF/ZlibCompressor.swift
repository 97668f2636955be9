/// Compresses bytes into the zlib format (RFC 1950) that PDF's `FlateDecode` filter reads (RFC 1951 deflate
/// inside): LZ77 over a 32 KiB window with hash chains, coded with the fixed Huffman codes in one final block.
///
/// Fixed codes compress a little less than zlib's dynamic ones but need no code-length tables, which keeps
/// this compressor small enough to read in full; the output is the same for the same input.
public enum ZlibCompressor {
    /// `bytes` compressed, with the zlib header and the Adler-32 trailer.
    public static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var writer = BitWriter()
        // CMF 0x78: deflate with a 32 KiB window; FLG 0x9C makes the header a multiple of 31 (default level).
        writer.bytes = [0x78, 0x9C]
        writer.write(bits: 1, count: 1)  // BFINAL
        writer.write(bits: 1, count: 2)  // BTYPE 01: fixed Huffman codes
        encode(bytes, into: &writer)
        writer.writeSymbol(256)
        writer.flush()
        let checksum = adler32(bytes)
        writer.bytes += [UInt8(checksum >> 24), UInt8((checksum >> 16) & 0xFF), UInt8((checksum >> 8) & 0xFF), UInt8(checksum & 0xFF)]
        return writer.bytes
    }

    /// The Adler-32 checksum of `bytes` (RFC 1950 §8).
    public static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        var index = 0
        while index < bytes.count {
            // 5552 bytes is the most that can be summed before the 32-bit sums may overflow.
            let end = min(index + 5552, bytes.count)
            while index < end {
                a += UInt32(bytes[index])
                b += a
                index += 1
            }
            a %= 65521
            b %= 65521
        }
        return b << 16 | a
    }

    private static let windowSize = 32768
    private static let minimumMatch = 3
    private static let maximumMatch = 258
    private static let hashBits = 15
    /// How many earlier positions with the same 3-byte hash are tried: enough for fonts and page text.
    private static let chainLimit = 128

    private static func encode(_ bytes: [UInt8], into writer: inout BitWriter) {
        let count = bytes.count
        var head = [Int32](repeating: -1, count: 1 << hashBits)
        var previous = [Int32](repeating: -1, count: windowSize)
        /// A 15-bit hash of the three bytes at `position`.
        func hash(_ position: Int) -> Int {
            let value = Int(bytes[position]) << 16 | Int(bytes[position + 1]) << 8 | Int(bytes[position + 2])
            return (value &* 2_654_435_761) >> (32 - hashBits) & ((1 << hashBits) - 1)
        }
        /// Records `position` as the newest start of its hash chain.
        func insert(_ position: Int) {
            guard position + minimumMatch <= count else { return }
            let key = hash(position)
            previous[position & (windowSize - 1)] = head[key]
            head[key] = Int32(position)
        }
        var position = 0
        while position < count {
            var bestLength = 0
            var bestDistance = 0
            if position + minimumMatch <= count {
                var candidate = Int(head[hash(position)])
                var tries = chainLimit
                let limit = min(maximumMatch, count - position)
                while candidate >= 0, position - candidate <= windowSize, tries > 0 {
                    var length = 0
                    while length < limit, bytes[candidate + length] == bytes[position + length] { length += 1 }
                    if length > bestLength {
                        bestLength = length
                        bestDistance = position - candidate
                        if length == limit { break }
                    }
                    let next = Int(previous[candidate & (windowSize - 1)])
                    // The chain slot may have been reused by a newer position: stop rather than follow it.
                    guard next < candidate else { break }
                    candidate = next
                    tries -= 1
                }
            }
            if bestLength >= minimumMatch {
                writer.writeLength(bestLength)
                writer.writeDistance(bestDistance)
                for offset in 0..<bestLength { insert(position + offset) }
                position += bestLength
            } else {
                writer.writeSymbol(Int(bytes[position]))
                insert(position)
                position += 1
            }
        }
    }
}

/// Packs deflate codes least-significant bit first, Huffman codes most-significant bit first (RFC 1951 §3.1.1).
private struct BitWriter {
    var bytes: [UInt8] = []
    private var buffer: UInt32 = 0
    private var used = 0

    /// Appends the low `count` bits of `bits`, least significant first.
    mutating func write(bits: Int, count: Int) {
        buffer |= UInt32(bits) << UInt32(used)
        used += count
        while used >= 8 {
            bytes.append(UInt8(buffer & 0xFF))
            buffer >>= 8
            used -= 8
        }
    }

    /// A Huffman code, whose bits are stored from the most significant.
    mutating func writeCode(_ code: Int, length: Int) {
        var reversed = 0
        for bit in 0..<length { reversed |= ((code >> bit) & 1) << (length - 1 - bit) }
        write(bits: reversed, count: length)
    }

    /// A literal/length symbol 0…287 in the fixed code (RFC 1951 §3.2.6).
    mutating func writeSymbol(_ symbol: Int) {
        switch symbol {
        case 0...143: writeCode(0x30 + symbol, length: 8)
        case 144...255: writeCode(0x190 + symbol - 144, length: 9)
        case 256...279: writeCode(symbol - 256, length: 7)
        default: writeCode(0xC0 + symbol - 280, length: 8)
        }
    }

    /// A match length 3…258: its length code and extra bits.
    mutating func writeLength(_ length: Int) {
        var code = 0
        while code + 1 < BitWriter.lengthBase.count, BitWriter.lengthBase[code + 1] <= length { code += 1 }
        writeSymbol(257 + code)
        let extra = BitWriter.lengthExtra[code]
        if extra > 0 { write(bits: length - BitWriter.lengthBase[code], count: extra) }
    }

    /// A match distance 1…32768: its 5-bit code and extra bits.
    mutating func writeDistance(_ distance: Int) {
        var code = 0
        while code + 1 < BitWriter.distanceBase.count, BitWriter.distanceBase[code + 1] <= distance { code += 1 }
        writeCode(code, length: 5)
        let extra = BitWriter.distanceExtra[code]
        if extra > 0 { write(bits: distance - BitWriter.distanceBase[code], count: extra) }
    }

    /// Pads the last byte with zero bits.
    mutating func flush() {
        if used > 0 { bytes.append(UInt8(buffer & 0xFF)) }
        buffer = 0
        used = 0
    }

    // Length 258 has its own code (285) with no extra bits, although 284's range would reach it.
    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
    ]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
}
