/// Where one field lies in a decoded record.
struct FieldSpan {
    /// First byte of the raw field (the opening quote for a quoted field).
    var start: Int32
    /// One past its last byte (after the closing quote; CR before LF excluded).
    var end: Int32
    /// The field starts with a quote.
    var quoted: Bool
    /// The field holds doubled quotes or text after its closing quote, so its value must be rebuilt.
    var needsUnescape: Bool
}

/// The field spans of the record being scanned, in a fixed buffer so that a row appends without
/// any uniqueness or capacity check. A record with more fields than the capacity keeps counting but
/// not storing: it is reported as ragged.
struct FieldSpans: ~Copyable {
    private let storage: UnsafeMutableBufferPointer<FieldSpan>
    /// Fields in the record (may exceed `capacity`).
    private(set) var count = 0

    /// Room for `capacity` fields (more than any header Troc accepts).
    init(capacity: Int = 4096) {
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    var capacity: Int { storage.count }

    /// Whether every field was stored.
    var isComplete: Bool { count <= storage.count }

    @inline(__always)
    mutating func removeAll() { count = 0 }

    @inline(__always)
    mutating func append(_ span: FieldSpan) {
        if count < storage.count { storage[count] = span }
        count += 1
    }

    @inline(__always)
    subscript(index: Int) -> FieldSpan { storage[index] }

    /// Whether the record is one empty field: a blank line.
    var isBlankLine: Bool { count == 1 && storage[0].start == storage[0].end }

    /// Whether every field is empty (`;;;;`, the rows Excel leaves below a range): not a row.
    var allEmpty: Bool {
        (0..<Swift.min(count, storage.count)).allSatisfy { index in
            let span = storage[index]
            return span.start == span.end || span.quoted && span.end - span.start == 2
        }
    }
}

/// The outcome of scanning one record.
struct RecordScan {
    /// The index just after the record's terminating LF (or the end of the bytes).
    var next: Int
    /// LF bytes consumed, the terminating one included: the next record starts that many lines later.
    var lineBreaks: Int
    /// A quoted field was still open at the end of the bytes.
    var unterminatedQuote: Bool
}

/// RFC 4180 record scanning on UTF-8 bytes: fields separated by one delimiter byte, records by LF
/// (a CR before it is dropped), fields quoted with `"` may hold delimiters, line breaks and doubled
/// quotes. A quote that is not at the start of a field is an ordinary character, as Excel reads it.
struct CSVRecordScanner {
    static let quote = UInt8(ascii: "\"")
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D

    /// The field separator.
    let delimiter: UInt8

    /// Scans the record starting at `start`, replacing `fields` with its field spans.
    @inline(__always)
    func scan(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, into fields: inout FieldSpans) -> RecordScan {
        fields.removeAll()
        let count = bytes.count
        let delimiter = self.delimiter
        var position = start
        var lineBreaks = 0
        while true {
            let fieldStart = position
            var end: Int
            var needsUnescape = false
            let quoted = position < count && bytes[position] == CSVRecordScanner.quote
            if quoted {
                position += 1
                var closed = false
                while position < count {
                    let byte = bytes[position]
                    if byte == CSVRecordScanner.quote {
                        if position + 1 < count, bytes[position + 1] == CSVRecordScanner.quote {
                            needsUnescape = true
                            position += 2
                            continue
                        }
                        closed = true
                        position += 1
                        break
                    }
                    if byte == CSVRecordScanner.lineFeed { lineBreaks += 1 }
                    position += 1
                }
                guard closed else {
                    return RecordScan(next: count, lineBreaks: lineBreaks, unterminatedQuote: true)
                }
                // Text after the closing quote is kept, as lenient readers do; a CR before LF is not text.
                while position < count {
                    let byte = bytes[position]
                    if byte == delimiter || byte == CSVRecordScanner.lineFeed { break }
                    if byte != CSVRecordScanner.carriageReturn || position + 1 < count && bytes[position + 1] != CSVRecordScanner.lineFeed {
                        needsUnescape = true
                    }
                    position += 1
                }
            } else {
                position = CSVRecordScanner.fieldEnd(bytes, from: position, delimiter: delimiter)
            }
            end = position
            let atLineEnd = position >= count || bytes[position] == CSVRecordScanner.lineFeed
            if atLineEnd, end > fieldStart, bytes[end - 1] == CSVRecordScanner.carriageReturn { end -= 1 }
            fields.append(FieldSpan(start: Int32(fieldStart), end: Int32(end), quoted: quoted, needsUnescape: needsUnescape))
            if position >= count {
                return RecordScan(next: count, lineBreaks: lineBreaks, unterminatedQuote: false)
            }
            if bytes[position] == CSVRecordScanner.lineFeed {
                return RecordScan(next: position + 1, lineBreaks: lineBreaks + 1, unterminatedQuote: false)
            }
            position += 1
        }
    }

