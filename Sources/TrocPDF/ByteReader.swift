/// Big-endian reads relative to `base`, each checked against the end of the bytes.
struct ByteReader {
    let bytes: [UInt8]
    var base = 0

    /// A reader of `bytes` from offset 0.
    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// `count` bytes at `base + offset`.
    func slice(_ offset: Int, _ count: Int) throws(PDFFontError) -> ArraySlice<UInt8> {
        let start = base + offset
        guard start >= 0, start + count <= bytes.count else { throw .malformed("read of \(count) bytes at \(start) past the end") }
        return bytes[start..<(start + count)]
    }

    /// The unsigned 16-bit number at `base + offset`.
    func uint16(at offset: Int) throws(PDFFontError) -> Int {
        let pair = try slice(offset, 2)
        return Int(pair[pair.startIndex]) << 8 | Int(pair[pair.startIndex + 1])
    }

    /// The signed 16-bit number at `base + offset`.
    func int16(at offset: Int) throws(PDFFontError) -> Int { Int(Int16(bitPattern: UInt16(try uint16(at: offset)))) }

    /// The unsigned 32-bit number at `base + offset`.
    func uint32(at offset: Int) throws(PDFFontError) -> Int { try uint16(at: offset) << 16 | uint16(at: offset + 2) }
}

/// Big-endian writes, as font tables store numbers.
extension [UInt8] {
    /// Appends `value` as two bytes.
    mutating func appendUInt16(_ value: Int) {
        append(UInt8((value >> 8) & 0xFF))
        append(UInt8(value & 0xFF))
    }

    /// Appends `value` as four bytes.
    mutating func appendUInt32(_ value: Int) {
        appendUInt16((value >> 16) & 0xFFFF)
        appendUInt16(value & 0xFFFF)
    }

    /// Overwrites two bytes at `offset` with `value`.
    mutating func replaceUInt16(at offset: Int, with value: Int) {
        self[offset] = UInt8((value >> 8) & 0xFF)
        self[offset + 1] = UInt8(value & 0xFF)
    }

    /// Overwrites four bytes at `offset` with `value`.
    mutating func replaceUInt32(at offset: Int, with value: Int) {
        replaceUInt16(at: offset, with: (value >> 16) & 0xFFFF)
        replaceUInt16(at: offset + 2, with: value & 0xFFFF)
    }
}
