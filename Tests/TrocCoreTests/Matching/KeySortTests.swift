import Testing

@testable import TrocCore

/// Gathering a file's keys from its parsed blocks, against the standard library's sort: key order,
/// equal keys in file order (the first row of a run is the earliest), rows renumbered across blocks,
/// and each block's keys freed once gathered. Sizes exercise the few-bucket and many-bucket paths and
/// buckets above the insertion-sort limit.
@Suite struct KeySortTests {
    @Test(arguments: [1, 2, 33, 1_000, 70_000, 300_000])
    func gathersKeysSortedByKeyThenRow(count: Int) {
        var generator = SystemRandomNumberGenerator()
        // A small pool of keys makes long runs of equal keys; a seventh of them crowd the lowest buckets.
        let pool = (0..<max(1, count / 3)).map { index in
            (
                high: index % 7 == 0 ? UInt64.random(in: 0...0xFFFF, using: &generator) : UInt64.random(in: .min ... .max, using: &generator),
                low: UInt32.random(in: 0...3, using: &generator)
            )
        }
        let keys = (0..<count).map { _ in pool.randomElement(using: &generator)! }
        // Blocks of up to 5,000 rows, each numbering its rows from 0.
        var blocks: [ParsedBlock] = []
        var offsets: [UInt32] = []
        for start in stride(from: 0, to: count, by: 5_000) {
            var block = ParsedBlock(sequence: blocks.count)
            block.emailKeys = (start..<min(count, start + 5_000)).map { KeyEntry(high: keys[$0].high, low: keys[$0].low, row: UInt32($0 - start)) }
            blocks.append(block)
            offsets.append(UInt32(start))
        }
        let sorted = ContactSet.sortedKeys(&blocks, kind: .email, rowOffsets: offsets)
        let expected = keys.indices.sorted { (keys[$0].high, keys[$0].low, $0) < (keys[$1].high, keys[$1].low, $1) }
        let firstDifference = sorted.indices.first { Int(sorted[$0].row) != expected[$0] }
        #expect(sorted.count == count && firstDifference == nil, "out of order from position \(firstDifference ?? -1)")
        #expect(blocks.allSatisfy { $0.emailKeys.isEmpty }, "each block's keys are freed once gathered")
    }
}
