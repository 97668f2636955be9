/// The `/ToUnicode` CMap of a font (ISO 32000-1 §9.10.3): maps each two-byte character code back to the text it
/// draws, so that text extracted, searched or copied from the PDF is the text that was written.
public enum ToUnicodeCMap {
    /// The CMap program mapping code `index + 1` to `scalars[index]` (code 0 is `.notdef`, never drawn).
    public static func program(for scalars: [Unicode.Scalar]) -> [UInt8] {
        var text = """
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange

            """
        // A bfchar block holds at most 100 entries (Adobe technical note 5411).
        var start = 0
        while start < scalars.count {
            let end = min(start + 100, scalars.count)
            text += "\(end - start) beginbfchar\n"
            for index in start..<end {
                text += "<" + hex(UInt16(index + 1)) + "> <" + String(scalars[index]).utf16.map(hex).joined() + ">\n"
            }
            text += "endbfchar\n"
            start = end
        }
        text += """
            endcmap
            CMapName currentdict /CMap defineresource pop
            end
            end

            """
        return Array(text.utf8)
    }

    /// Four upper-case hexadecimal digits.
    static func hex(_ value: UInt16) -> String {
        String(decoding: PDFObject.hexDigits(UInt8(value >> 8)) + PDFObject.hexDigits(UInt8(value & 0xFF)), as: UTF8.self)
    }
}
