package import Foundation
import GRDB
import TrocCore

extension AppDatabase {
    /// Adds a user and its first token in one audited transaction, under the account rules.
    ///
    /// A firm's first user is created by an operator (or the broker's set-up) and holds the firm-admin right. Further users
    /// of a firm are created by one of its users holding that right, or by an operator who must then give a reason: it is
    /// stored with the user, so the firm's users see it. Operators and accountants are created by operators.
    package func addUser(
        _ draft: UserDraft, reason: String?, firstTokenExpiresAt: Date, creator: AuditActor, now: Date
    ) throws(StoreError) -> CreatedAccount {
        let key = try requireAuditKey()
        try StoreRules.validateUserName(draft.name)
        try StoreRules.validateExpiry(firstTokenExpiresAt, now: now)
        let reason = StoreRules.optionalReason(reason)
        return try write { db in
            guard let organisation = try OrganisationRecord.fetchOne(db, key: draft.organisationID) else {
                throw StoreError.organisationNotFound(id: draft.organisationID)
            }
            let existing = try UserRecord.filter(UserRecord.Columns.organisationID == organisation.id).fetchCount(db)
            let admission = try StoreRules.admitUser(by: creator, to: organisation, existingUsers: existing, reason: reason)
            if admission.needsFirmAdmin { try Self.requireFirmAdmin(creator, of: organisation.id, db: db) }
            let storedReason = admission.storedReason
            var draft = draft
            draft.firmAdmin = draft.role == .partner && (existing == 0 || draft.firmAdmin)
            let user = try Self.insertUser(draft, creatorID: creator.userID, reason: storedReason, now: now, db: db)
            let issued = try Self.insertToken(
                userID: user.id, parentID: nil, label: "first token", expiresAt: firstTokenExpiresAt, now: now, db: db)
            let account = CreatedAccount(user: user, token: issued)
            _ = try Self.appendAudit(
                .userCreated(account, by: creator, usersBefore: existing, reason: reason), key: key, now: now, db: db)
            return account
        }
    }

    /// Disables a user and revokes its live tokens in one audited transaction, so every token stops at once.
    ///
    /// Operators disable anyone; a firm administrator disables the users of its firm; nobody disables itself. A user of
    /// another firm answers as not found. Disabling again changes nothing and keeps the first date.
    package func disableUser(id: String, reason: String?, actor: AuditActor, now: Date) throws(StoreError) -> UserRecord {
        let key = try requireAuditKey()
        return try write { db in
            guard var user = try UserRecord.fetchOne(db, key: id) else { throw StoreError.userNotFound(id: id) }
            if try StoreRules.disableNeedsFirmAdmin(actor, user: user) { try Self.requireFirmAdmin(actor, of: user.organisationID, db: db) }
            guard user.disabledAt == nil else { return user }
            user.disabledAt = Timestamp.stored(now)
            try user.update(db, columns: [UserRecord.Columns.disabledAt])
            let live = try TokenRecord.filter(TokenRecord.Columns.userID == id && TokenRecord.Columns.revokedAt == nil).order(TokenRecord.Columns.id)
                .select(TokenRecord.Columns.id, as: String.self).fetchAll(db)
            try db.execute(sql: "UPDATE token SET revokedAt = ? WHERE userID = ? AND revokedAt IS NULL", arguments: [Timestamp.seconds(now), id])
            _ = try Self.appendAudit(
                .userDisabled(user, by: actor, tokensRevoked: live, reason: reason),
                key: key, now: now, db: db)
            return user
        }
    }

    /// Mints a token for the user of `parentTokenID`, with it: audited, never expiring after it, and revoked with it.
    ///
    /// `expiresAt` is capped at the parent's expiry; the returned record says what was granted.
    package func mintToken(parentTokenID: String, label: String, expiresAt: Date, actor: AuditActor, now: Date) throws(StoreError) -> IssuedSecret {
        let key = try requireAuditKey()
        return try write { db in
            guard let parent = try TokenRecord.fetchOne(db, key: parentTokenID), parent.userID == actor.userID else {
                throw StoreError.tokenNotFound(id: parentTokenID)
            }
            if let revokedAt = parent.revokedAt { throw StoreError.tokenRevoked(id: parent.id, revokedAt: revokedAt) }
            let granted = min(expiresAt, parent.expiresAt)
            try StoreRules.validateExpiry(granted, now: now)
            let issued = try Self.insertToken(userID: parent.userID, parentID: parent.id, label: label, expiresAt: granted, now: now, db: db)
            _ = try Self.appendAudit(
                .tokenMinted(issued, parent: parent, cappedByParent: granted < expiresAt, by: actor), key: key, now: now, db: db)
            return issued
        }
    }

