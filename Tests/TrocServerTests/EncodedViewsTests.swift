import Foundation
import Testing
import TrocCore
import TrocServer

/// The memo of encoded views writes exactly what the API's encoder writes, for any list, repeats and changes included.
@Suite struct EncodedViewsTests {
    /// A small view with a date, an optional and text that needs escaping.
    struct View: Codable, Hashable, Sendable {
        var name: String
        var count: Int
        var at: Date
        var note: String?
    }

    static func view(_ seed: Int) -> View {
        View(
            name: seed.isMultiple(of: 3) ? "Menuiserie \"Dupont\" / Lyon é\n\(seed)" : "firm \(seed)", count: seed * 7,
            at: Date(timeIntervalSince1970: 1_780_000_000 + Double(seed) * 3_600), note: seed.isMultiple(of: 2) ? nil : "note \(seed)")
    }

    @Test(arguments: [0, 1, 2, 5, 40])
    func anArrayIsByteForByteTheEncodersWhateverItRepeats(count: Int) throws {
        // A capacity smaller than the views makes the memo start again part way, which must not show in the output.
        let memo = EncodedViews<View>(capacity: 3)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3 {
            let views = (0..<count).map { _ in Self.view(Int.random(in: 0..<6, using: &generator)) }
            let encoded = Array(try StrictJSON.encoder.encode(views))
            #expect(try memo.jsonArray(views) == encoded)
        }
    }

    @Test func aChangedViewIsWrittenAgainNotTakenFromTheMemo() throws {
        let memo = EncodedViews<View>()
        var view = Self.view(1)
        let before = try memo.json(view)
        view.count += 1
        let after = try memo.json(view)
        let encoded = Array(try StrictJSON.encoder.encode(view))
        #expect(before != after)
        #expect(after == encoded)
    }
}
