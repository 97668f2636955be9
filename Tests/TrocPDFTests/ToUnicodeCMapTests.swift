import Testing
import TrocPDF

/// The ToUnicode CMap maps each character code back to its text, surrogate pairs included, in blocks of at most 100.
@Suite struct ToUnicodeCMapTests {
    @Test func mapsCodesFromOneToTheirScalars() {
        let program = String(decoding: ToUnicodeCMap.program(for: ["A", "é", "€", "\u{202F}", "«", "😀"]), as: UTF8.self)
        #expect(program.contains("1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange"))
        #expect(
            program.contains("6 beginbfchar\n<0001> <0041>\n<0002> <00E9>\n<0003> <20AC>\n<0004> <202F>\n<0005> <00AB>\n<0006> <D83DDE00>\nendbfchar")
        )
        #expect(program.contains("/CMapName /Adobe-Identity-UCS def"))
    }

    @Test func splitsMappingsIntoBlocksOfAHundred() {
        let scalars = (0..<250).map { Unicode.Scalar(0x100 + $0)! }
        let program = String(decoding: ToUnicodeCMap.program(for: scalars), as: UTF8.self)
        #expect(program.ranges(of: "100 beginbfchar").count == 2)
        #expect(program.contains("50 beginbfchar\n<00C9> <01C8>"))
        #expect(program.ranges(of: "endbfchar").count == 3)
    }
}
