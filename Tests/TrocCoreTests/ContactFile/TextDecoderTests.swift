import PropertyBased
import Testing

@testable import TrocCore

@Suite struct TextDecoderTests {
    /// Decodes `bytes` fed in chunks of `chunkSize`: the text, its encoding, its replacement characters and its line feeds.
    private func decode(_ bytes: [UInt8], chunkSize: Int = 1 << 20) throws -> (String, TextEncoding, Int, Int) {
        var decoder = TextDecoder()
        var output: [UInt8] = []
        var lineFeeds = 0
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunkSize)
            try bytes[offset..<end].withUnsafeBytes { chunk in try decoder.decode(chunk, isFinal: false, into: &output) }
            lineFeeds += decoder.takeLineFeeds()
            offset = end
        }
        try decoder.decode(UnsafeRawBufferPointer(start: nil, count: 0), isFinal: true, into: &output)
        lineFeeds += decoder.takeLineFeeds()
        let text = String(decoding: output, as: UTF8.self)
        return (text, decoder.encoding, text.unicodeScalars.count { $0 == "\u{FFFD}" }, lineFeeds)
    }

    @Test func utf8WithAndWithoutBOM() throws {
        #expect(try decode(Array("Hélène\n".utf8)).0 == "Hélène\n")
        #expect(try decode(Array("Hélène\n".utf8)).1 == .utf8)
        let (text, encoding, _, _) = try decode([0xEF, 0xBB, 0xBF] + Array("Hélène\n".utf8))
        #expect(text == "Hélène\n")
        #expect(encoding == .utf8WithBOM)
    }

    @Test func utf16WithBOM() throws {
        let text = "nom;email\nZoé 🎉;zoe@example.fr\n"
        let little: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let big: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(try decode(little) == (text, TextEncoding.utf16LittleEndian, 0, 2))
        #expect(try decode(big) == (text, TextEncoding.utf16BigEndian, 0, 2))
        #expect(try decode(little, chunkSize: 1) == (text, TextEncoding.utf16LittleEndian, 0, 2))
    }

    @Test func utf16WithoutBOMIsRecognisedByItsZeroBytes() throws {
        let text = "nom;email\nZoe;zoe@example.fr\n"
        let little: [UInt8] = text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(try decode(little).1 == .utf16LittleEndian)
        #expect(try decode(little).0 == text)
    }

    @Test func windows1252WhenTheFirstNonASCIIByteIsNotUTF8() throws {
        // "Hélène;€" in Windows-1252, after a long ASCII prefix so the decision is taken late.
        let prefix = Array(String(repeating: "ascii;only\n", count: 500).utf8)
        let bytes = prefix + [0x48, 0xE9, 0x6C, 0xE8, 0x6E, 0x65, 0x3B, 0x80, 0x0A]
        let (text, encoding, anomalies, lineFeeds) = try decode(bytes, chunkSize: 7)
        #expect(text.hasSuffix("Hélène;€\n"))
        #expect(encoding == .windows1252)
        #expect(anomalies == 0)
        #expect(lineFeeds == 501)
    }

    @Test func invalidUTF8AfterValidUTF8BecomesReplacementCharacters() throws {
        let bytes = Array("Zoé\n".utf8) + [0x41, 0xE9, 0x42, 0x0A]
        let (text, encoding, anomalies, _) = try decode(bytes)
        #expect(text == "Zoé\nA\u{FFFD}B\n")
        #expect(encoding == .utf8)
        #expect(anomalies == 1)
    }

    @Test(arguments: [
        ([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00] as [UInt8], "ZIP"),
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "xls"),
        (Array("%PDF-1.7".utf8), "PDF"),
        ([0x00, 0x01, 0x02, 0x03, 0xFF, 0x00, 0x10, 0x00, 0x00, 0x7F, 0x00, 0x00], "NUL"),
    ])
    func binaryFilesAreRefusedWithWhatTheyLookLike(bytes: [UInt8], word: String) {
        #expect {
            try decode(bytes + Array(repeating: 0, count: 600))
        } throws: { error in
            guard case ContactFileError.binary(let what) = error else { return false }
            return what.contains(word)
        }
    }

    @Test func anySplitOfTheInputDecodesTheSame() async {
        let samples: [[UInt8]] = [
            [0xEF, 0xBB, 0xBF] + Array("é;ü\nÆ;🎉\n".utf8),
            [0xFF, 0xFE] + "Zoé;🎉\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] },
            Array("abc;def\n".utf8) + [0xE9, 0x0A, 0x80, 0x0A],
        ]
        await propertyCheck(input: Gen.int(in: 0...2), Gen.int(in: 1...9)) { sample, chunkSize in
            let whole = try? decode(samples[sample])
            let split = try? decode(samples[sample], chunkSize: chunkSize)
            #expect(whole?.0 == split?.0)
            #expect(whole?.3 == split?.3)
        }
    }
}
