/// A TrueType font as one document uses it: a composite (Type 0) font with `Identity-H` encoding whose
/// character codes are the glyph numbers of a subset holding exactly the characters drawn, embedded with its
/// widths and a `/ToUnicode` map (ISO 32000-1 §9.7, §9.9; ISO 19005-3 §6.2.11).
public struct EmbeddedFont: Sendable {
    /// The font program.
    public let program: TrueTypeFont
    /// Its PostScript name, `LiberationSans-Bold`.
    public let postScriptName: String
    /// What stands for a character the font cannot draw: PDF/A forbids drawing `.notdef`.
    public static let replacement: Unicode.Scalar = "?"

    /// The characters drawn so far; character code `i + 1` draws `scalars[i]`.
    public private(set) var scalars: [Unicode.Scalar] = []
    private var codes: [Unicode.Scalar: UInt16] = [:]

    /// A font to draw with, nothing drawn yet.
    public init(program: TrueTypeFont, postScriptName: String) {
        self.program = program
        self.postScriptName = postScriptName
    }

    /// The character codes of `text` (two bytes each), registering characters not drawn before.
    public mutating func encode(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for scalar in drawable(text) {
            let code: UInt16
            if let known = codes[scalar] {
                code = known
            } else {
                scalars.append(scalar)
                code = UInt16(scalars.count)
                codes[scalar] = code
            }
            bytes += [UInt8(code >> 8), UInt8(code & 0xFF)]
        }
        return bytes
    }

    /// The width of `text` set in this font at `size` points, in points.
    public func width(of text: String, size: Double) -> Double {
        let units = drawable(text).reduce(0) { $0 + program.advance(of: program.glyph(for: $1)!) }
        return Double(units) * size / Double(program.unitsPerEm)
    }

    /// The scalars actually drawn for `text`: line breaks and tabs become spaces, characters the font lacks
    /// become `replacement`.
    func drawable(_ text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.map { scalar in
            if program.glyph(for: scalar) != nil { return scalar }
            return scalar.properties.isWhitespace ? " " : EmbeddedFont.replacement
        }
    }

    /// Writes the font's objects (Type 0 font, CIDFontType2, descriptor, subset program, ToUnicode) and returns
    /// the reference a page's `/Font` resources name.
    public func write(into file: inout PDFFileWriter) throws(PDFFontError) -> PDFReference {
        let glyphs = [UInt16(0)] + scalars.map { program.glyph(for: $0)! }
        let subset = try program.subset(glyphs)
        let baseFont = subsetTag(subset) + "+" + postScriptName
        let scale = 1000 / Double(program.unitsPerEm)
        /// `value` design units in thousandths of an em, as PDF font dictionaries measure.
        func scaled(_ value: Int) -> PDFObject { .integer(Int((Double(value) * scale).rounded())) }

        let fontFile = file.addStream(["Length1": .integer(subset.bytes.count)], data: subset.bytes)
        let box = program.boundingBox
        // Flags: 32 nonsymbolic (Latin text), plus 1 fixed pitch and 64 italic where they apply (§9.8.2).
        let flags = 32 | (program.isFixedPitch ? 1 : 0) | (program.italicAngle != 0 ? 64 : 0)
        let descriptor = file.add(
            .dictionary([
                "Type": .name("FontDescriptor"), "FontName": .name(baseFont), "Flags": .integer(flags),
                "FontBBox": .array([scaled(box.xMin), scaled(box.yMin), scaled(box.xMax), scaled(box.yMax)]),
                "ItalicAngle": .real(program.italicAngle), "Ascent": scaled(program.ascent), "Descent": scaled(program.descent),
                "CapHeight": scaled(program.capHeight),
                // No TrueType table records the stem width; this is the usual estimate from the weight class.
                "StemV": .integer(10 + 220 * max(program.weightClass - 50, 0) / 900), "FontFile2": .reference(fontFile),
            ]))
        let widths = glyphs.dropFirst().map { scaled(program.advance(of: $0)) }
        let descendant = file.add(
            .dictionary([
                "Type": .name("Font"), "Subtype": .name("CIDFontType2"), "BaseFont": .name(baseFont),
                "CIDSystemInfo": .dictionary([
                    "Registry": .bytes(Array("Adobe".utf8)), "Ordering": .bytes(Array("Identity".utf8)), "Supplement": .integer(0),
                ]),
                "FontDescriptor": .reference(descriptor), "W": .array([.integer(1), .array(widths)]), "CIDToGIDMap": .name("Identity"),
            ]))
        let toUnicode = file.addStream(data: ToUnicodeCMap.program(for: scalars))
        return file.add(
            .dictionary([
                "Type": .name("Font"), "Subtype": .name("Type0"), "BaseFont": .name(baseFont), "Encoding": .name("Identity-H"),
                "DescendantFonts": .array([.reference(descendant)]), "ToUnicode": .reference(toUnicode),
            ]))
    }

    /// Six upper-case letters naming the subset (§9.6.4), derived from its glyphs so that equal subsets share a tag.
    func subsetTag(_ subset: TrueTypeSubset) -> String {
        var seed = Array(postScriptName.utf8)
        for glyph in subset.glyphs { seed.appendUInt16(Int(glyph)) }
        return String(decoding: MD5.digest(seed).prefix(6).map { UInt8(ascii: "A") + $0 % 26 }, as: UTF8.self)
    }
}
