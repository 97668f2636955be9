/// A TrueType font program (the OpenType `glyf` flavour), read for what a PDF needs: the Unicode map, advance
/// widths, the metrics of the font descriptor and each glyph's outline, so that a subset can be embedded.
public struct TrueTypeFont: Sendable {
    /// The whole font file.
    public let bytes: [UInt8]
    /// Font design units per em (2048 for Liberation Sans).
    public let unitsPerEm: Int
    /// The bounding box of all glyphs in design units: xMin, yMin, xMax, yMax.
    public let boundingBox: (xMin: Int, yMin: Int, xMax: Int, yMax: Int)
    /// Ascender and descender (negative) in design units, from `hhea`.
    public let ascent: Int
    /// Descender, negative, in design units.
    public let descent: Int
    /// Height of capital letters in design units (`OS/2` version 2 and later, else 70 % of the ascent).
    public let capHeight: Int
    /// Weight class, 400 regular, 700 bold.
    public let weightClass: Int
    /// Italic angle in degrees, from `post`.
    public let italicAngle: Double
    /// Whether every glyph has the same advance.
    public let isFixedPitch: Bool
    /// Number of glyphs.
    public let glyphCount: Int

    private let tables: [String: Range<Int>]
    private let characterMap: [UInt32: UInt16]
    private let advances: [UInt16]
    private let leftSideBearings: [Int16]
    private let glyphOffsets: [Int]

    /// Parses `bytes`, refusing files that are not TrueType outlines or whose tables lie outside the file.
    public init(_ bytes: [UInt8]) throws(PDFFontError) {
        self.bytes = bytes
        var reader = ByteReader(bytes)
        let version = try reader.uint32(at: 0)
        guard version == 0x0001_0000 || version == 0x7472_7565 else { throw .notTrueType("sfnt version \(version)") }
        let tableCount = try reader.uint16(at: 4)
        var tables: [String: Range<Int>] = [:]
        for index in 0..<tableCount {
            let record = 12 + index * 16
            let tag = String(decoding: try reader.slice(record, 4), as: UTF8.self)
            let offset = try reader.uint32(at: record + 8)
            let length = try reader.uint32(at: record + 12)
            guard offset + length <= bytes.count else { throw .malformed("table \(tag) ends past the file") }
            tables[tag] = offset..<(offset + length)
        }
        // `cmap` may be missing: the subsets embedded in PDFs have none, their glyphs being reached by number.
        for tag in ["head", "hhea", "maxp", "hmtx", "loca", "glyf", "post"] where tables[tag] == nil {
            throw .malformed("no \(tag) table")
        }
        self.tables = tables
        reader.base = tables["head"]!.lowerBound
        unitsPerEm = try reader.uint16(at: 18)
        boundingBox = (try reader.int16(at: 36), try reader.int16(at: 38), try reader.int16(at: 40), try reader.int16(at: 42))
        let longOffsets = try reader.int16(at: 50) == 1
        reader.base = tables["maxp"]!.lowerBound
        glyphCount = try reader.uint16(at: 4)
        reader.base = tables["hhea"]!.lowerBound
        ascent = try reader.int16(at: 4)
        descent = try reader.int16(at: 6)
        let metricCount = try reader.uint16(at: 34)
        guard metricCount >= 1, metricCount <= glyphCount else { throw .malformed("hhea has \(metricCount) metrics for \(glyphCount) glyphs") }
        reader.base = tables["post"]!.lowerBound
        italicAngle = Double(Int32(bitPattern: UInt32(try reader.uint32(at: 4)))) / 65536
        isFixedPitch = try reader.uint32(at: 12) != 0
        if let os2 = tables["OS/2"] {
            reader.base = os2.lowerBound
            weightClass = try reader.uint16(at: 4)
            capHeight = try reader.uint16(at: 0) >= 2 ? try reader.int16(at: 88) : ascent * 7 / 10
        } else {
            weightClass = 400
            capHeight = ascent * 7 / 10
        }

        reader.base = tables["hmtx"]!.lowerBound
        var advances: [UInt16] = []
        var bearings: [Int16] = []
        for index in 0..<glyphCount {
            if index < metricCount {
                advances.append(UInt16(try reader.uint16(at: index * 4)))
                bearings.append(Int16(try reader.int16(at: index * 4 + 2)))
            } else {
                advances.append(advances[metricCount - 1])
                bearings.append(Int16(try reader.int16(at: metricCount * 4 + (index - metricCount) * 2)))
            }
        }
        self.advances = advances
        leftSideBearings = bearings

        reader.base = tables["loca"]!.lowerBound
        var offsets: [Int] = []
        for index in 0...glyphCount {
            offsets.append(longOffsets ? try reader.uint32(at: index * 4) : try reader.uint16(at: index * 2) * 2)
        }
        let glyf = tables["glyf"]!
        for index in 0..<glyphCount where offsets[index] > offsets[index + 1] || glyf.lowerBound + offsets[index + 1] > glyf.upperBound {
            throw .malformed("glyph \(index) lies outside the glyf table")
        }
        glyphOffsets = offsets
        characterMap = try tables["cmap"].map { range throws(PDFFontError) in try TrueTypeFont.readCharacterMap(bytes, table: range) } ?? [:]
    }

