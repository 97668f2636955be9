import Foundation
import Testing
import TrocPDF

/// The file structure, read back from uncompressed output: header, cross-reference stream whose offsets point
/// exactly at each object, and an object stream holding every non-stream object.
@Suite struct PDFFileWriterTests {
    /// A catalog, a page tree and a page referring to each other, a content stream, and an info dictionary.
    static func sample(compression: PDFFileWriter.Compression) -> [UInt8] {
        var file = PDFFileWriter(compression: compression)
        let catalog = file.reserve()
        let pages = file.reserve()
        let content = file.addStream(data: Array("BT /F1 12 Tf 10 10 Td (Bonjour) Tj ET".utf8))
        let page = file.add(.dictionary(["Type": .name("Page"), "Parent": .reference(pages), "Contents": .reference(content)]))
        file.set(pages, .dictionary(["Type": .name("Pages"), "Kids": .array([.reference(page)]), "Count": .integer(1)]))
        file.set(catalog, .dictionary(["Type": .name("Catalog"), "Pages": .reference(pages)]))
        let info = file.add(.dictionary(["Title": .text("Essai")]))
        return file.write(root: catalog, info: info, id: Array(0..<16))
    }

    @Test func startsWithTheVersionAndABinaryCommentAndEndsWithEOF() {
        let bytes = Self.sample(compression: .flate)
        #expect(Array(bytes.prefix(15)) == Array("%PDF-1.7\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A])
        #expect(String(decoding: bytes.suffix(6), as: UTF8.self) == "%%EOF\n")
    }

    @Test func crossReferenceOffsetsPointAtTheirObjects() throws {
        let file = try ParsedPDF(Self.sample(compression: .none))
        // Objects 1–5 as written, 6 the object stream, 7 the cross-reference stream.
        #expect(file.entries.count == 8)
        #expect(file.entries[0] == .free)
        for (number, entry) in file.entries.enumerated().dropFirst() {
            if case .offset(let offset) = entry {
                #expect(file.text(from: offset).hasPrefix("\(number) 0 obj\n"), "object \(number) at \(offset)")
            }
        }
        #expect(file.entries[3] == .offset(15), "the first stream follows the 15-byte header")
        #expect(file.trailer.contains("/Root 1 0 R") && file.trailer.contains("/Info 5 0 R") && file.trailer.contains("/Size 8"))
        #expect(file.trailer.contains("/ID [<000102030405060708090A0B0C0D0E0F> <000102030405060708090A0B0C0D0E0F>]"))
    }

    @Test func objectStreamHoldsEveryObjectThatIsNotAStream() throws {
        let file = try ParsedPDF(Self.sample(compression: .none))
        let packed: [(Int, Int)] = file.entries.enumerated().compactMap { number, entry in
            if case .inStream(_, let index) = entry { return (number, index) }
            return nil
        }
        #expect(packed.map(\.0) == [1, 2, 4, 5] && packed.map(\.1) == [0, 1, 2, 3])
        #expect(file.entries[6] != .free)
        let objects = try file.objectStream(6)
        #expect(objects[1] == "<</Type /Catalog/Pages 2 0 R>>")
        #expect(objects[2] == "<</Type /Pages/Kids [4 0 R]/Count 1>>")
        #expect(objects[4] == "<</Type /Page/Parent 2 0 R/Contents 3 0 R>>")
        #expect(objects[5] == "<</Title (Essai)>>")
    }

    @Test func streamsDeclareTheirExactLength() throws {
        let file = try ParsedPDF(Self.sample(compression: .none))
        guard case .offset(let offset) = file.entries[3] else {
            Issue.record("object 3 is not at an offset")
            return
        }
        let text = file.text(from: offset)
        #expect(text.hasPrefix("3 0 obj\n<</Length 37>>\nstream\nBT /F1 12 Tf 10 10 Td (Bonjour) Tj ET\nendstream\nendobj\n"))
    }

