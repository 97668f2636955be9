/// One contact file after parsing: compact rows and their keyed hashes sorted for matching, plus
/// what was rejected. It holds no clear email, phone or SIRET.
public struct ContactSet: Sendable {
    /// How the file was read.
    public let layout: ContactFileLayout
    /// Non-blank data rows seen, accepted or rejected.
    public let records: Int
    /// Rejections by reason (rows and values).
    public let rejectionCounts: [RejectionReason: Int]
    /// The first rejections of each reason in line order, with their place.
    public let rejections: [RowRejection]
    /// Accepted rows in file order.
    let rows: [ContactRow]
    /// Keys per `MatchKeyKind`, sorted by key, rows numbered in `rows`.
    let keys: PerKeyKind<[KeyEntry]>

    /// How many rejections are kept in detail.
    public static let rejectionSampleLimit = 100
    /// How many of them one reason may take, so that a problem on every row (a consumer file with no
    /// partner-scope column) does not hide the others.
    public static let rejectionSamplesPerReason = 10

    /// Assembles the parsed blocks of one file (in any order) and the reader's own rejections. The
    /// blocks are consumed as they are gathered, so a file's rows and keys are not held twice.
    init(layout: ContactFileLayout, blocks unordered: consuming [ParsedBlock], readerRejections: [RowRejection]) {
        var blocks = consume unordered
        blocks.sort { $0.sequence < $1.sequence }
        var rows: [ContactRow] = []
        rows.reserveCapacity(blocks.reduce(0) { $0 + $1.rows.count })
        var offsets: [UInt32] = []
        var tally = Array(repeating: 0, count: RejectionReason.allCases.count)
        var samples = readerRejections
        let records = blocks.reduce(0) { $0 + $1.records } + readerRejections.count
        for index in blocks.indices {
            offsets.append(UInt32(rows.count))
            rows.append(contentsOf: blocks[index].rows)
            blocks[index].rows = []
            FreedMemory.returnEvery(blocks: 16, index)
            for (reason, count) in blocks[index].tally.enumerated() { tally[reason] += count }
            samples.append(contentsOf: blocks[index].samples)
        }
        FreedMemory.returnToSystem()
        for rejection in readerRejections { tally[rejection.reason.index] += 1 }
        var counts: [RejectionReason: Int] = [:]
        for (index, reason) in RejectionReason.allCases.enumerated() where tally[index] > 0 { counts[reason] = tally[index] }
        samples.sort { ($0.line, $0.column ?? 0) < ($1.line, $1.column ?? 0) }

        self.layout = layout
        self.records = records
        self.rejectionCounts = counts
        var kept: [RowRejection] = []
        var keptByReason = Array(repeating: 0, count: RejectionReason.allCases.count)
        for rejection in samples where kept.count < ContactSet.rejectionSampleLimit {
            keptByReason[rejection.reason.index] += 1
            if keptByReason[rejection.reason.index] <= ContactSet.rejectionSamplesPerReason { kept.append(rejection) }
        }
        self.rejections = kept
        self.rows = rows
        var keys = PerKeyKind<[KeyEntry]> { _ in [] }
        for kind in MatchKeyKind.allCases {
            keys[kind] = ContactSet.sortedKeys(&blocks, kind: kind, rowOffsets: offsets)
            FreedMemory.returnToSystem()
        }
        self.keys = keys
    }

    /// The rows accepted (with a valid email or phone).
    public var acceptedRows: Int { rows.count }

