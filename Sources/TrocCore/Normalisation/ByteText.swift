/// Byte-level helpers shared by the normalisers: they work on UTF-8 slices of a decoded record
/// so the hot path never builds a `String`.
enum ByteText {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")

    /// `bytes` without leading and trailing spaces, tabs, CR and non-breaking spaces (C2 A0).
    @inline(__always)
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = bytes.count
        while start < end {
            let byte = bytes[start]
            if byte == space || byte == tab || byte == 0x0D || byte == 0x0A {
                start += 1
            } else if byte == 0xC2, start + 1 < end, bytes[start + 1] == 0xA0 {
                start += 2
            } else {
                break
            }
        }
        while end > start {
            let byte = bytes[end - 1]
            if byte == space || byte == tab || byte == 0x0D || byte == 0x0A {
                end -= 1
            } else if byte == 0xA0, end - 2 >= start, bytes[end - 2] == 0xC2 {
                end -= 2
            } else {
                break
            }
        }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }

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
        for byte in bytes { append(byte) }
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
