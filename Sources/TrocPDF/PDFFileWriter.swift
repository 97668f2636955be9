/// Assembles numbered objects into a PDF 1.7 file (ISO 32000-1 §7.5): the header with its binary comment, each
/// stream as an indirect object, every other object packed into one object stream (§7.5.7), and a
/// cross-reference stream (§7.5.8) that holds the trailer entries, `/ID` among them.
///
/// PDF/A-3 (ISO 19005-3, built on ISO 32000-1) allows object and cross-reference streams; they keep a file
/// of many small dictionaries compact. Objects come out in number order, so equal input gives equal bytes.
public struct PDFFileWriter {
    /// Whether streams are compressed with `FlateDecode`; `.none` leaves every byte readable, for tests.
    public enum Compression: Sendable {
        /// Compress streams that ask for it, the object stream and the cross-reference stream.
        case flate
        /// Write every stream as it is.
        case none
    }

    private enum Entry {
        case object(PDFObject)
        case stream(PDFDictionary, [UInt8], compress: Bool)
    }

    private let compression: Compression
    private var entries: [Entry?] = []

    /// An empty file.
    public init(compression: Compression = .flate) {
        self.compression = compression
    }

    /// A number for an object written later with `set`, so that objects can refer to each other.
    public mutating func reserve() -> PDFReference {
        entries.append(nil)
        return PDFReference(entries.count)
    }

    /// Adds `object` under a new number.
    public mutating func add(_ object: PDFObject) -> PDFReference {
        entries.append(.object(object))
        return PDFReference(entries.count)
    }

    /// Adds a stream under a new number; `/Length` and `/Filter` are set here.
    public mutating func addStream(_ dictionary: PDFDictionary = [:], data: [UInt8], compress: Bool = true) -> PDFReference {
        entries.append(.stream(dictionary, data, compress: compress))
        return PDFReference(entries.count)
    }

    /// Gives the reserved `reference` its object.
    public mutating func set(_ reference: PDFReference, _ object: PDFObject) {
        entries[reference.number - 1] = .object(object)
    }

    /// Gives the reserved `reference` a stream.
    public mutating func setStream(_ reference: PDFReference, _ dictionary: PDFDictionary = [:], data: [UInt8], compress: Bool = true) {
        entries[reference.number - 1] = .stream(dictionary, data, compress: compress)
    }

    /// The file, with `root` as its catalog, `info` as its document information dictionary and `id` (16 bytes) as
    /// both halves of its identifier.
    public func write(root: PDFReference, info: PDFReference?, id: [UInt8]) -> [UInt8] {
        var output = Array("%PDF-1.7\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
        let objectStreamNumber = entries.count + 1
        let crossReferenceNumber = entries.count + 2
        var offsets: [Int: Int] = [:]
        var packed: [(number: Int, bytes: [UInt8])] = []
        for (index, entry) in entries.enumerated() {
            let number = index + 1
            guard let entry else { preconditionFailure("object \(number) was reserved but never written") }
            switch entry {
            case .object(let object):
                packed.append((number, object.serialised))
            case .stream(let dictionary, let data, let compress):
                offsets[number] = output.count
                writeStream(number: number, dictionary, data: data, compress: compress, to: &output)
            }
        }
        var header: [UInt8] = []
        var body: [UInt8] = []
        for (number, bytes) in packed {
            header += Array("\(number) \(body.count) ".utf8)
            body += bytes + [0x0A]
        }
        offsets[objectStreamNumber] = output.count
        writeStream(
            number: objectStreamNumber, ["Type": .name("ObjStm"), "N": .integer(packed.count), "First": .integer(header.count)],
            data: header + body, compress: true, to: &output)

        let crossReferenceOffset = output.count
        offsets[crossReferenceNumber] = crossReferenceOffset
        let offsetWidth = PDFFileWriter.byteWidth(of: crossReferenceOffset)
        var table: [UInt8] = []
        /// Appends one cross-reference entry: type, offset or stream number, generation or index.
        func row(_ type: UInt8, _ field2: Int, _ field3: Int) {
            table.append(type)
            for shift in stride(from: (offsetWidth - 1) * 8, through: 0, by: -8) { table.append(UInt8((field2 >> shift) & 0xFF)) }
            table += [UInt8(field3 >> 8), UInt8(field3 & 0xFF)]
        }
        row(0, 0, 0xFFFF)
        var indexInStream: [Int: Int] = [:]
        for (index, item) in packed.enumerated() { indexInStream[item.number] = index }
        for number in 1...crossReferenceNumber {
            if let offset = offsets[number] {
                row(1, offset, 0)
            } else if let index = indexInStream[number] {
                row(2, objectStreamNumber, index)
            }
        }
        var trailer: PDFDictionary = [
            "Type": .name("XRef"), "Size": .integer(crossReferenceNumber + 1),
            "W": .array([.integer(1), .integer(offsetWidth), .integer(2)]), "Root": .reference(root),
        ]
        if let info { trailer["Info"] = .reference(info) }
        trailer["ID"] = .array([.hexBytes(id), .hexBytes(id)])
        writeStream(number: crossReferenceNumber, trailer, data: table, compress: true, to: &output)
        output += Array("startxref\n\(crossReferenceOffset)\n%%EOF\n".utf8)
        return output
    }

    private func writeStream(number: Int, _ dictionary: PDFDictionary, data: [UInt8], compress: Bool, to output: inout [UInt8]) {
        var dictionary = dictionary
        var data = data
        if compress, compression == .flate {
            data = ZlibCompressor.compress(data)
            dictionary["Filter"] = .name("FlateDecode")
        }
        dictionary["Length"] = .integer(data.count)
        output += Array("\(number) 0 obj\n".utf8)
        dictionary.write(to: &output)
        // §7.3.8.1: `stream` is followed by an end-of-line; PDF/A wants one before `endstream` too.
        output += Array("\nstream\n".utf8) + data + Array("\nendstream\nendobj\n".utf8)
    }

    /// Bytes needed to write `value` big-endian, at least 1.
    static func byteWidth(of value: Int) -> Int {
        var width = 1
        while value >> (8 * width) > 0 { width += 1 }
        return width
    }
}