    /// The index of the first delimiter or LF at or after `position` (or the end), eight bytes at a time.
    @inline(__always)
    static func fieldEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, delimiter: UInt8) -> Int {
        let count = bytes.count
        var position = start
        let raw = UnsafeRawPointer(bytes.baseAddress!)
        let delimiters = UInt64(delimiter) &* 0x0101_0101_0101_0101
        while position + 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: position, as: UInt64.self)
            let hits = zeroBytes(word ^ delimiters) | zeroBytes(word ^ 0x0A0A_0A0A_0A0A_0A0A)
            if hits != 0 { return position + hits.trailingZeroBitCount >> 3 }
            position += 8
        }
        while position < count {
            let byte = bytes[position]
            if byte == delimiter || byte == lineFeed { return position }
            position += 1
        }
        return count
    }

    /// The high bit of each byte of the result is set exactly where `word` has a zero byte.
    @inline(__always)
    static func zeroBytes(_ word: UInt64) -> UInt64 {
        ~(((word & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | word | 0x7F7F_7F7F_7F7F_7F7F)
    }

    /// The value of a field: a slice of `bytes` when possible, else rebuilt in `scratch`.
    @inline(__always)
    static func value(of span: FieldSpan, in bytes: UnsafeBufferPointer<UInt8>, scratch: inout ByteScratch) -> UnsafeBufferPointer<UInt8> {
        let start = Int(span.start)
        let end = Int(span.end)
        if !span.quoted {
            return UnsafeBufferPointer(rebasing: bytes[start..<end])
        }
        if !span.needsUnescape {
            return UnsafeBufferPointer(rebasing: bytes[(start + 1)..<max(start + 1, end - 1)])
        }
        return unescape(UnsafeBufferPointer(rebasing: bytes[start..<end]), into: &scratch)
    }

    /// Rebuilds a quoted field: doubled quotes become one, text after the closing quote is kept.
    static func unescape(_ raw: UnsafeBufferPointer<UInt8>, into scratch: inout ByteScratch) -> UnsafeBufferPointer<UInt8> {
        scratch.removeAll()
        var inQuotes = false
        var index = 0
        while index < raw.count, scratch.fits(1) {
            let byte = raw[index]
            if byte == quote {
                if inQuotes, index + 1 < raw.count, raw[index + 1] == quote {
                    scratch.append(quote)
                    index += 2
                    continue
                }
                inQuotes.toggle()
            } else {
                scratch.append(byte)
            }
            index += 1
        }
        return scratch.bytes
    }

    /// All records of a small text (reference tables, sniffing samples) as arrays of strings.
    static func records(of text: String, delimiter: UInt8) -> [[String]] {
        ByteText.withBytes(of: text) { bytes in
            let scanner = CSVRecordScanner(delimiter: delimiter)
            var fields = FieldSpans()
            var scratch = ByteScratch(capacity: bytes.count + 1)
            var rows: [[String]] = []
            var position = 0
            while position < bytes.count {
                let scan = scanner.scan(bytes, from: position, into: &fields)
                position = scan.next
                guard !fields.isBlankLine else { continue }
                rows.append(
                    (0..<min(fields.count, fields.capacity)).map {
                        String(decoding: value(of: fields[$0], in: bytes, scratch: &scratch), as: UTF8.self)
                    })
            }
            return rows
        }
    }
}
