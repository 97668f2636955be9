package import Foundation

/// The judgement of an audit trail, shared by every record store: a verifier feeds it the entries in `seq` order and then
/// the head as stored, and an append asks it whether the head may be extended. The SQLite and PostgreSQL trails are then
/// judged by the same rules, whatever each backend's way of reading them.
package struct AuditChainWalk {
    /// The head row as a store keeps it: the entries it counts, the last one's MAC, and its own MAC.
    package typealias Head = (count: Int64, lastMAC: Data, mac: Data)

    private let key: AuditKey
    private let checkpoint: AuditCheckpoint?
    private var expectedSeq: Int64 = 1
    private var previous = AuditChain.genesis
    private var count = 0
    private var verified = 0
    private var last: AuditRecord?
    private var damage: AuditDamage?

    /// A walk of a trail MAC'ed under `key` that must extend `checkpoint` (recorded elsewhere), if given.
    package init(key: AuditKey, expecting checkpoint: AuditCheckpoint? = nil) {
        self.key = key
        self.checkpoint = checkpoint
    }

    /// Takes the next entry. `linksElsewhere(mac)` says whether the trail holds an entry with MAC `mac`; it is asked only
    /// when an entry does not link to the one before it, to tell content moved here from content edited.
    package mutating func visit(_ entry: AuditRecord, linksElsewhere: (Data) throws -> Bool) rethrows {
        count += 1
        let macVerifies = AuditChain.mac(of: entry, key: key) == entry.mac
        if macVerifies { verified += 1 }
        if damage == nil {
            if entry.seq != expectedSeq {
                damage = AuditDamage(seq: expectedSeq, kind: .missing)
            } else if entry.previous != previous {
                damage = AuditDamage(seq: entry.seq, kind: try linksElsewhere(entry.previous) ? .reordered : .edited)
            } else if !macVerifies {
                damage = AuditDamage(seq: entry.seq, kind: .edited)
            }
        }
        if damage == nil, let checkpoint, entry.seq == checkpoint.count, entry.mac != checkpoint.mac {
            damage = AuditDamage(seq: entry.seq, kind: .rewritten)
        }
        expectedSeq = entry.seq + 1
        previous = entry.mac
        last = entry
    }

    /// The verdict on the entries visited, given the head as stored (nil when the store has none).
    package func verdict(head: Head?) -> AuditVerification {
        var damage = damage
        let headVerifies = head.map { AuditChain.headMAC(count: $0.count, lastMAC: $0.lastMAC, key: key) == $0.mac } ?? false
        if count > 0, verified == 0, !headVerifies {
            // An edit breaks one MAC; a wrong key breaks all of them.
            damage = AuditDamage(seq: 1, kind: .wrongKey)
        } else if damage == nil {
            let lastSeq = last?.seq ?? 0
            if let head {
                if !headVerifies {
                    damage = AuditDamage(seq: lastSeq, kind: .headAltered)
                } else if head.count > lastSeq {
                    damage = AuditDamage(seq: lastSeq + 1, kind: .truncated)
                } else if head.count < lastSeq || head.lastMAC != last?.mac {
                    damage = AuditDamage(seq: head.count + 1, kind: .headAltered)
                }
            } else if count > 0 {
                damage = AuditDamage(seq: lastSeq, kind: .headAltered)
            }
        }
        if damage == nil, let checkpoint, checkpoint.count > last?.seq ?? 0 {
            damage = AuditDamage(seq: checkpoint.count, kind: .rolledBack)
        }
        return AuditVerification(entryCount: count, headMAC: head?.mac, lastMAC: last?.mac, damage: damage)
    }

    /// Why a trail whose head is `head` and whose last entry is `last` cannot be extended, or nil: its MAC, and that it
    /// counts and names the last entry (only that entry is read, so an append stays O(1)). Extending a damaged trail
    /// would give the damage a valid head.
    package static func headDamage(_ head: Head?, last: AuditRecord?, key: AuditKey) -> AuditDamage? {
        let lastSeq = last?.seq ?? 0
        guard let head else { return last == nil ? nil : AuditDamage(seq: lastSeq, kind: .headAltered) }
        guard AuditChain.headMAC(count: head.count, lastMAC: head.lastMAC, key: key) == head.mac else {
            let lastVerifies = last.map { AuditChain.mac(of: $0, key: key) == $0.mac } ?? false
            return AuditDamage(seq: lastSeq, kind: lastVerifies ? .headAltered : .wrongKey)
        }
        if head.count > lastSeq { return AuditDamage(seq: lastSeq + 1, kind: .truncated) }
        if head.count < lastSeq || head.lastMAC != last?.mac { return AuditDamage(seq: head.count + 1, kind: .headAltered) }
        return nil
    }
}
