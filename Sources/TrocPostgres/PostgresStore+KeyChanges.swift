package import Foundation
import PostgresNIO
import TrocCore
package import TrocCrypto
package import TrocStore

extension PostgresStore {
    /// Registers a firm's first delivery key, audited. A firm that has one gets `keyAlreadyRegistered`: a new key is a
    /// key change, which an operator approves and which takes effect after the delay. The same key again is a no-op.
    ///
    /// The firm's row is locked, so that two first registrations racing on two instances leave one key and one entry.
    package func registerFirstPublicKey(
        organisationID: String, publicKey: EnvelopePublicKey, actor: AuditActor, now: Date
    ) async throws(StoreError) -> OrganisationRecord {
        let key = try requireAuditKey()
        return try await transaction { connection in
            let locked = try await organisation(where: #""id" = \#(organisationID) FOR UPDATE"#, on: connection)
            guard var organisation = locked else { throw StoreError.organisationNotFound(id: organisationID) }
            guard try StoreRules.registersFirstKey(publicKey, for: organisation) else { return organisation }
            organisation.publicKeyPEM = publicKey.pemText
            organisation.publicKeyFingerprint = publicKey.fingerprint
            try await setPublicKey(of: organisation, on: connection)
            try await PostgresAuditTrail.append(
                .keyRegistered(publicKey, organisationID: organisationID, by: actor), key: key, now: now, on: connection, logger: logger)
            return organisation
        }
    }

    /// Records a partner user's request to replace its firm's delivery key, audited with both fingerprints.
    ///
    /// Refused when the firm has no key yet (it registers one), when the key is the same, and while another change of
    /// the firm's key is requested or approved (it is cancelled first).
    package func requestKeyChange(
        organisationID: String, publicKey: EnvelopePublicKey, note: String?, actor: AuditActor, now: Date
    ) async throws(StoreError) -> KeyChangeRecord {
        let key = try requireAuditKey()
        return try await transaction { connection in
            _ = try await settleKeyChanges(now: now, key: key, on: connection)
            guard actor.role == .partner, actor.organisationID == organisationID, let userID = actor.userID,
                let organisation = try await organisation(where: #""id" = \#(organisationID) FOR UPDATE"#, on: connection)
            else { throw StoreError.organisationNotFound(id: organisationID) }
            guard let current = organisation.publicKeyFingerprint else { throw StoreError.account(.keyNotRegistered(organisationID: organisationID)) }
            guard current != publicKey.fingerprint else { throw StoreError.account(.keyUnchanged(fingerprint: current)) }
            if let open = try await openKeyChange(organisationID: organisationID, on: connection) {
                throw StoreError.account(.keyChangeOpen(id: open.id, state: open.state))
            }
            let change = KeyChangeRecord(
                requesting: publicKey, replacing: current, organisationID: organisationID, userID: userID, note: note, now: now)
            try await connection.query(
                #"""
                INSERT INTO "key_change" ("id", "organisationID", "state", "oldFingerprint", "newPublicKeyPEM", "newFingerprint",
                    "requestedByUserID", "requestedAt", "note")
                VALUES (\#(change.id), \#(change.organisationID), \#(change.state.rawValue), \#(change.oldFingerprint), \#(change.newPublicKeyPEM),
                    \#(change.newFingerprint), \#(change.requestedByUserID), \#(Timestamp.seconds(change.requestedAt)), \#(change.note))
                """#, logger: logger)
            try await PostgresAuditTrail.append(
                .keyChange(.keyChangeRequest, change, by: actor, reason: change.note), key: key, now: now, on: connection, logger: logger)
            return change
        }
    }

    /// An operator approves a requested change once the firm confirmed the new fingerprint out of band; it takes effect
    /// after the broker's key-change delay, during which the firm can still cancel it.
    ///
    /// `confirmedFingerprint` is what the firm read out, compared without case or separators; a mismatch changes nothing.
    package func approveKeyChange(
        id: String, confirmedFingerprint: String, reason: String?, actor: AuditActor, now: Date
    ) async throws(StoreError) -> KeyChangeRecord {
        let key = try requireAuditKey()
        return try await transaction { connection in
            var change = try await keyChange(id, expecting: .requested, action: "approved", on: connection)
            guard KeyFingerprint.normalised(confirmedFingerprint) == KeyFingerprint.normalised(change.newFingerprint) else {
                throw StoreError.account(.fingerprintMismatch(confirmed: confirmedFingerprint, requested: change.newFingerprint))
            }
            let delay = TimeInterval(try await settingsRow(on: connection, locking: false).settings.keyChangeDelayHours) * 3600
            change.approve(by: actor, reason: reason, delay: delay, now: now)
            try await update(change, on: connection)
            try await PostgresAuditTrail.append(
                .keyChange(.keyChangeApprove, change, by: actor, reason: change.decisionReason), key: key, now: now, on: connection, logger: logger)
            return change
        }
    }

    /// An operator refuses a requested change, saying why.
    package func refuseKeyChange(id: String, reason: String?, actor: AuditActor, now: Date) async throws(StoreError) -> KeyChangeRecord {
        let key = try requireAuditKey()
        guard let reason = StoreRules.optionalReason(reason) else {
            throw .account(.reasonRequired(subject: "key-change", why: "say why the key change is refused: the firm sees it and it is audited"))
        }
        return try await transaction { connection in
            var change = try await keyChange(id, expecting: .requested, action: "refused", on: connection)
            change.refuse(by: actor, reason: reason, now: now)
            try await update(change, on: connection)
            try await PostgresAuditTrail.append(
                .keyChange(.keyChangeRefuse, change, by: actor, reason: reason), key: key, now: now, on: connection, logger: logger)
            return change
        }
    }

    /// A user of the firm, or an operator, cancels a change that has not taken effect yet (requested, or approved and
    /// still within its delay); another firm's change answers as not found.
    package func cancelKeyChange(id: String, reason: String?, actor: AuditActor, now: Date) async throws(StoreError) -> KeyChangeRecord {
        let key = try requireAuditKey()
        return try await transaction { connection in
            // A change whose delay has passed is in force, whether or not anyone has read it since.
            _ = try await settleKeyChanges(now: now, key: key, on: connection)
            let locked = try await keyChanges(where: #""id" = \#(id) FOR UPDATE"#, on: connection).first
            guard var change = locked, actor.role == .operator || actor.organisationID == change.organisationID else {
                throw StoreError.account(.keyChangeNotFound(id: id))
            }
            guard change.state.isOpen else { throw StoreError.account(.keyChangeState(id: id, state: change.state, action: "cancelled")) }
            change.cancel(by: actor, reason: reason, now: now)
            try await update(change, on: connection)
            try await PostgresAuditTrail.append(
                .keyChange(.keyChangeCancel, change, by: actor, reason: change.cancellationReason), key: key, now: now, on: connection, logger: logger
            )
            return change
        }
    }

    /// Puts in force every approved change whose delay has passed by `now`, each audited; returns them.
    ///
    /// Changes take effect lazily: the server calls this before it reads keys, so a read never sees a key that should
    /// have been replaced. It writes only when a change is due; instances settling at once put each change in force once.
    package func settleKeyChanges(now: Date) async throws(StoreError) -> [KeyChangeRecord] {
        let due = try await withConnection { connection in
            let rows = try await connection.query(
                #"SELECT EXISTS (SELECT 1 FROM "key_change" WHERE "state" = 'approved' AND "effectiveAt" <= \#(Timestamp.seconds(now)))"#,
                logger: logger)
            for try await (exists) in rows.decode(Bool.self) { return exists }
            return false
        }
        guard due else { return [] }
        let key = try requireAuditKey()
        return try await transaction { connection in try await settleKeyChanges(now: now, key: key, on: connection) }
    }

    /// The key changes of one firm, or of all firms, newest first.
    package func keyChanges(organisationID: String?) async throws(StoreError) -> [KeyChangeRecord] {
        try await withConnection { connection in
            if let organisationID {
                return try await keyChanges(
                    where: #""organisationID" = \#(organisationID) ORDER BY "requestedAt" DESC, "id" COLLATE "C""#, on: connection)
            }
            return try await keyChanges(where: #"TRUE ORDER BY "requestedAt" DESC, "id" COLLATE "C""#, on: connection)
        }
    }

    /// The key change with `id`, or nil.
    package func keyChange(id: String) async throws(StoreError) -> KeyChangeRecord? {
        try await withConnection { connection in try await keyChanges(where: #""id" = \#(id)"#, on: connection).first }
    }

    /// The firm's change that is requested or approved and not yet in force, if any.
    package func openKeyChange(organisationID: String) async throws(StoreError) -> KeyChangeRecord? {
        try await withConnection { connection in try await openKeyChange(organisationID: organisationID, on: connection) }
    }

    /// Applies due changes inside the caller's transaction: the organisation's key first (the schema lets it change only
    /// to an approved change's key), then the change's state.
    ///
    /// The due rows are locked; an instance that waited on them reads them again and finds them in force already.
    func settleKeyChanges(now: Date, key: AuditKey, on connection: PostgresConnection) async throws -> [KeyChangeRecord] {
        let due = try await keyChanges(
            where: #"""
                "state" = 'approved' AND "effectiveAt" <= \#(Timestamp.seconds(now)) ORDER BY "effectiveAt", "id" COLLATE "C" FOR UPDATE
                """#, on: connection)
        var settled: [KeyChangeRecord] = []
        for var change in due {
            let locked = try await organisation(where: #""id" = \#(change.organisationID) FOR UPDATE"#, on: connection)
            guard var organisation = locked else { throw StoreError.organisationNotFound(id: change.organisationID) }
            organisation.publicKeyPEM = change.newPublicKeyPEM
            organisation.publicKeyFingerprint = change.newFingerprint
            try await setPublicKey(of: organisation, on: connection)
            change.state = .effective
            try await connection.query(#"UPDATE "key_change" SET "state" = 'effective' WHERE "id" = \#(change.id)"#, logger: logger)
            try await PostgresAuditTrail.append(
                .keyChange(.keyChangeEffective, change, by: .system, reason: nil), key: key, now: now, on: connection, logger: logger)
            settled.append(change)
        }
        return settled
    }

    /// The firm's open change read on `connection`.
    private func openKeyChange(organisationID: String, on connection: PostgresConnection) async throws -> KeyChangeRecord? {
        try await keyChanges(where: #""organisationID" = \#(organisationID) AND "state" IN ('requested', 'approved')"#, on: connection).first
    }

    /// The change `id`, locked, if it is in `state`; otherwise why `action` cannot happen to it.
    private func keyChange(
        _ id: String, expecting state: KeyChangeState, action: String, on connection: PostgresConnection
    ) async throws -> KeyChangeRecord {
        guard let change = try await keyChanges(where: #""id" = \#(id) FOR UPDATE"#, on: connection).first else {
            throw StoreError.account(.keyChangeNotFound(id: id))
        }
        guard change.state == state else { throw StoreError.account(.keyChangeState(id: id, state: change.state, action: action)) }
        return change
    }

    /// Writes a decided or cancelled change's state and decision columns.
    private func update(_ change: KeyChangeRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            #"""
            UPDATE "key_change" SET "state" = \#(change.state.rawValue), "decidedByUserID" = \#(change.decidedByUserID),
                "decidedAt" = \#(change.decidedAt.map(Timestamp.seconds)), "decisionReason" = \#(change.decisionReason),
                "effectiveAt" = \#(change.effectiveAt.map(Timestamp.seconds)), "cancelledByUserID" = \#(change.cancelledByUserID),
                "cancelledAt" = \#(change.cancelledAt.map(Timestamp.seconds)), "cancellationReason" = \#(change.cancellationReason)
            WHERE "id" = \#(change.id)
            """#, logger: logger)
    }

    /// Writes an organisation's delivery key.
    private func setPublicKey(of organisation: OrganisationRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            #"""
            UPDATE "organisation" SET "publicKeyPEM" = \#(organisation.publicKeyPEM), "publicKeyFingerprint" = \#(organisation.publicKeyFingerprint)
            WHERE "id" = \#(organisation.id)
            """#, logger: logger)
    }

    /// The key changes `condition` selects, in its order.
    private func keyChanges(where condition: PostgresQuery, on connection: PostgresConnection) async throws -> [KeyChangeRecord] {
        try await select("key_change", where: condition, on: connection) { columns throws(StoreError) in try columns.keyChange() }
    }
}

extension PostgresStore: BrokerKeyStore {}
