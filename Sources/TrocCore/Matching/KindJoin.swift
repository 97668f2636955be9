/// One kind of key compared across the two files and against the suppression list, by merging sorted arrays.
struct KindJoin: Sendable {
    /// Distinct keys present in both files.
    var overlap = 0
    var heldA: Bits
    var heldB: Bits
    var suppressedA: Bits
    var suppressedB: Bits

    init(kind: MatchKeyKind, a: ContactSet, b: ContactSet, contacts: [FileContacts], suppression: [KeyEntry]) {
        heldA = Bits(contacts[0].count)
        heldB = Bits(contacts[1].count)
        suppressedA = Bits(contacts[0].count)
        suppressedB = Bits(contacts[1].count)
        overlap = KindJoin.merge(a.keys[kind], b.keys[kind]) { rowA, rowB in
            heldA[Int(contacts[0].contactOfRow[Int(rowA)])] = true
            heldB[Int(contacts[1].contactOfRow[Int(rowB)])] = true
        }
        KindJoin.merge(a.keys[kind], suppression) { row, _ in suppressedA[Int(contacts[0].contactOfRow[Int(row)])] = true }
        KindJoin.merge(b.keys[kind], suppression) { row, _ in suppressedB[Int(contacts[1].contactOfRow[Int(row)])] = true }
    }

    /// Walks two key-sorted arrays; for each key in both, calls `matched` for every pair of rows
    /// of the two runs' first rows and every row of each run. Returns the number of distinct shared keys.
    @discardableResult
    static func merge(_ left: [KeyEntry], _ right: [KeyEntry], matched: (UInt32, UInt32) -> Void) -> Int {
        var shared = 0
        var i = 0
        var j = 0
        while i < left.count, j < right.count {
            if left[i].keyPrecedes(right[j]) {
                i += 1
            } else if right[j].keyPrecedes(left[i]) {
                j += 1
            } else {
                shared += 1
                var iEnd = i + 1
                while iEnd < left.count, left[iEnd].sameKey(as: left[i]) { iEnd += 1 }
                var jEnd = j + 1
                while jEnd < right.count, right[jEnd].sameKey(as: right[j]) { jEnd += 1 }
                for index in i..<iEnd { matched(left[index].row, right[j].row) }
                for index in j..<jEnd { matched(left[i].row, right[index].row) }
                i = iEnd
                j = jEnd
            }
        }
        return shared
    }
}