    /// Revokes a token and every token minted from it, in one audited transaction; returns the tokens it revoked.
    ///
    /// Its own user, an operator, or an administrator of the user's firm may revoke it; anyone else is told it does not
    /// exist. Revoking again keeps the first date and records nothing.
    package func revokeToken(id: String, actor: AuditActor, now: Date) throws(StoreError) -> [TokenRecord] {
        let key = try requireAuditKey()
        return try write { db in
            guard let token = try TokenRecord.fetchOne(db, key: id), let owner = try UserRecord.fetchOne(db, key: token.userID) else {
                throw StoreError.tokenNotFound(id: id)
            }
            guard try StoreRules.mayRevokeWithoutFirmAdmin(actor, owner: owner) || Self.isFirmAdmin(actor, of: owner.organisationID, db: db) else {
                throw StoreError.tokenNotFound(id: id)
            }
            // The token's descendants, however deep: each was minted with the one before it.
            let family = try String.fetchAll(
                db,
                sql: """
                    WITH RECURSIVE family(id) AS (SELECT ? UNION SELECT token.id FROM token JOIN family ON token.parentID = family.id)
                    SELECT token.id FROM token JOIN family USING (id) WHERE token.revokedAt IS NULL ORDER BY token.id
                    """, arguments: [id])
            guard !family.isEmpty else { return [] }
            try TokenRecord.filter(keys: family).updateAll(db, TokenRecord.Columns.revokedAt.set(to: Timestamp.seconds(now)))
            _ = try Self.appendAudit(
                .tokenRevoked(id, owner: owner, revoked: family, by: actor), key: key, now: now, db: db)
            return try TokenRecord.filter(keys: family).fetchAll(db)
        }
    }

    /// Refuses unless `actor` is an enabled user of `organisationID` holding the firm-admin right.
    static func requireFirmAdmin(_ actor: AuditActor, of organisationID: String, db: Database) throws {
        guard try isFirmAdmin(actor, of: organisationID, db: db) else { throw StoreError.account(.firmAdminRequired(organisationID: organisationID)) }
    }

    /// Whether `actor` is an enabled user of `organisationID` holding the firm-admin right.
    static func isFirmAdmin(_ actor: AuditActor, of organisationID: String, db: Database) throws -> Bool {
        guard let userID = actor.userID else { return false }
        return StoreRules.isFirmAdmin(try UserRecord.fetchOne(db, key: userID), of: organisationID)
    }

    /// Inserts a user; the role must fit the organisation's kind.
    static func insertUser(_ draft: UserDraft, creatorID: String?, reason: String?, now: Date, db: Database) throws -> UserRecord {
        guard let organisation = try OrganisationRecord.fetchOne(db, key: draft.organisationID) else {
            throw StoreError.organisationNotFound(id: draft.organisationID)
        }
        guard organisation.kind == draft.role.organisationKind else {
            throw StoreError.roleNotAllowed(role: draft.role, organisationID: organisation.id, organisationKind: organisation.kind)
        }
        let isFirst = try UserRecord.filter(UserRecord.Columns.organisationID == organisation.id).fetchCount(db) == 0
        let user = UserRecord(
            id: RecordID.make(RecordID.user), organisationID: organisation.id, role: draft.role, name: draft.name, email: draft.email,
            createdAt: Timestamp.stored(now), disabledAt: nil, firmAdmin: StoreRules.firmAdmin(draft, isFirstOfOrganisation: isFirst),
            createdByUserID: creatorID, creationReason: reason)
        try user.insert(db)
        return user
    }

    /// Inserts a token for an enabled user; the secret is returned once and only its SHA-256 is stored.
    static func insertToken(userID: String, parentID: String?, label: String, expiresAt: Date, now: Date, db: Database) throws -> IssuedSecret {
        guard let user = try UserRecord.fetchOne(db, key: userID) else { throw StoreError.userNotFound(id: userID) }
        if let disabledAt = user.disabledAt { throw StoreError.userDisabled(id: userID, disabledAt: disabledAt) }
        let issued = IssuedSecret.make(userID: userID, parentID: parentID, label: label, expiresAt: expiresAt, now: now)
        try issued.token.insert(db)
        return issued
    }
}