    /// The glyph that draws `scalar`, nil when the font has none (never `.notdef`, glyph 0).
    public func glyph(for scalar: Unicode.Scalar) -> UInt16? {
        characterMap[scalar.value].flatMap { $0 == 0 ? nil : $0 }
    }

    /// The advance width of `glyph` in design units.
    public func advance(of glyph: UInt16) -> Int { Int(advances[Int(glyph)]) }

    /// The outline of `glyph` as stored in `glyf` (empty for a blank glyph such as the space).
    public func outline(of glyph: UInt16) -> ArraySlice<UInt8> {
        let start = tables["glyf"]!.lowerBound
        return bytes[(start + glyphOffsets[Int(glyph)])..<(start + glyphOffsets[Int(glyph) + 1])]
    }

    /// The glyphs a composite glyph is assembled from, with the position of each index in the outline
    /// (empty for a simple glyph).
    public func components(of glyph: UInt16) throws(PDFFontError) -> [(glyph: UInt16, indexOffset: Int)] {
        let outline = Array(outline(of: glyph))
        guard outline.count >= 10 else { return [] }
        let reader = ByteReader(outline)
        guard try reader.int16(at: 0) < 0 else { return [] }
        var components: [(glyph: UInt16, indexOffset: Int)] = []
        var position = 10
        while true {
            let flags = try reader.uint16(at: position)
            let component = try reader.uint16(at: position + 2)
            guard component < glyphCount else { throw .malformed("glyph \(glyph) uses glyph \(component), which does not exist") }
            components.append((UInt16(component), position + 2))
            position += 4 + (flags & 0x0001 != 0 ? 4 : 2)
            if flags & 0x0008 != 0 {
                position += 2
            } else if flags & 0x0040 != 0 {
                position += 4
            } else if flags & 0x0080 != 0 {
                position += 8
            }
            guard flags & 0x0020 != 0 else { return components }
        }
    }

