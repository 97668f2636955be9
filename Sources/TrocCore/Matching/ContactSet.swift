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
    let keys: [[KeyEntry]]

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
        var keys: [[KeyEntry]] = []
        for kind in MatchKeyKind.allCases {
            keys.append(ContactSet.sortedKeys(&blocks, kind: kind.rawValue, rowOffsets: offsets))
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
    static func sortedKeys(_ blocks: inout [ParsedBlock], kind: Int, rowOffsets: [UInt32]) -> [KeyEntry] {
        let total = blocks.reduce(0) { $0 + $1.keys(kind).count }
        guard total > 0 else { return [] }
        let bits = min(20, max(4, (total / 4).bitWidth - (total / 4).leadingZeroBitCount))
        let shift = UInt64(64 - bits)
        var starts = [Int32](repeating: 0, count: (1 << bits) + 1)
        for block in blocks {
            for entry in block.keys(kind) { starts[Int(entry.high >> shift) + 1] += 1 }
        }
        for bucket in 1..<starts.count { starts[bucket] += starts[bucket - 1] }
        return [KeyEntry](unsafeUninitializedCapacity: total) { buffer, initialized in
            var next = starts
            for index in blocks.indices {
                let offset = rowOffsets[index]
                for entry in blocks[index].keys(kind) {
                    let bucket = Int(entry.high >> shift)
                    buffer[Int(next[bucket])] = KeyEntry(high: entry.high, low: entry.low, row: entry.row + offset)
                    next[bucket] += 1
                }
                blocks[index].releaseKeys(kind)
            }
            initialized = total
            for bucket in 0..<(1 << bits) {
                let lower = Int(starts[bucket])
                let upper = Int(starts[bucket + 1])
                guard upper - lower > 1 else { continue }
                if upper - lower <= 32 {
                    insertionSort(buffer, lower, upper)
                } else {
                    // Equal keys keep file order, so the first row of a run is the earliest.
                    var bucketEntries = UnsafeMutableBufferPointer(rebasing: buffer[lower..<upper])
                    bucketEntries.sort {
                        $0.keyPrecedes($1) || $0.sameKey(as: $1) && $0.row < $1.row
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
