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
        checkGathered(keys)
    }

    /// One key on many rows (a switchboard number) fills one coarse bucket beyond the spare buffer: the bucket is then
    /// sorted around that key, or with a buffer of its own when no key holds most of it. Shares are of 300,000 rows;
    /// the repeated keys sit mid-bucket, so other keys of the bucket fall on both sides.
    @Test(arguments: [[1.0], [0.7], [0.98], [0.45, 0.45], [0.3]])
    func gathersKeysRepeatedOnMostRows(shares: [Double]) {
        var generator = SystemRandomNumberGenerator()
        let count = 300_000
        let repeated = shares.indices.map { (high: 0x8080_0000_0000_0000 + UInt64($0) << 40, low: UInt32($0)) }
        let keys = (0..<count).map { _ in
            var draw = Double.random(in: 0..<1, using: &generator)
            for (share, key) in zip(shares, repeated) {
                if draw < share { return key }
                draw -= share
            }
            return (high: UInt64.random(in: .min ... .max, using: &generator), low: UInt32.random(in: 0...3, using: &generator))
        }
        checkGathered(keys)
    }

    /// Gathers `keys` from blocks of up to 5,000 rows and compares with the standard library's sort by key, then row.
    /// Every seventh row has no key, and every fifth of the others two (a second phone): a block keeps its keys without
    /// their rows, which the rows' flags give back.
    private func checkGathered(_ keys: [(high: UInt64, low: UInt32)]) {
        var rows: [ContactRow] = []
        var rowOfKey: [Int] = []
        var next = 0
        while next < keys.count {
            let keyCount = rows.count % 7 == 6 ? 0 : rows.count % 5 == 4 && next + 1 < keys.count ? 2 : 1
            let flags: ContactRowFlags = [[], .validPhone, [.validPhone, .secondPhoneKey]][keyCount]
            rowOfKey += Array(repeating: rows.count, count: keyCount)
            next += keyCount
            rows.append(ContactRow(line: UInt32(rows.count + 2), freshestDay: 0, flags: flags, quality: 0, completeness: 0, phoneClass: 0))
        }
        var blocks: [ParsedBlock] = []
        var offsets: [UInt32] = []
        var key = 0
        for start in stride(from: 0, to: rows.count, by: 5_000) {
            var block = ParsedBlock(sequence: blocks.count)
            while key < keys.count, rowOfKey[key] < start + 5_000 {
                block.phoneKeys.append(BlockKey(high: keys[key].high, low: keys[key].low))
                key += 1
            }
            blocks.append(block)
            offsets.append(UInt32(start))
        }
        let sorted = ContactSet.sortedKeys(&blocks, kind: .phone, rows: rows, rowOffsets: offsets)
        // Two keys of one row are ordered by key, as any two keys are.
        let expected = keys.indices.sorted { (keys[$0].high, keys[$0].low, rowOfKey[$0]) < (keys[$1].high, keys[$1].low, rowOfKey[$1]) }
        let firstDifference = sorted.indices.first {
            Int(sorted[$0].row) != rowOfKey[expected[$0]] || sorted[$0].high != keys[expected[$0]].high || sorted[$0].low != keys[expected[$0]].low
        }
        #expect(sorted.count == keys.count && firstDifference == nil, "out of order from position \(firstDifference ?? -1)")
        #expect(blocks.allSatisfy { $0.phoneKeys.isEmpty }, "each block's keys are freed once gathered")
    }
}
