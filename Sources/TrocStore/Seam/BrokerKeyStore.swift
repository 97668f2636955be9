package import Foundation
package import TrocCrypto

/// The broker's own keys (wrapped by the master key) and the firms' delivery keys with their delayed, operator-approved changes.
///
/// Every requirement is one transaction; key changes are state-guarded (requested → approved → in force, or refused,
/// cancelled), so of two racing transitions exactly one wins, and each is audited in the transaction that makes it.
package protocol BrokerKeyStore: Sendable {
    /// Returns the broker's key pair and root hashing secret, creating and storing them (wrapped) on first use.
    ///
    /// Fails with `wrongMasterKey`, naming the expected key id, if `masterKey` is not the key that wrapped them.
    func ensureBrokerKeys(masterKey: MasterKey, now: Date) async throws(StoreError) -> BrokerKeys

    /// The active broker key's row, for publishing its public key; nil before `ensureBrokerKeys` first ran.
    func activeBrokerKey() async throws(StoreError) -> BrokerKeyRecord?

    /// Rewraps every wrapped key (blob data keys, broker keys, secrets) from `old` to `new` in one transaction; blob files are untouched.
    ///
    /// Keys already under `new` are skipped, so a repeated rotation is harmless; a key under any other master key makes it fail
    /// before anything changes.
    func rotateMasterKey(from old: MasterKey, to new: MasterKey) async throws(StoreError) -> RotationSummary

    /// Registers a firm's first delivery key, audited. A firm that has one gets `keyAlreadyRegistered`: a new key is a
    /// key change, which an operator approves and which takes effect after the delay. The same key again is a no-op.
    func registerFirstPublicKey(organisationID: String, publicKey: EnvelopePublicKey, actor: AuditActor, now: Date) async throws(StoreError)
        -> OrganisationRecord

    /// Records a partner user's request to replace its firm's delivery key, audited with both fingerprints.
    ///
    /// Refused when the firm has no key yet (it registers one), when the key is the same, and while another change of
    /// the firm's key is requested or approved (it is cancelled first).
    func requestKeyChange(organisationID: String, publicKey: EnvelopePublicKey, note: String?, actor: AuditActor, now: Date) async throws(StoreError)
        -> KeyChangeRecord

    /// An operator approves a requested change once the firm confirmed the new fingerprint out of band; it takes effect
    /// after the broker's key-change delay, during which the firm can still cancel it.
    ///
    /// `confirmedFingerprint` is what the firm read out, compared without case or separators; a mismatch changes nothing.
    func approveKeyChange(id: String, confirmedFingerprint: String, reason: String?, actor: AuditActor, now: Date) async throws(StoreError)
        -> KeyChangeRecord

    /// An operator refuses a requested change, saying why.
    func refuseKeyChange(id: String, reason: String?, actor: AuditActor, now: Date) async throws(StoreError) -> KeyChangeRecord

    /// A user of the firm, or an operator, cancels a change that has not taken effect yet (requested, or approved and
    /// still within its delay); another firm's change answers as not found.
    func cancelKeyChange(id: String, reason: String?, actor: AuditActor, now: Date) async throws(StoreError) -> KeyChangeRecord

    /// Puts in force every approved change whose delay has passed by `now`, each audited; returns them.
    ///
    /// Changes take effect lazily: the server calls this before it reads keys, so a read never sees a key that should
    /// have been replaced. It writes only when a change is due.
    func settleKeyChanges(now: Date) async throws(StoreError) -> [KeyChangeRecord]

    /// The key changes of one firm, or of all firms, newest first.
    func keyChanges(organisationID: String?) async throws(StoreError) -> [KeyChangeRecord]

    /// The key change with `id`, or nil.
    func keyChange(id: String) async throws(StoreError) -> KeyChangeRecord?

    /// The firm's change that is requested or approved and not yet in force, if any.
    func openKeyChange(organisationID: String) async throws(StoreError) -> KeyChangeRecord?
}