    /// Gathers one kind of key from every block into one array sorted by key: a counting pass on
    /// the top bits, one scatter, then a short sort per bucket (HMAC output is uniform, so buckets
    /// stay small and the work stays linear and cache-friendly).
    /// Each block's keys of that kind are freed once scattered.
    ///
    /// The scatter runs in two rounds so that its writes stay in cache: first into at most 256 coarse buckets
    /// (256 write streams, one cache line each), then each coarse bucket, a few tens of kilobytes, into its fine
    /// buckets through a small spare buffer. Both rounds keep the order they read in, so equal keys stay in file order.
    static func sortedKeys(_ blocks: inout [ParsedBlock], kind: MatchKeyKind, rowOffsets: [UInt32]) -> [KeyEntry] {
        let total = blocks.reduce(0) { $0 + $1.keys(kind).count }
        guard total > 0 else { return [] }
        let bits = min(20, max(4, (total / 4).bitWidth - (total / 4).leadingZeroBitCount))
        let coarseBits = min(8, bits)
        let fineBits = bits - coarseBits
        let coarseShift = UInt64(64 - coarseBits)
        let fineShift = UInt64(64 - bits)
        let fineMask = (1 << fineBits) - 1
        var coarseStarts = [Int](repeating: 0, count: (1 << coarseBits) + 1)
        for block in blocks {
            for entry in block.keys(kind) { coarseStarts[Int(entry.high >> coarseShift) + 1] += 1 }
        }
        for bucket in 1..<coarseStarts.count { coarseStarts[bucket] += coarseStarts[bucket - 1] }
        return [KeyEntry](unsafeUninitializedCapacity: total) { buffer, initialized in
            var next = coarseStarts
            for index in blocks.indices {
                let offset = rowOffsets[index]
                for entry in blocks[index].keys(kind) {
                    let bucket = Int(entry.high >> coarseShift)
                    buffer[next[bucket]] = KeyEntry(high: entry.high, low: entry.low, row: entry.row + offset)
                    next[bucket] += 1
                }
                blocks[index].releaseKeys(kind)
                FreedMemory.returnEvery(blocks: 16, index)
            }
            initialized = total
            let largest = (0..<(1 << coarseBits)).reduce(0) { max($0, coarseStarts[$1 + 1] - coarseStarts[$1]) }
            let spare = UnsafeMutableBufferPointer<KeyEntry>.allocate(capacity: max(1, largest))
            defer { spare.deallocate() }
            var fineStarts = [Int](repeating: 0, count: (1 << fineBits) + 1)
            for coarse in 0..<(1 << coarseBits) {
                let lower = coarseStarts[coarse]
                let upper = coarseStarts[coarse + 1]
                guard upper - lower > 1 else { continue }
                for fine in fineStarts.indices { fineStarts[fine] = 0 }
                for position in lower..<upper { fineStarts[Int(buffer[position].high >> fineShift) & fineMask + 1] += 1 }
                for fine in 1..<fineStarts.count { fineStarts[fine] += fineStarts[fine - 1] }
                var fineNext = fineStarts
                for position in lower..<upper {
                    let fine = Int(buffer[position].high >> fineShift) & fineMask
                    spare[fineNext[fine]] = buffer[position]
                    fineNext[fine] += 1
                }
                _ = UnsafeMutableBufferPointer(rebasing: buffer[lower..<upper]).update(fromContentsOf: spare[0..<(upper - lower)])
                for fine in 0..<(1 << fineBits) {
                    let from = lower + fineStarts[fine]
                    let to = lower + fineStarts[fine + 1]
                    guard to - from > 1 else { continue }
                    if to - from <= 32 {
                        insertionSort(buffer, from, to)
                    } else {
                        // Equal keys keep file order, so the first row of a run is the earliest.
                        var bucketEntries = UnsafeMutableBufferPointer(rebasing: buffer[from..<to])
                        bucketEntries.sort {
                            $0.keyPrecedes($1) || $0.sameKey(as: $1) && $0.row < $1.row
                        }
                    }
                }
            }
        }
    }

    private static func insertionSort(_ buffer: UnsafeMutableBufferPointer<KeyEntry>, _ lower: Int, _ upper: Int) {
        for index in (lower + 1)..<upper {
            let entry = buffer[index]
            var position = index
            while position > lower, entry.keyPrecedes(buffer[position - 1]) {
                buffer[position] = buffer[position - 1]
                position -= 1
            }
            buffer[position] = entry
        }
    }
}
