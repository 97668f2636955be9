package import Foundation
import GRDB
import TrocCore
package import TrocCrypto

extension AppDatabase {
    /// Registers a firm's first delivery key, audited. A firm that has one gets `keyAlreadyRegistered`: a new key is a
    /// key change, which an operator approves and which takes effect after the delay. The same key again is a no-op.
    package func registerFirstPublicKey(
        organisationID: String, publicKey: EnvelopePublicKey, actor: AuditActor, now: Date
    ) throws(StoreError) -> OrganisationRecord {
        let key = try requireAuditKey()
        return try write { db in
            guard var organisation = try OrganisationRecord.fetchOne(db, key: organisationID) else {
                throw StoreError.organisationNotFound(id: organisationID)
            }
            guard try StoreRules.registersFirstKey(publicKey, for: organisation) else { return organisation }
            organisation.publicKeyPEM = publicKey.pemText
            organisation.publicKeyFingerprint = publicKey.fingerprint
            try organisation.update(db, columns: [OrganisationRecord.Columns.publicKeyPEM, OrganisationRecord.Columns.publicKeyFingerprint])
            _ = try Self.appendAudit(.keyRegistered(publicKey, organisationID: organisationID, by: actor), key: key, now: now, db: db)
            return organisation
        }
    }

    /// Records a partner user's request to replace its firm's delivery key, audited with both fingerprints.
    ///
    /// Refused when the firm has no key yet (it registers one), when the key is the same, and while another change of
    /// the firm's key is requested or approved (it is cancelled first).
    package func requestKeyChange(
        organisationID: String, publicKey: EnvelopePublicKey, note: String?, actor: AuditActor, now: Date
    ) throws(StoreError) -> KeyChangeRecord {
        let key = try requireAuditKey()
        return try write { db in
            _ = try Self.settleKeyChanges(now: now, key: key, db: db)
            guard actor.role == .partner, actor.organisationID == organisationID, let userID = actor.userID,
                let organisation = try OrganisationRecord.fetchOne(db, key: organisationID)
            else { throw StoreError.organisationNotFound(id: organisationID) }
            guard let current = organisation.publicKeyFingerprint else { throw StoreError.account(.keyNotRegistered(organisationID: organisationID)) }
            guard current != publicKey.fingerprint else { throw StoreError.account(.keyUnchanged(fingerprint: current)) }
            if let open = try Self.openKeyChange(organisationID: organisationID, db: db) {
                throw StoreError.account(.keyChangeOpen(id: open.id, state: open.state))
            }
            let change = KeyChangeRecord(
                requesting: publicKey, replacing: current, organisationID: organisationID, userID: userID, note: note, now: now)
            try change.insert(db)
            _ = try Self.appendAudit(.keyChange(.keyChangeRequest, change, by: actor, reason: change.note), key: key, now: now, db: db)
            return change
        }
    }

    /// An operator approves a requested change once the firm confirmed the new fingerprint out of band; it takes effect
    /// after the broker's key-change delay, during which the firm can still cancel it.
    ///
    /// `confirmedFingerprint` is what the firm read out, compared without case or separators; a mismatch changes nothing.
    package func approveKeyChange(
        id: String, confirmedFingerprint: String, reason: String?, actor: AuditActor, now: Date
    ) throws(StoreError) -> KeyChangeRecord {
        let key = try requireAuditKey()
        return try write { db in
            var change = try Self.keyChange(id, expecting: .requested, action: "approved", db: db)
            guard KeyFingerprint.normalised(confirmedFingerprint) == KeyFingerprint.normalised(change.newFingerprint) else {
                throw StoreError.account(.fingerprintMismatch(confirmed: confirmedFingerprint, requested: change.newFingerprint))
            }
            let delay = TimeInterval(try Self.settings(db).keyChangeDelayHours) * 3600
            change.approve(by: actor, reason: reason, delay: delay, now: now)
            try change.update(db)
            _ = try Self.appendAudit(.keyChange(.keyChangeApprove, change, by: actor, reason: change.decisionReason), key: key, now: now, db: db)
            return change
        }
    }

    /// An operator refuses a requested change, saying why.
    package func refuseKeyChange(id: String, reason: String?, actor: AuditActor, now: Date) throws(StoreError) -> KeyChangeRecord {
        let key = try requireAuditKey()
        guard let reason = StoreRules.optionalReason(reason) else {
            throw .account(.reasonRequired(subject: "key-change", why: "say why the key change is refused: the firm sees it and it is audited"))
        }
        return try write { db in
            var change = try Self.keyChange(id, expecting: .requested, action: "refused", db: db)
            change.refuse(by: actor, reason: reason, now: now)
            try change.update(db)
            _ = try Self.appendAudit(.keyChange(.keyChangeRefuse, change, by: actor, reason: reason), key: key, now: now, db: db)
            return change
        }
    }

