/// A file's rows grouped into contacts: rows sharing any key are one contact, represented by its
/// most complete, then most recent, then earliest row. An objection on any of its rows wins (the
/// person said no), for prospecting altogether or for one channel; consents are the representative
/// row's, so that the delivered row shows the consent that justifies each channel it carries.
struct FileContacts: Sendable {
    /// The representative row of each contact, in file order.
    let representatives: [UInt32]
    /// The contact each row belongs to.
    let contactOfRow: [UInt32]
    /// Contacts with an objection to prospecting on any of their rows.
    let refused: Bits
    /// Refusals of one channel, or of transfer to partners, on any of a contact's rows.
    let objections: ChannelObjections
    /// Contacts with a row found on the suppression list while the file was read.
    let listed: Bits

    var count: Int { representatives.count }

    init(_ file: ContactSet) {
        let rowCount = file.rows.count
        var parent = [UInt32](unsafeUninitializedCapacity: rowCount) { buffer, initialized in
            for index in 0..<rowCount { buffer[index] = UInt32(index) }
            initialized = rowCount
        }
        parent.withUnsafeMutableBufferPointer { parent in
            func find(_ row: UInt32) -> UInt32 {
                var node = row
                while parent[Int(node)] != node {
                    let grand = parent[Int(parent[Int(node)])]
                    parent[Int(node)] = grand
                    node = grand
                }
                return node
            }
            for keys in file.keys.all {
                var index = 0
                while index < keys.count {
                    var end = index + 1
                    while end < keys.count, keys[end].sameKey(as: keys[index]) { end += 1 }
                    if end - index > 1 {
                        var root = find(keys[index].row)
                        for other in (index + 1)..<end {
                            let otherRoot = find(keys[other].row)
                            guard otherRoot != root else { continue }
                            // The smaller row index stays root, so roots are stable and in file order.
                            if otherRoot < root {
                                parent[Int(root)] = otherRoot
                                root = otherRoot
                            } else {
                                parent[Int(otherRoot)] = root
                            }
                        }
                    }
                    index = end
                }
            }
            for row in 0..<rowCount { parent[row] = find(UInt32(row)) }
        }

        // One array of a row each, not three: each root's place holds its best row so far, tagged (a root is the first row
        // of its contact, so it is read before any other), while the other rows keep their root; then, row by row, each
        // place becomes its row's contact, a root's first (it comes before the rows that read it).
        let rootTag: UInt32 = 1 << 31
        precondition(rowCount < Int(rootTag), "a file of more than 2^31 rows")
        file.rows.withUnsafeBufferPointer { rows in
            for row in 0..<rowCount {
                let root = Int(parent[row])
                if root == row {
                    parent[row] = rootTag | UInt32(row)
                } else if FileContacts.isBetter(rows[row], than: rows[Int(parent[root] & ~rootTag)]) {
                    parent[root] = rootTag | UInt32(row)
                }
            }
        }
        var representatives: [UInt32] = []
        for row in 0..<rowCount {
            let entry = parent[row]
            if entry & rootTag != 0 {
                representatives.append(entry & ~rootTag)
                parent[row] = UInt32(representatives.count - 1)
            } else {
                parent[row] = parent[Int(entry)]
            }
        }
        let contactOfRow = parent
        var refused = Bits(representatives.count)
        var objections = ChannelObjections(representatives.count)
        var listed = Bits(representatives.count)
        for (row, facts) in file.rows.enumerated() {
            let contact = Int(contactOfRow[row])
            if facts.flags.contains(.consentRefused) { refused[contact] = true }
            if facts.flags.contains(.suppressed) { listed[contact] = true }
            objections.record(facts.flags, contact: contact)
        }
        self.representatives = representatives
        self.contactOfRow = contactOfRow
        self.refused = refused
        self.objections = objections
        self.listed = listed
    }

    /// docs/RULES.md "Privacy-preserving overlap and dedupe": keep the most complete and most recent row; the earlier line breaks ties.
    static func isBetter(_ row: ContactRow, than other: ContactRow) -> Bool {
        if row.completeness != other.completeness { return row.completeness > other.completeness }
        if row.freshestDay != other.freshestDay { return row.freshestDay > other.freshestDay }
        return row.line < other.line
    }
}
