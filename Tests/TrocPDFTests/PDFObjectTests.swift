import Testing
import TrocPDF

/// Serialisation of PDF objects: names, strings, numbers and dictionaries come out as ISO 32000-1 §7.3 writes them.
@Suite struct PDFObjectTests {
    @Test(arguments: [
        ("Type", "/Type"), ("text/xml", "/text#2Fxml"), ("A B", "/A#20B"), ("50%", "/50#25"), ("a#b", "/a#23b"), ("é", "/#C3#A9"),
        ("(x)", "/#28x#29"),
    ])
    func namesEscapeDelimitersWhiteSpaceAndNonASCII(name: String, expected: String) {
        #expect(String(decoding: PDFObject.name(name).serialised, as: UTF8.self) == expected)
    }

    @Test func literalStringsEscapeParenthesesBackslashesAndLineBreaks() {
        let bytes = Array("a(b)c\\d\ne\rf".utf8)
        #expect(String(decoding: PDFObject.bytes(bytes).serialised, as: UTF8.self) == #"(a\(b\)c\\d\ne\rf)"#)
    }

    @Test func asciiTextIsALiteralAndOtherTextIsUTF16WithAByteOrderMark() {
        #expect(String(decoding: PDFObject.text("Facture 42").serialised, as: UTF8.self) == "(Facture 42)")
        // é is U+00E9 and € U+20AC; the mark FEFF says big-endian UTF-16 (§7.9.2.2).
        #expect(String(decoding: PDFObject.text("é€").serialised, as: UTF8.self) == "<FEFF00E920AC>")
    }

    @Test(arguments: [
        (12.5, "12.5"), (3.0, "3"), (-0.0004, "0"), (595.276, "595.276"), (0.1, "0.1"), (-2.25, "-2.25"), (1e-9, "0"), (1234.5678, "1234.568"),
    ])
    func realsHaveAtMostThreeDecimalsAndNoExponent(value: Double, expected: String) {
        #expect(PDFObject.format(value) == expected)
    }

    @Test func dictionariesKeepTheirOrderAndNestArraysAndReferences() {
        var dictionary: PDFDictionary = ["Type": .name("Page"), "Kids": .array([.reference(PDFReference(3)), .null]), "Count": .integer(1)]
        dictionary["Count"] = .integer(2)
        dictionary["Open"] = .boolean(true)
        dictionary["Kids"] = nil
        #expect(String(decoding: PDFObject.dictionary(dictionary).serialised, as: UTF8.self) == "<</Type /Page/Count 2/Open true>>")
        #expect(
            String(decoding: PDFObject.array([.reference(PDFReference(12)), .hexBytes([0, 0xAB])]).serialised, as: UTF8.self) == "[12 0 R <00AB>]")
    }
}
