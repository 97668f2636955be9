/// A PDF object (ISO 32000-1 §7.3), serialised byte for byte the same way every time.
public indirect enum PDFObject: Hashable, Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case boolean(Bool)
    /// An integer.
    case integer(Int)
    /// A real number, written with at most three decimals and never in exponent form (§7.3.3).
    case real(Double)
    /// A name, `/Type`; given without the slash, escaped with `#xx` where §7.3.5 requires.
    case name(String)
    /// A byte string, written as a literal string with `\` escapes.
    case bytes([UInt8])
    /// A byte string written in hexadecimal, for binary identifiers.
    case hexBytes([UInt8])
    /// A text string (§7.9.2.2): PDFDocEncoding when the text is printable ASCII, else UTF-16BE with a byte order mark.
    case text(String)
    /// An array.
    case array([PDFObject])
    /// A dictionary.
    case dictionary(PDFDictionary)
    /// A reference to an indirect object, `12 0 R`.
    case reference(PDFReference)

    /// The object's bytes appended to `output`.
    public func write(to output: inout [UInt8]) {
        switch self {
        case .null: output += Array("null".utf8)
        case .boolean(let value): output += Array((value ? "true" : "false").utf8)
        case .integer(let value): output += Array(String(value).utf8)
        case .real(let value): output += Array(PDFObject.format(value).utf8)
        case .name(let name): PDFObject.writeName(name, to: &output)
        case .bytes(let bytes): PDFObject.writeLiteral(bytes, to: &output)
        case .hexBytes(let bytes): PDFObject.writeHex(bytes, to: &output)
        case .text(let text): PDFObject.writeText(text, to: &output)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: " ")) }
                item.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .dictionary(let dictionary): dictionary.write(to: &output)
        case .reference(let reference): output += Array("\(reference.number) 0 R".utf8)
        }
    }

    /// The object's bytes.
    public var serialised: [UInt8] {
        var output: [UInt8] = []
        write(to: &output)
        return output
    }

    /// `value` with at most three decimals, trailing zeros dropped: 12.5 → `12.5`, 3.0 → `3`, -0.0004 → `0`.
    public static func format(_ value: Double) -> String {
        let thousandths = Int((value * 1000).rounded())
        let sign = thousandths < 0 ? "-" : ""
        let magnitude = thousandths.magnitude
        var fraction = String(magnitude % 1000)
        guard magnitude % 1000 != 0 else { return sign + String(magnitude / 1000) }
        while fraction.count < 3 { fraction = "0" + fraction }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return sign + String(magnitude / 1000) + "." + fraction
    }

    /// `/name`, with #xx escapes.
    static func writeName(_ name: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "/"))
        for byte in name.utf8 {
            // Regular characters are written as they are; delimiters, white space, `#` and non-ASCII bytes as #xx.
            if byte > 0x20, byte < 0x7F, !PDFObject.delimiters.contains(byte), byte != UInt8(ascii: "#") {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "#"))
                output += hexDigits(byte)
            }
        }
    }

    /// `(bytes)`, with backslash escapes.
    static func writeLiteral(_ bytes: [UInt8], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "("))
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"): output += [UInt8(ascii: "\\"), byte]
            case 0x0A: output += Array("\\n".utf8)
            case 0x0D: output += Array("\\r".utf8)
            case 0x09: output += Array("\\t".utf8)
            case 0x08: output += Array("\\b".utf8)
            case 0x0C: output += Array("\\f".utf8)
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: ")"))
    }

    /// `<hex digits>`.
    static func writeHex(_ bytes: [UInt8], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "<"))
        for byte in bytes { output += hexDigits(byte) }
        output.append(UInt8(ascii: ">"))
    }

    /// A text string: literal when printable ASCII, else UTF-16BE hexadecimal with its byte order mark.
    static func writeText(_ text: String, to output: inout [UInt8]) {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            writeLiteral(Array(text.utf8), to: &output)
        } else {
            var bytes: [UInt8] = [0xFE, 0xFF]
            for unit in text.utf16 { bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
            writeHex(bytes, to: &output)
        }
    }

    /// Upper-case hexadecimal digits of `byte`.
    static func hexDigits(_ byte: UInt8) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        return [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
    }

    private static let delimiters: Set<UInt8> = Set("()<>[]{}/%".utf8)
}

/// An indirect object's number; every object Troc writes has generation 0.
public struct PDFReference: Hashable, Sendable, Comparable {
    /// The object number, from 1.
    public let number: Int

    /// The reference to object `number`.
    public init(_ number: Int) {
        self.number = number
    }

    public static func < (lhs: PDFReference, rhs: PDFReference) -> Bool { lhs.number < rhs.number }
}

/// A PDF dictionary whose keys keep the order they were given in, so that output is deterministic.
public struct PDFDictionary: Hashable, Sendable, ExpressibleByDictionaryLiteral {
    /// Keys (names without the slash) and values, in order.
    public private(set) var entries: [(key: String, value: PDFObject)]

    /// A dictionary with `elements` in the order written.
    public init(dictionaryLiteral elements: (String, PDFObject)...) {
        entries = elements.map { (key: $0.0, value: $0.1) }
    }

    /// The value of `key`; setting replaces it in place or appends it, setting nil removes it.
    public subscript(key: String) -> PDFObject? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append((key: key, value: newValue))
            }
        }
    }

    /// `<</Key value …>>` appended to `output`.
    public func write(to output: inout [UInt8]) {
        output += Array("<<".utf8)
        for (key, value) in entries {
            PDFObject.writeName(key, to: &output)
            output.append(UInt8(ascii: " "))
            value.write(to: &output)
        }
        output += Array(">>".utf8)
    }

    public static func == (lhs: PDFDictionary, rhs: PDFDictionary) -> Bool {
        lhs.entries.map(\.key) == rhs.entries.map(\.key) && lhs.entries.map(\.value) == rhs.entries.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        for (key, value) in entries {
            hasher.combine(key)
            hasher.combine(value)
        }
    }
}
