/// Byte-level helpers shared by the normalisers: they work on UTF-8 slices of a decoded record
/// so the hot path never builds a `String`.
enum ByteText {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")

    /// `bytes` without leading and trailing white space: the same set as Swift's `Character.isWhitespace` (Unicode
    /// White_Space), so that a value trimmed here and one trimmed as a `String` (a suppression entry typed by an
    /// operator) give the same match key; French exports pad cells with no-break and narrow no-break spaces.
    @inline(__always)
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = bytes.count
        while start < end, let length = whitespaceLength(bytes, startingAt: start, end: end) { start += length }
        while end > start, let length = whitespaceLength(bytes, endingAt: end, start: start) { end -= length }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// The UTF-8 length of the white-space character at `index`, or nil if none starts there.
    @inline(__always)
    static func whitespaceLength(_ bytes: UnsafeBufferPointer<UInt8>, startingAt index: Int, end: Int) -> Int? {
        let byte = bytes[index]
        if byte == space || byte &- 0x09 < 5 { return 1 }
        if byte == 0xC2, index + 1 < end, bytes[index + 1] == 0x85 || bytes[index + 1] == 0xA0 { return 2 }
        guard byte >= 0xE1, byte <= 0xE3, index + 2 < end else { return nil }
        return isWideWhitespace(byte, bytes[index + 1], bytes[index + 2]) ? 3 : nil
    }

    /// The UTF-8 length of the white-space character that ends just before `end`, or nil if none does.
    @inline(__always)
    static func whitespaceLength(_ bytes: UnsafeBufferPointer<UInt8>, endingAt end: Int, start: Int) -> Int? {
        let byte = bytes[end - 1]
        if byte == space || byte &- 0x09 < 5 { return 1 }
        if byte == 0x85 || byte == 0xA0, end - 2 >= start, bytes[end - 2] == 0xC2 { return 2 }
        guard end - 3 >= start else { return nil }
        return isWideWhitespace(bytes[end - 3], bytes[end - 2], byte) ? 3 : nil
    }

    /// Whether three bytes encode one of the three-byte White_Space characters: U+1680, U+2000–U+200A, U+2028,
    /// U+2029, U+202F, U+205F, U+3000.
    @inline(__always)
    static func isWideWhitespace(_ first: UInt8, _ second: UInt8, _ third: UInt8) -> Bool {
        switch (first, second) {
        case (0xE1, 0x9A): third == 0x80
        case (0xE2, 0x80): third <= 0x8A && third >= 0x80 || third == 0xA8 || third == 0xA9 || third == 0xAF
        case (0xE2, 0x81): third == 0x9F
        case (0xE3, 0x80): third == 0x80
        default: false
        }
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }

    /// Whether `bytes` starts with `literal`, byte for byte.
    @inline(__always)
    static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        guard bytes.count >= literal.utf8CodeUnitCount else { return false }
        let expected = literal.utf8Start
        for index in 0..<literal.utf8CodeUnitCount where bytes[index] != expected[index] { return false }
        return true
    }

    /// Whether `bytes` equals `literal` ignoring ASCII case (`literal` is lowercase).
    @inline(__always)
    static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        let expected = literal.utf8Start
        for index in 0..<bytes.count where lowercased(bytes[index]) != expected[index] { return false }
        return true
    }

    /// Runs `body` on the UTF-8 bytes of `text` (String conveniences of the byte APIs).
    static func withBytes<Result>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        var copy = text
        return copy.withUTF8(body)
    }
}

/// A small reusable output buffer the normalisers write canonical bytes into, so a block of
/// rows allocates once, not once per value.
struct ByteScratch: ~Copyable {
    private let storage: UnsafeMutableBufferPointer<UInt8>
    /// Bytes written so far.
    private(set) var count = 0

    /// A scratch buffer of `capacity` bytes.
    init(capacity: Int) {
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    var capacity: Int { storage.count }

    mutating func removeAll() { count = 0 }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        storage[count] = byte
        count += 1
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        precondition(count + bytes.count <= storage.count, "ByteScratch overflow")
        (storage.baseAddress! + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func append(_ literal: StaticString) {
        for index in 0..<literal.utf8CodeUnitCount { append(literal.utf8Start[index]) }
    }

    /// Whether `more` bytes still fit.
    func fits(_ more: Int) -> Bool { count + more <= storage.count }

    subscript(index: Int) -> UInt8 {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    /// The bytes written so far.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: storage[0..<count]) }

    /// Keeps only the first `length` bytes.
    mutating func truncate(to length: Int) { count = min(count, length) }

    /// The written bytes as a String (reports, tests).
    var string: String { String(decoding: bytes, as: UTF8.self) }
}
