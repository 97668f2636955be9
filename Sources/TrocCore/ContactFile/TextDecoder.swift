import CTrocScan

/// The character encodings a French SME's export arrives in.
public enum TextEncoding: String, Sendable, Codable {
    case utf8 = "UTF-8"
    case utf8WithBOM = "UTF-8 (BOM)"
    case utf16LittleEndian = "UTF-16LE"
    case utf16BigEndian = "UTF-16BE"
    case windows1252 = "Windows-1252"
}

/// Streams bytes in any supported encoding out as UTF-8, appending to a caller's buffer.
///
/// UTF-16 is recognised by its byte-order mark (or, without one, by its pattern of zero bytes).
/// Otherwise the decision between UTF-8 and Windows-1252 is taken at the first non-ASCII
/// sequence: valid UTF-8 means UTF-8, anything else Windows-1252 (Excel's "CSV" on a French
/// Windows). Once in UTF-8, an invalid sequence becomes U+FFFD so the row that holds it can be
/// rejected with its line and column; the stream itself never fails.
struct TextDecoder {
    private enum Mode {
        case undetermined
        case asciiSoFar
        case utf8
        case windows1252
        case utf16(bigEndian: Bool)
    }

    private var mode: Mode = .undetermined
    private var carry: [UInt8] = []
    private var pendingHighSurrogate: UInt16?
    private var sawBOM = false
    /// Bytes of a byte-order mark still to drop from the input.
    private var skipPrefix = 0
    /// Whether old-Mac CR-only line ends are turned into LF (set once, with `translateCarriageReturns`).
    private(set) var translatesCarriageReturns = false
    /// Whether the last byte translated was a CR, so that a LF opening the next chunk is the second half of its CR LF.
    private var translatedCarriageReturnLast = false
    /// LF bytes appended since the last `takeLineFeeds()`: counted while decoding, so the reader
    /// knows line numbers without a second pass over the bytes.
    private var lineFeeds = 0

    /// Turns CR-only line ends into LF from now on, and in `decoded[start...]`, the output already decoded.
    mutating func translateCarriageReturns(in decoded: inout [UInt8], from start: Int) {
        translatesCarriageReturns = true
        translate(&decoded, from: start)
    }

    /// Each CR of `buffer[start...]` as a LF, and a CR LF as one LF: in a file whose lines end in CR, a CR LF (a
    /// Windows line pasted in) is one line end, as every editor shows it, not a line end and an empty line.
    private mutating func translate(_ buffer: inout [UInt8], from start: Int) {
        var kept = start
        var afterCarriageReturn = translatedCarriageReturnLast
        for index in start..<buffer.count {
            let byte = buffer[index]
            if byte == 0x0A, afterCarriageReturn {
                afterCarriageReturn = false
                continue
            }
            afterCarriageReturn = byte == 0x0D
            buffer[kept] = afterCarriageReturn ? 0x0A : byte
            kept += 1
        }
        buffer.removeLast(buffer.count - kept)
        translatedCarriageReturnLast = afterCarriageReturn
    }

    /// The LF bytes appended since the last call.
    mutating func takeLineFeeds() -> Int {
        defer { lineFeeds = 0 }
        return lineFeeds
    }

    /// The encoding decided so far (UTF-8 while only ASCII has been seen).
    var encoding: TextEncoding {
        switch mode {
        case .undetermined, .asciiSoFar, .utf8: sawBOM ? .utf8WithBOM : .utf8
        case .windows1252: .windows1252
        case .utf16(let bigEndian): bigEndian ? .utf16BigEndian : .utf16LittleEndian
        }
    }

    /// Decodes `input` and appends UTF-8 to `output`. With `isFinal`, an incomplete trailing sequence is replaced.
    mutating func decode(_ input: UnsafeRawBufferPointer, isFinal: Bool, into output: inout [UInt8]) throws(ContactFileError) {
        if case .undetermined = mode {
            carry.append(contentsOf: input)
            // Decide on the same first kilobyte however the bytes arrive.
            guard carry.count >= TextDecoder.detectionWindow || isFinal else { return }
            let head = carry
            carry = []
            try detect(head)
            head.withUnsafeBytes { decodeDetermined($0, isFinal: isFinal, into: &output) }
            return
        }
        if !carry.isEmpty {
            var joined = carry
            carry = []
            joined.append(contentsOf: input)
            joined.withUnsafeBytes { decodeDetermined($0, isFinal: isFinal, into: &output) }
        } else {
            decodeDetermined(input, isFinal: isFinal, into: &output)
        }
    }

