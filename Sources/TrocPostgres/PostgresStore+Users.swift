package import Foundation
import PostgresNIO
package import TrocCore
package import TrocStore

extension PostgresStore {
    /// Creates a user in an organisation whose kind fits the role, unaudited, for fixtures; a firm's first user holds
    /// the firm-admin right. The organisation row is locked meanwhile, so two first users cannot both be first.
    package func createUser(organisationID: String, role: Role, name: String, email: String?, now: Date) async throws(StoreError) -> UserRecord {
        try StoreRules.validateUserName(name)
        return try await transaction { connection in
            try await insertUser(UserDraft(organisationID: organisationID, role: role, name: name, email: email), now: now, on: connection)
        }
    }

    /// The user with `id`, or nil.
    package func user(id: String) async throws(StoreError) -> UserRecord? {
        try await withConnection { connection in try await user(id: id, lock: false, on: connection) }
    }

    /// Every user, or those of one organisation, oldest first.
    package func users(organisationID: String? = nil) async throws(StoreError) -> [UserRecord] {
        try await withConnection { connection in
            let rows =
                if let organisationID {
                    try await connection.query(
                        #"SELECT * FROM "user" WHERE "organisationID" = \#(organisationID) ORDER BY "createdAt", "id""#, logger: logger)
                } else {
                    try await connection.query(#"SELECT * FROM "user" ORDER BY "createdAt", "id""#, logger: logger)
                }
            var users: [UserRecord] = []
            for try await row in rows { users.append(try PostgresColumns(row).user()) }
            return users
        }
    }

    /// Issues a token for an enabled user, unaudited, for the broker's set-up and fixtures; the secret is returned once
    /// and only its SHA-256 is stored.
    package func issueToken(userID: String, label: String, expiresAt: Date, now: Date) async throws(StoreError) -> IssuedSecret {
        try StoreRules.validateExpiry(expiresAt, now: now)
        return try await transaction { connection in
            try await insertToken(userID: userID, parentID: nil, label: label, expiresAt: expiresAt, now: now, on: connection)
        }
    }

    /// Finds who `secret` speaks for at `now`, failing distinctly for a malformed, unknown, revoked or expired token
    /// and a disabled user; `lastUsedAt` is written only when older than `AppDatabase.lastUsedGranularity`, and only if
    /// no concurrent request (on any instance) wrote a newer one meanwhile.
    package func authenticate(secret: String, now: Date) async throws(StoreError) -> Authenticated {
        guard let hash = TokenSecret.hash(of: secret) else { throw .tokenMalformed }
        var authenticated = try await withConnection { connection in
            var token: TokenRecord?
            for try await row in try await connection.query(#"SELECT * FROM "token" WHERE "hash" = \#(hash)"#, logger: logger) {
                token = try PostgresColumns(row).token()
            }
            guard let token else { throw StoreError.tokenUnknown }
            // Foreign keys guarantee both rows exist. A disabled user's tokens are revoked too; saying the user is disabled tells more.
            guard let user = try await user(id: token.userID, lock: false, on: connection) else {
                throw StoreError.database("token \(token.id) names no user")
            }
            if let disabledAt = user.disabledAt { throw StoreError.tokenUserDisabled(tokenID: token.id, userID: user.id, disabledAt: disabledAt) }
            if let revokedAt = token.revokedAt { throw StoreError.tokenRevoked(id: token.id, revokedAt: revokedAt) }
            if now >= token.expiresAt { throw StoreError.tokenExpired(id: token.id, expiredAt: token.expiresAt) }
            guard let organisation = try await organisation(where: #""id" = \#(user.organisationID)"#, on: connection) else {
                throw StoreError.database("user \(user.id) names no organisation")
            }
            return Authenticated(user: user, organisation: organisation, token: token)
        }
        if authenticated.token.lastUsedAt.map({ now.timeIntervalSince($0) >= AppDatabase.lastUsedGranularity }) ?? true {
            let usedAt = Timestamp.seconds(now)
            let staleBefore = Timestamp.seconds(now.addingTimeInterval(-AppDatabase.lastUsedGranularity))
            let tokenID = authenticated.token.id
            _ = try await withConnection { connection in
                try await connection.query(
                    #"""
                    UPDATE "token" SET "lastUsedAt" = \#(usedAt)
                    WHERE "id" = \#(tokenID) AND ("lastUsedAt" IS NULL OR "lastUsedAt" <= \#(staleBefore))
                    """#, logger: logger)
            }
            authenticated.token.lastUsedAt = Timestamp.stored(now)
        }
        return authenticated
    }

    /// A user's tokens, newest first (secrets are never stored, so none is returned).
    package func tokens(userID: String) async throws(StoreError) -> [TokenRecord] {
        try await withConnection { connection in
            let rows = try await connection.query(
                #"SELECT * FROM "token" WHERE "userID" = \#(userID) ORDER BY "createdAt" DESC, "id""#, logger: logger)
            var tokens: [TokenRecord] = []
            for try await row in rows { tokens.append(try PostgresColumns(row).token()) }
            return tokens
        }
    }

    /// The user with `id` read on `connection`, its row locked until the transaction ends when `lock` is set.
    func user(id: String, lock: Bool, on connection: PostgresConnection) async throws -> UserRecord? {
        let query: PostgresQuery =
            lock ? #"SELECT * FROM "user" WHERE "id" = \#(id) FOR UPDATE"# : #"SELECT * FROM "user" WHERE "id" = \#(id)"#
        for try await row in try await connection.query(query, logger: logger) { return try PostgresColumns(row).user() }
        return nil
    }

    /// Inserts a user into an organisation whose kind fits the role, locking the organisation's row so that whether it
    /// is the firm's first user (and so its admin) is decided once.
    func insertUser(_ draft: UserDraft, creatorID: String? = nil, reason: String? = nil, now: Date, on connection: PostgresConnection)
        async throws -> UserRecord
    {
        guard let organisation = try await organisation(where: #""id" = \#(draft.organisationID) FOR UPDATE"#, on: connection) else {
            throw StoreError.organisationNotFound(id: draft.organisationID)
        }
        guard organisation.kind == draft.role.organisationKind else {
            throw StoreError.roleNotAllowed(role: draft.role, organisationID: organisation.id, organisationKind: organisation.kind)
        }
        var isFirst = true
        for try await _ in try await connection.query(
            #"SELECT 1 FROM "user" WHERE "organisationID" = \#(organisation.id) LIMIT 1"#, logger: logger)
        {
            isFirst = false
        }
        let user = UserRecord(
            id: RecordID.make(RecordID.user), organisationID: organisation.id, role: draft.role, name: draft.name, email: draft.email,
            createdAt: Timestamp.stored(now), disabledAt: nil, firmAdmin: StoreRules.firmAdmin(draft, isFirstOfOrganisation: isFirst),
            createdByUserID: creatorID, creationReason: reason)
        try await connection.query(
            #"""
            INSERT INTO "user" ("id", "organisationID", "role", "name", "email", "createdAt", "firmAdmin", "createdByUserID", "creationReason")
            VALUES (\#(user.id), \#(user.organisationID), \#(user.role.rawValue), \#(user.name), \#(user.email), \#(Timestamp.seconds(now)),
                \#(user.firmAdmin), \#(user.createdByUserID), \#(user.creationReason))
            """#, logger: logger)
        return user
    }

    /// Inserts a token for an enabled user (locked meanwhile, so a concurrent disable waits); the secret is returned
    /// once and only its SHA-256 is stored.
    func insertToken(userID: String, parentID: String?, label: String, expiresAt: Date, now: Date, on connection: PostgresConnection)
        async throws -> IssuedSecret
    {
        guard let user = try await user(id: userID, lock: true, on: connection) else { throw StoreError.userNotFound(id: userID) }
        if let disabledAt = user.disabledAt { throw StoreError.userDisabled(id: userID, disabledAt: disabledAt) }
        let issued = IssuedSecret.make(userID: userID, parentID: parentID, label: label, expiresAt: expiresAt, now: now)
        let token = issued.token
        try await connection.query(
            #"""
            INSERT INTO "token" ("id", "userID", "hash", "label", "createdAt", "expiresAt", "parentID")
            VALUES (\#(token.id), \#(userID), \#(token.hash), \#(label), \#(Timestamp.seconds(token.createdAt)),
                \#(Timestamp.seconds(token.expiresAt)), \#(parentID))
            """#, logger: logger)
        return issued
    }
}
