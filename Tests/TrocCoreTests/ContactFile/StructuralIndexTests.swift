import CTrocScan
import PropertyBased
import Testing

@testable import TrocCore

@Suite struct StructuralIndexTests {
    /// Bytes that matter to the scanner (every separator, quotes, CR, LF, NUL, U+FFFD's first byte), and some that do not.
    private static let alphabet: [UInt8] = Array(";,\t|\"\r\n\r\nab".utf8) + [0, 0xEF, 0xBF, 0xBD, 0xC3, 0xA9]
    private static let text = Gen.int(in: 0...(alphabet.count - 1)).array(of: 0...300).map { $0.map { alphabet[$0] } }
    private static let delimiter = Gen.int(in: 0...3).map { [UInt8(ascii: ";"), UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: "|")][$0] }

    @Test func theVectorIndexIsTheScalarOne() async {
        await propertyCheck(input: Self.text, Self.delimiter) { bytes, delimiter in
            let words = max(1, (bytes.count + 63) / 64)
            var vector = ([UInt64](repeating: 1, count: words), [UInt64](repeating: 1, count: words))
            var scalar = ([UInt64](repeating: 2, count: words), [UInt64](repeating: 2, count: words))
            let vectorAnomaly = troc_scan_index(bytes, bytes.count, delimiter, &vector.0, &vector.1)
            let scalarAnomaly = troc_scan_index_scalar(bytes, bytes.count, delimiter, &scalar.0, &scalar.1)
            #expect(vectorAnomaly == scalarAnomaly)
            if !bytes.isEmpty {
                #expect(vector.0 == scalar.0 && vector.1 == scalar.1)
            }
            #expect((scalarAnomaly != 0) == (bytes.contains(0) || bytes.contains(0xEF)))
            for (index, byte) in bytes.enumerated() {
                let bit = scalar.0[index / 64] >> UInt64(index % 64) & 1 == 1
                #expect(bit == (byte == delimiter || byte == 0x0A))
            }
        }
    }

    @Test func theVectorASCIIPrefixIsTheScalarOne() async {
        // One byte in 64 is not ASCII, so that prefixes run over several 32-byte chunks.
        let text = Gen.int(in: 0...63).array(of: 0...300).map { $0.map { $0 == 63 ? 0xC3 : [UInt8(ascii: "a"), 0x0A, 0x7F][$0 % 3] } }
        await propertyCheck(input: text) { bytes in
            var (vectorLineFeeds, scalarLineFeeds) = (1, 1)
            let vector = troc_ascii_prefix(bytes, bytes.count, &vectorLineFeeds)
            let scalar = troc_ascii_prefix_scalar(bytes, bytes.count, &scalarLineFeeds)
            let expected = bytes.firstIndex { $0 >= 0x80 } ?? bytes.count
            #expect(vector == expected && scalar == expected)
            #expect(vectorLineFeeds == scalarLineFeeds && scalarLineFeeds == 1 + bytes[..<expected].count { $0 == 0x0A })
        }
    }

    /// Every record of random text, split by bit scanning where it holds no quote, is the record the byte scanner reads.
    @Test func aQuoteFreeRecordSplitsAsTheScannerSplitsIt() async {
        await propertyCheck(input: Self.text, Self.delimiter) { bytes, delimiter in
            bytes.withUnsafeBufferPointer { bytes in
                let index = StructuralIndex(bytes, delimiter: delimiter)
                let scanner = CSVRecordScanner(delimiter: delimiter)
                var expected = FieldSpans()
                var fields = FieldSpans()
                var position = 0
                while position < bytes.count {
                    let scan = scanner.scan(bytes, from: position, into: &expected)
                    let record = bytes[position..<scan.next]
                    if let fast = index.scan(bytes, from: position, into: &fields) {
                        #expect(!record.contains(CSVRecordScanner.quote), "a record with a quote split by bits")
                        #expect(fast.next == scan.next && fast.lineBreaks == scan.lineBreaks && !fast.unterminatedQuote)
                        #expect(fields.count == expected.count)
                        for field in 0..<min(fields.count, expected.count) {
                            let (a, b) = (fields[field], expected[field])
                            #expect(a.start == b.start && a.end == b.end && a.quoted == b.quoted && a.needsUnescape == b.needsUnescape)
                        }
                    } else {
                        // The first record end the bits see is before or at the scanner's (a quoted LF is not one to it).
                        #expect(bytes[position..<min(bytes.count, scan.next)].contains(CSVRecordScanner.quote) || scan.unterminatedQuote)
                    }
                    position = scan.next
                }
                #expect(index.holdsNULOrReplacementLead == (bytes.contains(0) || bytes.contains(0xEF)))
            }
        }
    }

    @Test func aBlockWithoutQuotesIsSplitWholeByBits() {
        let text = Array("a;b;;c\r\n;\n\nx;y\r".utf8)
        text.withUnsafeBufferPointer { bytes in
            let index = StructuralIndex(bytes, delimiter: UInt8(ascii: ";"))
            var fields = FieldSpans()
            let first = index.scan(bytes, from: 0, into: &fields)
            #expect(first?.next == 8 && first?.lineBreaks == 1)
            #expect(
                (0..<fields.count).map { Array(bytes[Int(fields[$0].start)..<Int(fields[$0].end)]) } == ["a", "b", "", "c"].map { Array($0.utf8) })
            #expect(index.scan(bytes, from: 8, into: &fields)?.next == 10 && fields.count == 2)
            #expect(index.scan(bytes, from: 10, into: &fields)?.next == 11 && fields.isBlankLine)
            let last = index.scan(bytes, from: 11, into: &fields)
            #expect(last?.next == bytes.count && last?.lineBreaks == 0)
            #expect(fields.count == 2 && fields[1].end - fields[1].start == 1)
        }
    }
}
