import Foundation
import TrocCore
package import TrocCrypto

/// The audit entries of firms' delivery keys and their changes, built once for both record stores.
extension AuditDraft {
    /// A firm's first delivery key registered.
    package static func keyRegistered(_ publicKey: EnvelopePublicKey, organisationID: String, by actor: AuditActor) -> AuditDraft {
        AuditDraft(action: .keyRegister, actor: actor, organisationID: organisationID, detail: ["fingerprint": .string(publicKey.fingerprint)])
    }

    /// A key change requested, approved, refused, cancelled or put in force (`action`), with the reason that goes with it.
    package static func keyChange(_ action: AuditAction, _ change: KeyChangeRecord, by actor: AuditActor, reason: String?) -> AuditDraft {
        // Ids, state and fingerprints, never the key itself.
        var detail: [String: AuditValue] = [
            "keyChange": .string(change.id), "state": .string(change.state.rawValue), "oldFingerprint": .string(change.oldFingerprint),
            "newFingerprint": .string(change.newFingerprint),
        ]
        if let effectiveAt = change.effectiveAt { detail["effectiveAt"] = .integer(Timestamp.seconds(effectiveAt)) }
        return AuditDraft(action: action, actor: actor, organisationID: change.organisationID, detail: detail, reason: reason)
    }
}