    private mutating func detect(_ head: [UInt8]) throws(ContactFileError) {
        if head.starts(with: [0xEF, 0xBB, 0xBF]) {
            mode = .utf8
            sawBOM = true
            skipPrefix = 3
        } else if head.starts(with: [0xFF, 0xFE]) {
            mode = .utf16(bigEndian: false)
            sawBOM = true
            skipPrefix = 2
        } else if head.starts(with: [0xFE, 0xFF]) {
            mode = .utf16(bigEndian: true)
            sawBOM = true
            skipPrefix = 2
        } else if let what = TextDecoder.binarySignature(head) {
            throw .binary(what: what)
        } else if let bigEndian = TextDecoder.bomlessUTF16(head) {
            mode = .utf16(bigEndian: bigEndian)
        } else if head.prefix(TextDecoder.detectionWindow).contains(0) {
            throw .binary(what: "it contains NUL bytes in its first kilobyte")
        } else {
            mode = .asciiSoFar
        }
    }

    private mutating func decodeDetermined(_ input: UnsafeRawBufferPointer, isFinal: Bool, into output: inout [UInt8]) {
        var bytes = input
        if skipPrefix > 0 {
            let skipped = min(skipPrefix, bytes.count)
            bytes = UnsafeRawBufferPointer(rebasing: bytes[skipped...])
            skipPrefix -= skipped
        }
        let start = output.count
        let lineFeedsBefore = lineFeeds
        let countedWhileDecoding: Bool
        switch mode {
        case .undetermined, .asciiSoFar, .utf8:
            countedWhileDecoding = decodeUTF8(bytes, isFinal: isFinal, into: &output)
        case .windows1252:
            decodeWindows1252(bytes, into: &output)
            countedWhileDecoding = false
        case .utf16(let bigEndian):
            decodeUTF16(bytes, bigEndian: bigEndian, isFinal: isFinal, into: &output)
            countedWhileDecoding = false
        }
        if translatesCarriageReturns { translate(&output, from: start) }
        if !countedWhileDecoding || translatesCarriageReturns {
            lineFeeds = lineFeedsBefore + output.withUnsafeBufferPointer { ByteSearch.countLineFeeds(in: $0, from: start, to: $0.count) }
        }
    }

    // MARK: UTF-8 and the UTF-8/Windows-1252 decision

    /// Validates and copies UTF-8, counting LF bytes on the way; returns false if it handed the rest
    /// to the Windows-1252 decoder (whose output is then counted by the caller).
    private mutating func decodeUTF8(_ input: UnsafeRawBufferPointer, isFinal: Bool, into output: inout [UInt8]) -> Bool {
        let count = input.count
        var index = 0
        var runStart = 0
        var lineFeeds = 0
        defer { self.lineFeeds += lineFeeds }
        while index < count {
            // ASCII up to the next byte that is not (`troc_ascii_prefix`, 32 bytes at a time), counting its line ends.
            var asciiLineFeeds = 0
            index += troc_ascii_prefix(input.baseAddress!.assumingMemoryBound(to: UInt8.self) + index, count - index, &asciiLineFeeds)
            lineFeeds += asciiLineFeeds
            guard index < count else { break }
            let byte = input[index]
            if byte < 0x80 {
                if byte == 0x0A { lineFeeds += 1 }
                index += 1
                continue
            }
            switch TextDecoder.utf8SequenceLength(input, at: index) {
            case .valid(let length):
                if case .asciiSoFar = mode { mode = .utf8 }
                index += length
            case .incomplete where !isFinal:
                output.append(contentsOf: input[runStart..<index])
                carry = Array(input[index...])
                return true
            case .incomplete, .invalid:
                if case .asciiSoFar = mode {
                    // The first non-ASCII byte is not UTF-8: the whole file is Windows-1252.
                    mode = .windows1252
                    output.append(contentsOf: input[runStart..<index])
                    decodeWindows1252(UnsafeRawBufferPointer(rebasing: input[index...]), into: &output)
                    lineFeeds = 0
                    return false
                }
                output.append(contentsOf: input[runStart..<index])
                output.append(contentsOf: TextDecoder.replacement)
                index += 1
                runStart = index
            }
        }
        output.append(contentsOf: input[runStart..<count])
        return true
    }

    private enum SequenceCheck {
        case valid(Int)
        case incomplete
        case invalid
    }

