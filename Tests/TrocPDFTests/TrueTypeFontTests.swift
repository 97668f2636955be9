import Foundation
import Testing
import TrocPDF
import TrocTestSupport

/// Reading Liberation Sans and cutting subsets of it: kept glyphs keep their outlines and widths, composite
/// glyphs bring their components (renumbered), and the subset is a well-formed font file.
@Suite struct TrueTypeFontTests {
    /// The regular font the Factur-X module ships.
    static func liberationSans() throws -> TrueTypeFont {
        let url = Repository.file("Sources/TrocFacturX/Resources/LiberationSans-Regular.ttf")
        return try TrueTypeFont(Array(try Data(contentsOf: url)))
    }

    @Test func readsTheMetricsAndUnicodeMap() throws {
        let font = try Self.liberationSans()
        #expect(font.unitsPerEm == 2048 && font.glyphCount == 2620 && font.weightClass == 400 && font.italicAngle == 0)
        for scalar in ["A", "é", "€", "«", "»", "\u{00A0}", "\u{202F}", "Œ"] as [Unicode.Scalar] {
            #expect(font.glyph(for: scalar) != nil, "no glyph for U+\(String(scalar.value, radix: 16))")
        }
        #expect(font.glyph(for: "\u{4E2D}") == nil, "Liberation Sans has no CJK")
        // Liberation Sans is metric-compatible with Arial: A is 1366 units wide, the space 569.
        #expect(font.advance(of: try #require(font.glyph(for: "A"))) == 1366)
        #expect(font.advance(of: try #require(font.glyph(for: " "))) == 569)
    }

    @Test func compositeGlyphsNameTheirComponents() throws {
        let font = try Self.liberationSans()
        let eAcute = try #require(font.glyph(for: "é"))
        let components = try font.components(of: eAcute).map(\.glyph)
        #expect(components.contains(try #require(font.glyph(for: "e"))))
        #expect(components.count == 2)
        #expect(try font.components(of: try #require(font.glyph(for: "e"))).isEmpty)
    }

    @Test func subsetKeepsUsedGlyphsThenAddsComponentsRenumbered() throws {
        let font = try Self.liberationSans()
        let used: [UInt16] = [0] + (["A", "é", "€"] as [Unicode.Scalar]).map { font.glyph(for: $0)! }
        let subset = try font.subset(used)
        #expect(Array(subset.glyphs.prefix(4)) == used)
        let components = try font.components(of: used[2]).map(\.glyph)
        #expect(Array(subset.glyphs.dropFirst(4)) == components, "é's components follow the used glyphs")

        let reread = try TrueTypeFont(subset.bytes)
        #expect(reread.glyphCount == subset.glyphs.count)
        for (newNumber, original) in subset.glyphs.enumerated() {
            #expect(reread.advance(of: UInt16(newNumber)) == font.advance(of: original))
            if try font.components(of: original).isEmpty {
                #expect(Array(reread.outline(of: UInt16(newNumber))) == Array(font.outline(of: original)))
            }
        }
        let renumbered = try reread.components(of: 2).map(\.glyph)
        #expect(renumbered.map { subset.glyphs[Int($0)] } == components, "component indices point at the same outlines")
        #expect(subset.bytes.count < 12_000, "a four-glyph subset of a 410 kB font is small: \(subset.bytes.count) bytes")
    }

    @Test func aGlyphListedTwiceIsCopiedSoThatEachCharacterKeepsItsOwnNumber() throws {
        let font = try Self.liberationSans()
        let space = try #require(font.glyph(for: " "))
        let subset = try font.subset([0, space, space])
        #expect(subset.glyphs == [0, space, space])
        #expect(try TrueTypeFont(subset.bytes).glyphCount == 3)
    }

    @Test func subsetChecksumsAreConsistent() throws {
        let font = try Self.liberationSans()
        let subset = try font.subset([0, font.glyph(for: "F")!, font.glyph(for: "é")!])
        let bytes = subset.bytes
        func word(_ offset: Int) -> UInt32 { (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(bytes[offset + $1]) } }
        func checksum(_ range: Range<Int>) -> UInt32 {
            stride(from: range.lowerBound, to: range.upperBound, by: 4).reduce(UInt32(0)) { sum, offset in
                sum &+ (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(offset + $1 < range.upperBound ? bytes[offset + $1] : 0) }
            }
        }
        let tableCount = Int(bytes[4]) << 8 | Int(bytes[5])
        var tags: [String] = []
        for index in 0..<tableCount {
            let record = 12 + index * 16
            let tag = String(decoding: bytes[record..<(record + 4)], as: UTF8.self)
            tags.append(tag)
            let offset = Int(word(record + 8))
            let length = Int(word(record + 12))
            #expect(offset % 4 == 0, "\(tag) is 4-byte aligned")
            if tag != "head" { #expect(checksum(offset..<(offset + length)) == word(record + 4), "checksum of \(tag)") }
        }
        #expect(tags == tags.sorted() && Set(tags).isSuperset(of: ["glyf", "head", "hhea", "hmtx", "loca", "maxp", "cvt ", "fpgm", "prep"]))
        // The whole file sums to the OpenType magic number once checkSumAdjustment is in place.
        #expect(checksum(0..<bytes.count) == 0xB1B0_AFBA)
    }

    @Test func refusesWhatIsNotATrueTypeFont() {
        #expect(throws: PDFFontError.self) { try TrueTypeFont(Array("%PDF-1.7 not a font at all".utf8)) }
        #expect(throws: PDFFontError.self) { try TrueTypeFont([0, 1, 0, 0, 0, 9]) }
    }
}
