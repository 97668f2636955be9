package import Foundation
package import TrocCore

/// The audit chain's MACs for a record store other than the SQLite one (the PostgreSQL backend), so that every backend
/// writes entries the same verifier accepts.
extension AuditRecord {
    /// The `previous` of the first entry: 32 zero bytes.
    package static var genesisMAC: Data { AuditChain.genesis }

    /// Entry `seq` of the trail for `draft`, chained after `previous` and MAC'ed under `key`, as `AppDatabase.appendAudit`
    /// builds it.
    package init(draft: AuditDraft, seq: Int64, previous: Data, key: AuditKey, now: Date) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.init(
            seq: seq, at: Timestamp.stored(now), actorUserID: draft.actor.userID, actorRole: draft.actor.role,
            organisationID: draft.organisationID, dealID: draft.dealID, action: draft.action.rawValue,
            detail: String(decoding: try encoder.encode(draft.detail), as: UTF8.self), reason: draft.reason,
            clientAddress: draft.actor.clientAddress, previous: previous, mac: Data())
        mac = AuditChain.mac(of: self, key: key)
    }

    /// An entry as another backend stored it, field by field.
    package static func stored(
        seq: Int64, at: Date, actorUserID: String?, actorRole: Role?, organisationID: String?, dealID: String?, action: String,
        detail: String, reason: String?, clientAddress: String?, previous: Data, mac: Data
    ) -> AuditRecord {
        AuditRecord(
            seq: seq, at: at, actorUserID: actorUserID, actorRole: actorRole, organisationID: organisationID, dealID: dealID, action: action,
            detail: detail, reason: reason, clientAddress: clientAddress, previous: previous, mac: mac)
    }

    /// Whether this entry's MAC is the one `key` gives its fields.
    package func macVerifies(key: AuditKey) -> Bool { AuditChain.mac(of: self, key: key) == mac }

    /// The MAC of a head that counts `count` entries, the last with MAC `lastMAC`.
    package static func headMAC(count: Int64, lastMAC: Data, key: AuditKey) -> Data {
        AuditChain.headMAC(count: count, lastMAC: lastMAC, key: key)
    }
}

extension AuditVerification {
    /// The outcome of walking a trail of `entryCount` entries, as another backend's verifier found it.
    package init(walked entryCount: Int, headMAC: Data?, lastMAC: Data?, damage: AuditDamage?) {
        self.init(entryCount: entryCount, headMAC: headMAC, lastMAC: lastMAC, damage: damage)
    }
}
