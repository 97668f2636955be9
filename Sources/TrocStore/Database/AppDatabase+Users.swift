package import Foundation
import GRDB
package import TrocCore

extension AppDatabase {
    /// How stale `lastUsedAt` may get: a token's use is written at most once per this interval.
    package static let lastUsedGranularity: TimeInterval = 60

    /// Creates a user in an organisation whose kind fits the role (also enforced by a schema trigger), unaudited, for
    /// fixtures; a firm's first user holds the firm-admin right. The server creates users with `addUser`.
    package func createUser(organisationID: String, role: Role, name: String, email: String?, now: Date) throws(StoreError) -> UserRecord {
        try StoreRules.validateUserName(name)
        return try write { db in
            try Self.insertUser(
                UserDraft(organisationID: organisationID, role: role, name: name, email: email), creatorID: nil, reason: nil, now: now, db: db)
        }
    }

    /// The user with `id`, or nil.
    package func user(id: String) throws(StoreError) -> UserRecord? {
        try read { db in try UserRecord.fetchOne(db, cached: #"SELECT * FROM "user" WHERE id = ?"#, arguments: [id]) }
    }

    /// Every user, or those of one organisation, oldest first.
    package func users(organisationID: String? = nil) throws(StoreError) -> [UserRecord] {
        try read { db in
            guard let organisationID else { return try UserRecord.order(UserRecord.Columns.createdAt, UserRecord.Columns.id).fetchAll(db) }
            // A partner's `GET /v1/me` lists its firm's users on every call.
            return try UserRecord.fetchAll(
                db, cached: #"SELECT * FROM "user" WHERE organisationID = ? ORDER BY createdAt, id"#, arguments: [organisationID])
        }
    }

    /// Issues a token for an enabled user, unaudited, for the broker's set-up and fixtures; the secret is returned once and
    /// only its SHA-256 is stored. The server mints tokens with `addUser` and `mintToken`, which audit them.
    package func issueToken(userID: String, label: String, expiresAt: Date, now: Date) throws(StoreError) -> IssuedSecret {
        try StoreRules.validateExpiry(expiresAt, now: now)
        return try write { db in try Self.insertToken(userID: userID, parentID: nil, label: label, expiresAt: expiresAt, now: now, db: db) }
    }

    /// Finds who `secret` speaks for at `now`, failing distinctly for a malformed, unknown, revoked or expired token and a disabled user.
    ///
    /// The check is a read, so concurrent requests never queue behind the writer; `lastUsedAt` is then written only when it
    /// is older than `lastUsedGranularity`, which keeps the common case write-free at the cost of a minute's precision.
    package func authenticate(secret: String, now: Date) throws(StoreError) -> Authenticated {
        guard let hash = TokenSecret.hash(of: secret) else { throw .tokenMalformed }
        var authenticated = try read { db in
            // Every request runs these three lookups, so they use prepared statements rather than SQL built per call.
            guard let token = try TokenRecord.fetchOne(db, cached: "SELECT * FROM token WHERE hash = ?", arguments: [hash]) else {
                throw StoreError.tokenUnknown
            }
            // Foreign keys guarantee both rows exist. A disabled user's tokens are revoked too; saying the user is disabled tells more.
            guard let user = try UserRecord.fetchOne(db, cached: #"SELECT * FROM "user" WHERE id = ?"#, arguments: [token.userID]) else {
                throw StoreError.database("token \(token.id) names no user")
            }
            if let disabledAt = user.disabledAt { throw StoreError.tokenUserDisabled(tokenID: token.id, userID: user.id, disabledAt: disabledAt) }
            if let revokedAt = token.revokedAt { throw StoreError.tokenRevoked(id: token.id, revokedAt: revokedAt) }
            if now >= token.expiresAt { throw StoreError.tokenExpired(id: token.id, expiredAt: token.expiresAt) }
            let organisationSQL = "SELECT * FROM organisation WHERE id = ?"
            guard let organisation = try OrganisationRecord.fetchOne(db, cached: organisationSQL, arguments: [user.organisationID]) else {
                throw StoreError.database("user \(user.id) names no organisation")
            }
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
            try TokenRecord.filter(TokenRecord.Columns.userID == userID).order(TokenRecord.Columns.createdAt.desc, TokenRecord.Columns.id).fetchAll(
                db)
        }
    }
}
