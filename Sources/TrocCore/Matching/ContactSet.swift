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
            keys[kind] = ContactSet.sortedKeys(&blocks, kind: kind, rows: rows, rowOffsets: offsets)
            FreedMemory.returnToSystem()
        }
        self.keys = keys
    }

    /// The rows accepted (with a valid email or phone).
    public var acceptedRows: Int { rows.count }

    /// Gathers one kind of key from every block into one array sorted by key: a counting pass on
    /// the top bits, one scatter, then a short sort per bucket (HMAC output is uniform, so buckets
    /// stay small and the work stays linear and cache-friendly).
    /// Each block's keys of that kind are freed once scattered. A block keeps its keys without their rows: the rows'
    /// flags, in `rows` from the block's offset on, say how many keys of the kind each row has.
    ///
    /// The scatter runs in two rounds so that its writes stay in cache: first into at most 256 coarse buckets
    /// (256 write streams, one cache line each), then each coarse bucket, a few tens of kilobytes, into its fine
    /// buckets through a small spare buffer. Both rounds keep the order they read in, so equal keys stay in file order.
    static func sortedKeys(_ blocks: inout [ParsedBlock], kind: MatchKeyKind, rows: [ContactRow], rowOffsets: [UInt32]) -> [KeyEntry] {
        let total = blocks.reduce(0) { $0 + $1.keys(kind).count }
        guard total > 0 else { return [] }
        let bits = min(20, max(4, (total / 4).bitWidth - (total / 4).leadingZeroBitCount))
        let coarseBits = min(8, bits)
        let fineBits = bits - coarseBits
        let coarseShift = UInt64(64 - coarseBits)
        let fineShift = UInt64(64 - bits)
        var coarseStarts = [Int](repeating: 0, count: (1 << coarseBits) + 1)
        for block in blocks {
            for entry in block.keys(kind) { coarseStarts[Int(entry.high >> coarseShift) + 1] += 1 }
        }
        for bucket in 1..<coarseStarts.count { coarseStarts[bucket] += coarseStarts[bucket - 1] }
        return [KeyEntry](unsafeUninitializedCapacity: total) { buffer, initialized in
            var next = coarseStarts
            for index in blocks.indices {
                let blockKeys = blocks[index].keys(kind)
                var position = 0
                var row = Int(rowOffsets[index])
                while position < blockKeys.count {
                    for _ in 0..<rows[row].flags.keyCount(kind) {
                        let key = blockKeys[position]
                        let bucket = Int(key.high >> coarseShift)
                        buffer[next[bucket]] = KeyEntry(key, row: UInt32(row))
                        next[bucket] += 1
                        position += 1
                    }
                    row += 1
                }
                precondition(row <= (index + 1 < rowOffsets.count ? Int(rowOffsets[index + 1]) : rows.count), "keys past the block's rows")
                blocks[index].releaseKeys(kind)
                FreedMemory.returnEvery(blocks: 16, index)
            }
            initialized = total
            let average = total >> coarseBits
            let largest = (0..<(1 << coarseBits)).reduce(0) { max($0, coarseStarts[$1 + 1] - coarseStarts[$1]) }
            // Keys are uniform, so buckets stay near the average; only a key repeated on many rows (a switchboard number on
            // every row) makes one large, and a spare that size would hold the file's keys a second time.
            let spare = UnsafeMutableBufferPointer<KeyEntry>.allocate(capacity: max(1, min(largest, max(1 << 16, 8 * average))))
            defer { spare.deallocate() }
            var fine = FineBuckets(bits: fineBits, shift: fineShift)
            for coarse in 0..<(1 << coarseBits) {
                let bucket = UnsafeMutableBufferPointer(rebasing: buffer[coarseStarts[coarse]..<coarseStarts[coarse + 1]])
                guard bucket.count > 1 else { continue }
                if bucket.count <= spare.count {
                    fine.sort(bucket, spare: spare)
                } else {
                    sortLarge(bucket, spare: spare, fine: &fine)
                }
            }
        }
    }

    /// The second round of the scatter: one coarse bucket into its fine buckets through `spare`, in the order read, then
    /// each fine bucket sorted (equal keys are already in file order, and only equal keys make a bucket long).
    private struct FineBuckets {
        let bits: Int
        let shift: UInt64
        /// Where each fine bucket starts, and its next free place: kept from one coarse bucket to the next.
        private var starts: [Int]
        private var next: [Int]

        init(bits: Int, shift: UInt64) {
            self.bits = bits
            self.shift = shift
            starts = [Int](repeating: 0, count: (1 << bits) + 1)
            next = starts
        }

        mutating func sort(_ bucket: UnsafeMutableBufferPointer<KeyEntry>, spare: UnsafeMutableBufferPointer<KeyEntry>) {
            let mask = (1 << bits) - 1
            for fine in starts.indices { starts[fine] = 0 }
            for entry in bucket { starts[Int(entry.high >> shift) & mask + 1] += 1 }
            for fine in 1..<starts.count { starts[fine] += starts[fine - 1] }
            for fine in starts.indices { next[fine] = starts[fine] }
            for entry in bucket {
                let fine = Int(entry.high >> shift) & mask
                spare[next[fine]] = entry
                next[fine] += 1
            }
            _ = bucket.update(fromContentsOf: spare[0..<bucket.count])
            for fine in 0..<(1 << bits) where starts[fine + 1] - starts[fine] > 1 {
                ContactSet.sortByKeyThenRow(UnsafeMutableBufferPointer(rebasing: bucket[starts[fine]..<starts[fine + 1]]))
            }
        }
    }

    /// A coarse bucket larger than the spare: most often one key on most of its entries. That key's entries (in file order
    /// already) close up in place and the others, fewer than the spare holds, are sorted beside them; a bucket without such a
    /// key gets a spare of its own.
    private static func sortLarge(
        _ bucket: UnsafeMutableBufferPointer<KeyEntry>, spare: UnsafeMutableBufferPointer<KeyEntry>, fine: inout FineBuckets
    ) {
        if isSortedByKeyThenRow(bucket) { return }
        // Boyer-Moore majority vote: the only key that can fill more than half the bucket.
        var candidate = bucket[0]
        var votes = 0
        for entry in bucket {
            if votes == 0 {
                candidate = entry
                votes = 1
            } else {
                votes += entry.sameKey(as: candidate) ? 1 : -1
            }
        }
        let repeated = bucket.count { $0.sameKey(as: candidate) }
        guard bucket.count - repeated <= spare.count else {
            let own = UnsafeMutableBufferPointer<KeyEntry>.allocate(capacity: bucket.count)
            defer { own.deallocate() }
            fine.sort(bucket, spare: own)
            return
        }
        var kept = 0
        var others = 0
        for index in bucket.indices {
            let entry = bucket[index]
            if entry.sameKey(as: candidate) {
                bucket[kept] = entry
                kept += 1
            } else {
                spare[others] = entry
                others += 1
            }
        }
        let rest = UnsafeMutableBufferPointer(rebasing: spare[0..<others])
        sortByKeyThenRow(rest)
        let before = rest.count { $0.keyPrecedes(candidate) }
        if before > 0 {
            // The repeated key's entries move up past the smaller keys (the ranges overlap: a memmove).
            let base = bucket.baseAddress!
            UnsafeMutableRawPointer(base + before).copyMemory(from: base, byteCount: repeated * MemoryLayout<KeyEntry>.stride)
            base.update(from: rest.baseAddress!, count: before)
        }
        _ = UnsafeMutableBufferPointer(rebasing: bucket[(before + repeated)...]).update(fromContentsOf: rest[before...])
    }

    /// Sorts entries by key, then row: by insertion when few, not at all when already in order (a run of one key in
    /// file order), otherwise by the standard library's sort (rows are distinct within a kind, so the order is total).
    static func sortByKeyThenRow(_ entries: UnsafeMutableBufferPointer<KeyEntry>) {
        guard entries.count > 1 else { return }
        var entries = entries
        if entries.count <= 32 {
            insertionSort(entries, 0, entries.count)
        } else if !isSortedByKeyThenRow(entries) {
            entries.sort { $0.precedes($1) }
        }
    }

    private static func isSortedByKeyThenRow(_ entries: UnsafeMutableBufferPointer<KeyEntry>) -> Bool {
        entries.indices.dropFirst().allSatisfy { entries[$0 - 1].precedes(entries[$0]) }
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
