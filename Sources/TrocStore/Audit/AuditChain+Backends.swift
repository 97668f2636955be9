package import Foundation
package import TrocCore

/// The audit chain's entries and MACs for every record store (SQLite's `AppDatabase.appendAudit` and the PostgreSQL
/// backend build entries with the same code), so that one verifier (`AuditChainWalk`) accepts a trail from either.
extension AuditRecord {
    /// The `previous` of the first entry: 32 zero bytes.
    package static var genesisMAC: Data { AuditChain.genesis }

    /// Entry `seq` of the trail for `draft`, chained after `previous` and MAC'ed under `key`; the detail is JSON with
    /// sorted keys, so equal details are stored (and MAC'ed) as equal bytes.
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

    /// The MAC of a head that counts `count` entries, the last with MAC `lastMAC`.
    package static func headMAC(count: Int64, lastMAC: Data, key: AuditKey) -> Data {
        AuditChain.headMAC(count: count, lastMAC: lastMAC, key: key)
    }
}
