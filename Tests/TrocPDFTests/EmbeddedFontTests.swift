import Testing
import TrocPDF

/// Character codes, widths and the objects of an embedded font.
@Suite struct EmbeddedFontTests {
    @Test func codesAreGivenInOrderOfFirstUseAndReused() throws {
        var font = EmbeddedFont(program: try TrueTypeFontTests.liberationSans(), postScriptName: "LiberationSans")
        #expect(font.encode("été") == [0, 1, 0, 2, 0, 1])
        #expect(font.encode("€ té") == [0, 3, 0, 4, 0, 2, 0, 1])
        #expect(font.scalars == ["é", "t", "€", " "])
    }

    @Test func charactersTheFontLacksBecomeAQuestionMarkAndLineBreaksSpaces() throws {
        var font = EmbeddedFont(program: try TrueTypeFontTests.liberationSans(), postScriptName: "LiberationSans")
        _ = font.encode("A\u{4E2D}\nB")
        #expect(font.scalars == ["A", "?", " ", "B"])
    }

    @Test func widthsComeFromTheAdvanceWidths() throws {
        let program = try TrueTypeFontTests.liberationSans()
        let font = EmbeddedFont(program: program, postScriptName: "LiberationSans")
        // A (1366) + space (569) at 10 pt on a 2048-unit em.
        #expect(abs(font.width(of: "A ", size: 10) - 1935.0 * 10 / 2048) < 1e-9)
    }

    @Test func writesATypeZeroFontWithWidthsAndAToUnicodeMap() throws {
        var font = EmbeddedFont(program: try TrueTypeFontTests.liberationSans(), postScriptName: "LiberationSans")
        _ = font.encode("A é")
        var file = PDFFileWriter(compression: .none)
        let reference = try font.write(into: &file)
        let catalog = file.add(.dictionary(["Type": .name("Catalog")]))
        let parsed = try ParsedPDF(file.write(root: catalog, info: nil, id: Array(repeating: 0, count: 16)))
        let objects = try parsed.objectStream(parsed.entries.count - 2)
        let type0 = try #require(objects[reference.number])
        #expect(type0.contains("/Subtype /Type0") && type0.contains("/Encoding /Identity-H") && type0.contains("/ToUnicode"))
        let tag = try #require(type0.firstMatch(of: /\/BaseFont \/([A-Z]{6})\+LiberationSans/)).1
        let descendant = try #require(objects.values.first { $0.contains("/CIDFontType2") })
        // Widths in thousandths of an em: A 1366 → 667, space 569 → 278, é 1139 → 556.
        #expect(descendant.contains("/W [1 [667 278 556]]") && descendant.contains("/CIDToGIDMap /Identity"))
        #expect(descendant.contains("/BaseFont /\(tag)+LiberationSans"))
        let descriptor = try #require(objects.values.first { $0.contains("/FontDescriptor") && $0.contains("/FontFile2") })
        #expect(descriptor.contains("/Flags 32") && descriptor.contains("/FontName /\(tag)+LiberationSans"))
    }
}