    /// A user of the firm, or an operator, cancels a change that has not taken effect yet (requested, or approved and
    /// still within its delay); another firm's change answers as not found.
    package func cancelKeyChange(id: String, reason: String?, actor: AuditActor, now: Date) throws(StoreError) -> KeyChangeRecord {
        let key = try requireAuditKey()
        return try write { db in
            // A change whose delay has passed is in force, whether or not anyone has read it since.
            _ = try Self.settleKeyChanges(now: now, key: key, db: db)
            guard var change = try KeyChangeRecord.fetchOne(db, key: id), actor.role == .operator || actor.organisationID == change.organisationID
            else { throw StoreError.account(.keyChangeNotFound(id: id)) }
            guard change.state.isOpen else { throw StoreError.account(.keyChangeState(id: id, state: change.state, action: "cancelled")) }
            change.cancel(by: actor, reason: reason, now: now)
            try change.update(db)
            _ = try Self.appendAudit(.keyChange(.keyChangeCancel, change, by: actor, reason: change.cancellationReason), key: key, now: now, db: db)
            return change
        }
    }

    /// Puts in force every approved change whose delay has passed by `now`, each audited; returns them.
    ///
    /// Changes take effect lazily: the server calls this before it reads keys, so a read never sees a key that should
    /// have been replaced. It writes only when a change is due.
    package func settleKeyChanges(now: Date) throws(StoreError) -> [KeyChangeRecord] {
        // Every authenticated request asks, and the answer is almost always no: one prepared statement, no records decoded.
        let due = try read { db in
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM key_change WHERE state = ? AND effectiveAt <= ?)"),
                arguments: [KeyChangeState.approved, Timestamp.seconds(now)]) ?? false
        }
        guard due else { return [] }
        let key = try requireAuditKey()
        return try write { db in try Self.settleKeyChanges(now: now, key: key, db: db) }
    }

    /// The key changes of one firm, or of all firms, newest first.
    package func keyChanges(organisationID: String? = nil) throws(StoreError) -> [KeyChangeRecord] {
        try read { db in
            var request = KeyChangeRecord.order(KeyChangeRecord.Columns.requestedAt.desc, KeyChangeRecord.Columns.id)
            if let organisationID { request = request.filter(KeyChangeRecord.Columns.organisationID == organisationID) }
            return try request.fetchAll(db)
        }
    }

    /// The key change with `id`, or nil.
    package func keyChange(id: String) throws(StoreError) -> KeyChangeRecord? {
        try read { db in try KeyChangeRecord.fetchOne(db, key: id) }
    }

    /// The firm's change that is requested or approved and not yet in force, if any.
    package func openKeyChange(organisationID: String) throws(StoreError) -> KeyChangeRecord? {
        try read { db in try Self.openKeyChange(organisationID: organisationID, db: db) }
    }

    /// Applies due changes inside the caller's transaction: the organisation's key first (the schema lets it change only
    /// to an approved change's key), then the change's state.
    static func settleKeyChanges(now: Date, key: AuditKey, db: Database) throws -> [KeyChangeRecord] {
        try dueKeyChanges(now: now, db: db).map { due in
            var change = due
            var organisation = try OrganisationRecord.find(db, key: change.organisationID)
            organisation.publicKeyPEM = change.newPublicKeyPEM
            organisation.publicKeyFingerprint = change.newFingerprint
            try organisation.update(db, columns: [OrganisationRecord.Columns.publicKeyPEM, OrganisationRecord.Columns.publicKeyFingerprint])
            change.state = .effective
            try change.update(db, columns: [KeyChangeRecord.Columns.state])
            _ = try appendAudit(.keyChange(.keyChangeEffective, change, by: .system, reason: nil), key: key, now: now, db: db)
            return change
        }
    }

    /// Approved changes whose delay has passed, oldest first.
    private static func dueKeyChanges(now: Date, db: Database) throws -> [KeyChangeRecord] {
        try KeyChangeRecord.filter(KeyChangeRecord.Columns.state == KeyChangeState.approved)
            .filter(KeyChangeRecord.Columns.effectiveAt <= Timestamp.seconds(now)).order(
                KeyChangeRecord.Columns.effectiveAt, KeyChangeRecord.Columns.id
            )
            .fetchAll(db)
    }

    /// The firm's open change, inside a transaction.
    private static func openKeyChange(organisationID: String, db: Database) throws -> KeyChangeRecord? {
        // A partner's `GET /v1/me` asks on every call.
        try KeyChangeRecord.fetchOne(
            db, cached: "SELECT * FROM key_change WHERE organisationID = ? AND state IN (?, ?)",
            arguments: [organisationID, KeyChangeState.requested, KeyChangeState.approved])
    }

    /// The change `id` if it is in `state`; otherwise why `action` cannot happen to it.
    private static func keyChange(_ id: String, expecting state: KeyChangeState, action: String, db: Database) throws -> KeyChangeRecord {
        guard let change = try KeyChangeRecord.fetchOne(db, key: id) else { throw StoreError.account(.keyChangeNotFound(id: id)) }
        guard change.state == state else { throw StoreError.account(.keyChangeState(id: id, state: change.state, action: action)) }
        return change
    }
}