    @Test func compressedOutputIsSmallerAndDeterministic() {
        let compressed = Self.sample(compression: .flate)
        #expect(compressed == Self.sample(compression: .flate))
        #expect(String(decoding: compressed, as: UTF8.self).contains("/Filter /FlateDecode"))
    }
}

/// A reader for the uncompressed files `PDFFileWriter(compression: .none)` writes: just enough to check offsets.
struct ParsedPDF {
    enum Entry: Equatable {
        case free
        case offset(Int)
        case inStream(Int, index: Int)
    }

    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    let bytes: [UInt8]
    private(set) var entries: [Entry] = []
    private(set) var trailer = ""

    init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        let text = String(decoding: bytes, as: UTF8.self)
        guard let startxref = text.ranges(of: "startxref\n").last else { throw Malformed(description: "no startxref") }
        let offsetText = text[startxref.upperBound...].prefix { $0.isNumber }
        guard let offset = Int(offsetText) else { throw Malformed(description: "no offset after startxref") }
        let (dictionary, data) = try stream(at: offset)
        trailer = dictionary
        guard let widths = dictionary.firstMatch(of: /\/W \[(\d+) (\d+) (\d+)\]/) else { throw Malformed(description: "no /W") }
        let w = [Int(widths.1)!, Int(widths.2)!, Int(widths.3)!]
        let rowLength = w.reduce(0, +)
        for row in stride(from: 0, to: data.count, by: rowLength) {
            var fields: [Int] = []
            var position = row
            for width in w {
                fields.append(data[position..<(position + width)].reduce(0) { $0 << 8 | Int($1) })
                position += width
            }
            switch fields[0] {
            case 0: entries.append(.free)
            case 1: entries.append(.offset(fields[1]))
            default: entries.append(.inStream(fields[1], index: fields[2]))
            }
        }
    }

    func text(from offset: Int) -> String { String(decoding: bytes[offset...], as: UTF8.self) }

    /// The dictionary text and the data of the stream object at `offset`, using its `/Length`.
    func stream(at offset: Int) throws -> (String, [UInt8]) {
        let text = self.text(from: offset)
        guard let start = text.range(of: "\nstream\n") else { throw Malformed(description: "no stream at \(offset)") }
        let dictionary = String(text[..<start.lowerBound])
        guard let length = dictionary.firstMatch(of: /\/Length (\d+)/).map({ Int($0.1)! }) else { throw Malformed(description: "no /Length") }
        let dataStart = offset + text.utf8.distance(from: text.startIndex, to: start.upperBound)
        let data = Array(bytes[dataStart..<(dataStart + length)])
        guard String(decoding: bytes[(dataStart + length)...].prefix(10), as: UTF8.self) == "\nendstream" else {
            throw Malformed(description: "stream at \(offset) does not end at its /Length")
        }
        return (dictionary, data)
    }

    /// The objects of the object stream `number`, by object number, as text.
    func objectStream(_ number: Int) throws -> [Int: String] {
        guard case .offset(let offset) = entries[number] else { throw Malformed(description: "object \(number) has no offset") }
        let (dictionary, data) = try stream(at: offset)
        guard let first = dictionary.firstMatch(of: /\/First (\d+)/).map({ Int($0.1)! }),
            let count = dictionary.firstMatch(of: /\/N (\d+)/).map({ Int($0.1)! })
        else { throw Malformed(description: "no /First or /N") }
        let header = String(decoding: data[..<first], as: UTF8.self).split(separator: " ").map { Int($0)! }
        var objects: [Int: String] = [:]
        for index in 0..<count {
            let start = first + header[index * 2 + 1]
            let end = index + 1 < count ? first + header[index * 2 + 3] : data.count
            objects[header[index * 2]] = String(decoding: data[start..<end], as: UTF8.self).trimmingCharacters(in: .newlines)
        }
        return objects
    }
}
