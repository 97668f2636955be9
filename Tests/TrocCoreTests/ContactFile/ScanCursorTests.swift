import Foundation
import PropertyBased
import Testing

@testable import TrocCore

/// The SIMD record scan against the byte-at-a-time one: the same records, fields and line counts for any bytes.
@Suite struct ScanCursorTests {
    /// Every record of `bytes` as (next, line breaks, unterminated, and each field's start, end, quoted, rebuilt).
    private func records(_ bytes: [UInt8], delimiter: UInt8, vectorised: Bool) -> [[Int]] {
        bytes.withUnsafeBufferPointer { buffer in
            let scanner = CSVRecordScanner(delimiter: delimiter)
            var fields = FieldSpans()
            var cursor = ScanCursor(vectorised: vectorised)
            var records: [[Int]] = []
            var position = 0
            while position < buffer.count {
                let scan = scanner.scan(buffer, from: position, into: &fields, cursor: &cursor)
                var record = [scan.next, scan.lineBreaks, scan.unterminatedQuote ? 1 : 0, fields.count]
                for index in 0..<min(fields.count, fields.capacity) {
                    let span = fields[index]
                    record += [Int(span.start), Int(span.end), span.quoted ? 1 : 0, span.needsUnescape ? 1 : 0]
                }
                records.append(record)
                position = scan.next
            }
            return records
        }
    }

    private static let delimiters: [UInt8] = [UInt8(ascii: ";"), UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: "|")]

    @Test func randomBytesScanTheSameBothWays() async {
        await propertyCheck(input: Gen.uint8().array(of: 0...300), Gen.int(in: 0...3)) { bytes, delimiter in
            let delimiter = ScanCursorTests.delimiters[delimiter]
            #expect(records(bytes, delimiter: delimiter, vectorised: true) == records(bytes, delimiter: delimiter, vectorised: false))
        }
    }

    // Random bytes rarely hold a separator, a quote or a line end; these are mostly that, in records of every length
    // around the 64-byte windows.
    @Test func csvLikeBytesScanTheSameBothWays() async {
        let alphabet = Array(";,\t|\"\r\n\n\n;;;;ab é".utf8) + [0, 0xFF]
        await propertyCheck(input: Gen.int(in: 0...(alphabet.count - 1)).array(of: 0...400), Gen.int(in: 0...3)) { letters, delimiter in
            let bytes = letters.map { alphabet[$0] }
            let delimiter = ScanCursorTests.delimiters[delimiter]
            #expect(records(bytes, delimiter: delimiter, vectorised: true) == records(bytes, delimiter: delimiter, vectorised: false))
        }
    }

    @Test func fixtureFilesScanTheSameBothWays() throws {
        let directory = TestSupport.fixture("contacts")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".csv") || $0.hasSuffix(".txt") }
        #expect(names.count > 10)
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
            for delimiter in ScanCursorTests.delimiters {
                #expect(
                    records(bytes, delimiter: delimiter, vectorised: true) == records(bytes, delimiter: delimiter, vectorised: false),
                    "\(name)")
            }
        }
    }
}