    /// A font file holding only `glyphs`, renumbered in that order (the first must be 0, `.notdef`), followed by the
    /// components their composite glyphs need; a glyph may be listed twice so that two characters drawn alike
    /// (a space and a no-break space) keep distinct glyph numbers and so copy back as themselves.
    public func subset(_ glyphs: [UInt16]) throws(PDFFontError) -> TrueTypeSubset {
        precondition(glyphs.first == 0, "a subset starts with .notdef")
        var order = glyphs
        var newNumber: [UInt16: UInt16] = [:]
        for (index, glyph) in order.enumerated() where newNumber[glyph] == nil { newNumber[glyph] = UInt16(index) }
        var cursor = 0
        while cursor < order.count {
            for (component, _) in try components(of: order[cursor]) where newNumber[component] == nil {
                newNumber[component] = UInt16(order.count)
                order.append(component)
            }
            cursor += 1
        }
        var glyf: [UInt8] = []
        var loca: [UInt8] = []
        var hmtx: [UInt8] = []
        for glyph in order {
            loca.appendUInt32(glyf.count)
            var outline = Array(outline(of: glyph))
            for (component, offset) in try components(of: glyph) {
                let renumbered = newNumber[component]!
                outline[offset] = UInt8(renumbered >> 8)
                outline[offset + 1] = UInt8(renumbered & 0xFF)
            }
            glyf += outline
            while glyf.count % 4 != 0 { glyf.append(0) }
            hmtx.appendUInt16(Int(advances[Int(glyph)]))
            hmtx.appendUInt16(Int(UInt16(bitPattern: leftSideBearings[Int(glyph)])))
        }
        loca.appendUInt32(glyf.count)

        var head = table("head")
        head.replaceUInt32(at: 8, with: 0)
        head.replaceUInt16(at: 50, with: 1)
        var hhea = table("hhea")
        hhea.replaceUInt16(at: 34, with: order.count)
        var maxp = table("maxp")
        maxp.replaceUInt16(at: 4, with: order.count)
        // Version 3 of `post` carries no glyph names, which the renumbered glyphs would no longer match.
        var post = Array(table("post").prefix(32))
        post.replaceUInt32(at: 0, with: 0x0003_0000)
        var output: [(String, [UInt8])] = [
            ("glyf", glyf), ("head", head), ("hhea", hhea), ("hmtx", hmtx), ("loca", loca), ("maxp", maxp), ("post", post),
        ]
        // The hinting programs are kept whole: the glyphs' instructions call into them.
        for tag in ["OS/2", "cvt ", "fpgm", "prep"] where tables[tag] != nil { output.append((tag, table(tag))) }
        var file = TrueTypeFont.assemble(output)
        let adjustment = 0xB1B0_AFBA &- TrueTypeFont.checksum(file)
        let headOffset = TrueTypeFont.tableOffset(of: "head", in: file)
        file.replaceUInt32(at: headOffset + 8, with: Int(adjustment))
        return TrueTypeSubset(bytes: file, glyphs: order)
    }

    /// The bytes of table `tag`, empty when absent.
    func table(_ tag: String) -> [UInt8] { tables[tag].map { Array(bytes[$0]) } ?? [] }

    /// A font file from its tables: the directory sorted by tag, each table padded to 4 bytes.
    static func assemble(_ tables: [(String, [UInt8])]) -> [UInt8] {
        let sorted = tables.sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
        var power = 1
        var selector = 0
        while power * 2 <= sorted.count {
            power *= 2
            selector += 1
        }
        var file: [UInt8] = []
        file.appendUInt32(0x0001_0000)
        file.appendUInt16(sorted.count)
        file.appendUInt16(power * 16)
        file.appendUInt16(selector)
        file.appendUInt16(sorted.count * 16 - power * 16)
        var offset = 12 + sorted.count * 16
        var body: [UInt8] = []
        for (tag, data) in sorted {
            file += Array(tag.utf8)
            file.appendUInt32(Int(checksum(data)))
            file.appendUInt32(offset)
            file.appendUInt32(data.count)
            body += data
            while body.count % 4 != 0 { body.append(0) }
            offset = 12 + sorted.count * 16 + body.count
        }
        return file + body
    }

    /// The sum of `data` as big-endian 32-bit words, zero-padded (OpenType table checksum).
    static func checksum(_ data: [UInt8]) -> UInt32 {
        var sum: UInt32 = 0
        var index = 0
        while index < data.count {
            var word: UInt32 = 0
            for byte in 0..<4 { word = word << 8 | UInt32(index + byte < data.count ? data[index + byte] : 0) }
            sum = sum &+ word
            index += 4
        }
        return sum
    }

