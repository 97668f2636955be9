package import Foundation
import GRDB
package import TrocCore

extension AppDatabase {
    /// How stale `lastUsedAt` may get: a token's use is written at most once per this interval.
    package static let lastUsedGranularity: TimeInterval = 60

    /// Creates a user in an organisation whose kind fits the role (also enforced by a schema trigger).
    package func createUser(organisationID: String, role: Role, name: String, email: String?, now: Date) throws(StoreError) -> UserRecord {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidField(field: "name", value: name, reason: "a user needs a name")
        }
        return try write { db in
            guard let organisation = try OrganisationRecord.fetchOne(db, key: organisationID) else {
                throw StoreError.organisationNotFound(id: organisationID)
            }
            guard organisation.kind == role.organisationKind else {
                throw StoreError.roleNotAllowed(role: role, organisationID: organisationID, organisationKind: organisation.kind)
            }
            let user = UserRecord(
                id: RecordID.make(RecordID.user), organisationID: organisationID, role: role, name: name, email: email,
                createdAt: Timestamp.stored(now), disabledAt: nil)
            try user.insert(db)
            return user
        }
    }

    /// The user with `id`, or nil.
    package func user(id: String) throws(StoreError) -> UserRecord? {
        try read { db in try UserRecord.fetchOne(db, key: id) }
    }

    /// Every user, or those of one organisation, oldest first.
    package func users(organisationID: String? = nil) throws(StoreError) -> [UserRecord] {
        try read { db in
            var request = UserRecord.order(Column("createdAt"), Column("id"))
            if let organisationID { request = request.filter(Column("organisationID") == organisationID) }
            return try request.fetchAll(db)
        }
    }

    /// Disables a user, so its tokens stop authenticating; disabling again keeps the first date.
    package func disableUser(id: String, disabledAt: Date) throws(StoreError) -> UserRecord {
        try write { db in
            guard var user = try UserRecord.fetchOne(db, key: id) else { throw StoreError.userNotFound(id: id) }
            if user.disabledAt == nil {
                user.disabledAt = Timestamp.stored(disabledAt)
                try user.update(db)
            }
            return user
        }
    }

    /// Issues a token for an enabled user; the secret is returned once and only its SHA-256 is stored.
    package func issueToken(userID: String, label: String, expiresAt: Date, now: Date) throws(StoreError) -> IssuedSecret {
        guard Timestamp.seconds(expiresAt) > Timestamp.seconds(now) else { throw .expiryNotInFuture(expiresAt: expiresAt, now: now) }
        let secret = TokenSecret.make()
        // The secret was just made in the right shape, so it always hashes.
        let hash = TokenSecret.hash(of: secret)!
        let token = try write { db in
            guard let user = try UserRecord.fetchOne(db, key: userID) else { throw StoreError.userNotFound(id: userID) }
            if let disabledAt = user.disabledAt { throw StoreError.userDisabled(id: userID, disabledAt: disabledAt) }
            let token = TokenRecord(
                id: RecordID.make(RecordID.token), userID: userID, hash: hash, label: label, createdAt: Timestamp.stored(now),
                expiresAt: Timestamp.stored(expiresAt), revokedAt: nil, lastUsedAt: nil)
            try token.insert(db)
            return token
        }
        return IssuedSecret(token: token, secret: secret)
    }

    /// Finds who `secret` speaks for at `now`, failing distinctly for a malformed, unknown, revoked or expired token and a disabled user.
    ///
    /// The check is a read, so concurrent requests never queue behind the writer; `lastUsedAt` is then written only when it
    /// is older than `lastUsedGranularity`, which keeps the common case write-free at the cost of a minute's precision.
    package func authenticate(secret: String, now: Date) throws(StoreError) -> Authenticated {
        guard let hash = TokenSecret.hash(of: secret) else { throw .tokenMalformed }
        var authenticated = try read { db in
            guard let token = try TokenRecord.filter(TokenRecord.Columns.hash == hash).fetchOne(db) else { throw StoreError.tokenUnknown }
            if let revokedAt = token.revokedAt { throw StoreError.tokenRevoked(id: token.id, revokedAt: revokedAt) }
            if now >= token.expiresAt { throw StoreError.tokenExpired(id: token.id, expiredAt: token.expiresAt) }
            // Foreign keys guarantee both rows exist.
            let user = try UserRecord.find(db, key: token.userID)
            if let disabledAt = user.disabledAt { throw StoreError.tokenUserDisabled(tokenID: token.id, userID: user.id, disabledAt: disabledAt) }
            let organisation = try OrganisationRecord.find(db, key: user.organisationID)
            return Authenticated(user: user, organisation: organisation, token: token)
        }
        if authenticated.token.lastUsedAt.map({ now.timeIntervalSince($0) >= Self.lastUsedGranularity }) ?? true {
            let usedAt = Timestamp.seconds(now)
            let staleBefore = Timestamp.seconds(now.addingTimeInterval(-Self.lastUsedGranularity))
            try write { db in
                // The condition keeps the stamp a concurrent request may have written meanwhile.
                try db.execute(
                    sql: "UPDATE token SET lastUsedAt = ? WHERE id = ? AND (lastUsedAt IS NULL OR lastUsedAt <= ?)",
                    arguments: [usedAt, authenticated.token.id, staleBefore])
            }
            authenticated.token.lastUsedAt = Timestamp.stored(now)
        }
        return authenticated
    }

    /// A user's tokens, newest first (secrets are never stored, so none is returned).
    package func tokens(userID: String) throws(StoreError) -> [TokenRecord] {
        try read { db in
            try TokenRecord.filter(TokenRecord.Columns.userID == userID).order(TokenRecord.Columns.createdAt.desc, Column("id")).fetchAll(db)
        }
    }

    /// Revokes a token; revoking it again keeps the first date and is not an error, an unknown id is.
    package func revokeToken(id: String, revokedAt: Date) throws(StoreError) -> TokenRecord {
        try write { db in
            guard var token = try TokenRecord.fetchOne(db, key: id) else { throw StoreError.tokenNotFound(id: id) }
            if token.revokedAt == nil {
                token.revokedAt = Timestamp.stored(revokedAt)
                try token.update(db)
            }
            return token
        }
    }
}