    /// Checks the UTF-8 sequence at `index` (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
    private static func utf8SequenceLength(_ input: UnsafeRawBufferPointer, at index: Int) -> SequenceCheck {
        let lead = input[index]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            upper = 0x9F
        case 0xF0:
            length = 4
            lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            upper = 0x8F
        default: return .invalid
        }
        for offset in 1..<length {
            guard index + offset < input.count else { return .incomplete }
            let byte = input[index + offset]
            let (low, high) = offset == 1 ? (lower, upper) : (0x80, 0xBF)
            guard byte >= low, byte <= high else { return .invalid }
        }
        return .valid(length)
    }

    /// The index of the first byte at or after `index` that is not ASCII, or NUL, or the end.
    @inline(__always)
    private static func skipASCII(_ input: UnsafeRawBufferPointer, from index: Int) -> Int {
        var position = index
        let count = input.count
        while position + 8 <= count {
            let word = input.loadUnaligned(fromByteOffset: position, as: UInt64.self)
            // High bit set, or a zero byte (exact test: no false positives from borrows).
            let high = word & 0x8080_8080_8080_8080
            let zero = ~(((word & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | word | 0x7F7F_7F7F_7F7F_7F7F)
            if high | zero != 0 { break }
            position += 8
        }
        while position < count {
            let byte = input[position]
            if byte >= 0x80 || byte == 0 { return position }
            position += 1
        }
        return position
    }

    // MARK: Windows-1252

    private mutating func decodeWindows1252(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        output.reserveCapacity(output.count + input.count + input.count / 8)
        var index = 0
        let count = input.count
        while index < count {
            let next = TextDecoder.skipASCII(input, from: index)
            if next > index {
                output.append(contentsOf: input[index..<next])
                index = next
                continue
            }
            let byte = input[index]
            index += 1
            if byte == 0 {
                output.append(0)
            } else if byte >= 0xA0 {
                output.append(0xC0 | byte >> 6)
                output.append(0x80 | byte & 0x3F)
            } else {
                let scalar = TextDecoder.windows1252C1[Int(byte - 0x80)]
                if scalar == 0 {
                    output.append(contentsOf: TextDecoder.replacement)
                } else {
                    TextDecoder.appendUTF8(scalar: UInt32(scalar), to: &output)
                }
            }
        }
    }

    /// Windows-1252 0x80–0x9F; 0 marks the five undefined bytes.
    private static let windows1252C1: [UInt16] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    // MARK: UTF-16

    private mutating func decodeUTF16(_ input: UnsafeRawBufferPointer, bigEndian: Bool, isFinal: Bool, into output: inout [UInt8]) {
        output.reserveCapacity(output.count + input.count / 2 + 16)
        let count = input.count
        var index = 0
        while index + 1 < count {
            let unit = bigEndian ? UInt16(input[index]) << 8 | UInt16(input[index + 1]) : UInt16(input[index + 1]) << 8 | UInt16(input[index])
            index += 2
            if let high = pendingHighSurrogate {
                pendingHighSurrogate = nil
                if (0xDC00...0xDFFF).contains(unit) {
                    let scalar = 0x10000 + (UInt32(high - 0xD800) << 10 | UInt32(unit - 0xDC00))
                    TextDecoder.appendUTF8(scalar: scalar, to: &output)
                    continue
                }
                output.append(contentsOf: TextDecoder.replacement)
            }
            switch unit {
            case 0:
                output.append(0)
            case 0..<0x80:
                output.append(UInt8(unit))
            case 0xD800...0xDBFF:
                pendingHighSurrogate = unit
            case 0xDC00...0xDFFF:
                output.append(contentsOf: TextDecoder.replacement)
            default:
                TextDecoder.appendUTF8(scalar: UInt32(unit), to: &output)
            }
        }
        if index < count {
            if isFinal {
                output.append(contentsOf: TextDecoder.replacement)
            } else {
                carry = [input[index]]
            }
        }
        if isFinal, pendingHighSurrogate != nil {
            pendingHighSurrogate = nil
            output.append(contentsOf: TextDecoder.replacement)
        }
    }

    // MARK: Helpers

    static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Bytes examined before deciding the encoding or that the file is binary.
    static let detectionWindow = 1024

    private static func appendUTF8(scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18))
            output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Names the kind of binary file that a partner most likely exported by mistake.
    private static func binarySignature(_ head: [UInt8]) -> String? {
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "it is a ZIP archive, such as an .xlsx or .ods workbook" }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return "it is a legacy Excel .xls workbook" }
        if head.starts(with: Array("%PDF".utf8)) { return "it is a PDF document" }
        if head.starts(with: [0x1F, 0x8B]) { return "it is gzip-compressed" }
        return nil
    }

    /// Recognises UTF-16 without a byte-order mark: text whose every other byte is zero.
    private static func bomlessUTF16(_ head: [UInt8]) -> Bool? {
        let sample = head.prefix(512)
        guard sample.count >= 8 else { return nil }
        var zeroEven = 0
        var zeroOdd = 0
        for (index, byte) in sample.enumerated() where byte == 0 {
            if index % 2 == 0 { zeroEven += 1 } else { zeroOdd += 1 }
        }
        let half = sample.count / 2
        if zeroOdd * 10 > half * 7 && zeroEven * 10 < half { return false }
        if zeroEven * 10 > half * 7 && zeroOdd * 10 < half { return true }
        return nil
    }
}