    /// Where table `tag` starts in an assembled file.
    static func tableOffset(of tag: String, in file: [UInt8]) -> Int {
        let count = Int(file[4]) << 8 | Int(file[5])
        for index in 0..<count where Array(file[(12 + index * 16)..<(16 + index * 16)]) == Array(tag.utf8) {
            let record = 12 + index * 16 + 8
            return Int(file[record]) << 24 | Int(file[record + 1]) << 16 | Int(file[record + 2]) << 8 | Int(file[record + 3])
        }
        preconditionFailure("no \(tag) table in an assembled font")
    }

    /// The Unicode map: format 12 (full repertoire) when present, else format 4 (basic multilingual plane).
    private static func readCharacterMap(_ bytes: [UInt8], table: Range<Int>) throws(PDFFontError) -> [UInt32: UInt16] {
        var reader = ByteReader(bytes)
        reader.base = table.lowerBound
        var format4: Int?
        var format12: Int?
        for index in 0..<(try reader.uint16(at: 2)) {
            let platform = try reader.uint16(at: 4 + index * 8)
            let encoding = try reader.uint16(at: 6 + index * 8)
            let offset = try reader.uint32(at: 8 + index * 8)
            let format = try reader.uint16(at: offset)
            if format == 12, platform == 3 && encoding == 10 || platform == 0 { format12 = offset }
            if format == 4, platform == 3 && encoding == 1 || platform == 0 { format4 = format4 ?? offset }
        }
        var map: [UInt32: UInt16] = [:]
        if let offset = format12 {
            reader.base = table.lowerBound + offset
            for group in 0..<(try reader.uint32(at: 12)) {
                let start = try reader.uint32(at: 16 + group * 12)
                let end = try reader.uint32(at: 20 + group * 12)
                let glyph = try reader.uint32(at: 24 + group * 12)
                guard start <= end, end <= 0x10FFFF else { throw .malformed("cmap group \(group) is not a code point range") }
                for code in start...end { map[UInt32(code)] = UInt16(truncatingIfNeeded: glyph + code - start) }
            }
        } else if let offset = format4 {
            reader.base = table.lowerBound + offset
            let segments = try reader.uint16(at: 6) / 2
            let ends = 14
            let starts = ends + segments * 2 + 2
            let deltas = starts + segments * 2
            let rangeOffsets = deltas + segments * 2
            for segment in 0..<segments {
                let end = try reader.uint16(at: ends + segment * 2)
                let start = try reader.uint16(at: starts + segment * 2)
                let delta = try reader.uint16(at: deltas + segment * 2)
                let rangeOffset = try reader.uint16(at: rangeOffsets + segment * 2)
                guard start <= end, start != 0xFFFF else { continue }
                for code in start...end {
                    var glyph: Int
                    if rangeOffset == 0 {
                        glyph = (code + delta) & 0xFFFF
                    } else {
                        glyph = try reader.uint16(at: rangeOffsets + segment * 2 + rangeOffset + (code - start) * 2)
                        if glyph != 0 { glyph = (glyph + delta) & 0xFFFF }
                    }
                    map[UInt32(code)] = UInt16(glyph)
                }
            }
        } else {
            throw .malformed("no Unicode cmap (format 4 or 12)")
        }
        return map
    }
}

/// A subset font program and which original glyph each of its glyphs is.
public struct TrueTypeSubset: Sendable, Hashable {
    /// The font file.
    public let bytes: [UInt8]
    /// Original glyph numbers, indexed by the subset's glyph numbers.
    public let glyphs: [UInt16]
}

/// Why a font file could not be used.
public enum PDFFontError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Not a TrueType (glyf) font: CFF-flavoured OpenType or another format.
    case notTrueType(String)
    /// A table is missing or inconsistent.
    case malformed(String)

    public var description: String {
        switch self {
        case .notTrueType(let detail): "not a TrueType font (\(detail)); PDF/A embedding here needs glyf outlines"
        case .malformed(let detail): "malformed TrueType font: \(detail)"
        }
    }
}
