import Foundation
import Testing
import TrocPDF
import TrocTestSupport

/// The compressor's output is read back by an independent inflater (Python's zlib, which checks the Adler-32 too).
@Suite struct ZlibCompressorTests {
    /// Inputs that exercise literals only, short and maximal matches, long distances and the 258-byte length code.
    static let inputs: [(name: String, bytes: [UInt8])] = [
        ("empty", []), ("one byte", [0x41]), ("text", Array("Facture émise par Courtier au nom et pour le compte de Menuiserie, Facture émise".utf8)),
        ("run of 1000 zeros", [UInt8](repeating: 0, count: 1000)), ("pseudo-random", pseudoRandom(count: 70_000, seed: 7)),
        (
            "repeat beyond 16 KiB",
            {
                let block = pseudoRandom(count: 20_000, seed: 3)
                return block + [1, 2, 3] + block
            }()
        ),
        ("exact 258 and 259 runs", [UInt8](repeating: 9, count: 259) + [1] + [UInt8](repeating: 9, count: 260)),
    ]

    @Test(arguments: inputs.indices)
    func pythonZlibInflatesWhatWasDeflated(index: Int) throws {
        let (name, bytes) = Self.inputs[index]
        let compressed = ZlibCompressor.compress(bytes)
        let run = try ExternalTool.run(
            "python3", ["-c", "import sys, zlib; sys.stdout.buffer.write(zlib.decompress(sys.stdin.buffer.read()))"], input: Data(compressed))
        #expect(run.status == 0, "\(name): \(run.error)")
        #expect(Array(run.output) == bytes, "\(name): inflated bytes differ")
    }

    @Test func repetitiveInputShrinks() {
        let page = Array(String(repeating: "BT 0.1 0.1 0.1 rg /F1 9 Tf 42.5 700 Td <00010002> Tj ET\n", count: 200).utf8)
        #expect(ZlibCompressor.compress(page).count * 10 < page.count)
    }

    @Test func adler32MatchesTheKnownValue() {
        #expect(ZlibCompressor.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        #expect(ZlibCompressor.adler32([]) == 1)
    }

    static func pseudoRandom(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // Few distinct bytes, so that short matches at every distance appear.
            return UInt8(truncatingIfNeeded: state >> 60)
        }
    }
}
