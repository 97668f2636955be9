package import Foundation
import PostgresNIO
import TrocCore
package import TrocStore

extension PostgresStore {
    /// Adds a user and its first token in one audited transaction, under the account rules (`StoreRules.admitUser`); the
    /// organisation's row is locked meanwhile, so the count of its users the rules read stays true until the insert.
    package func addUser(
        _ draft: UserDraft, reason: String?, firstTokenExpiresAt: Date, creator: AuditActor, now: Date
    ) async throws(StoreError) -> CreatedAccount {
        let key = try requireAuditKey()
        try StoreRules.validateUserName(draft.name)
        try StoreRules.validateExpiry(firstTokenExpiresAt, now: now)
        let reason = StoreRules.optionalReason(reason)
        return try await transaction { connection in
            guard let organisation = try await organisation(where: #""id" = \#(draft.organisationID) FOR UPDATE"#, on: connection) else {
                throw StoreError.organisationNotFound(id: draft.organisationID)
            }
            let existing = try await count(#"SELECT count(*) FROM "user" WHERE "organisationID" = \#(organisation.id)"#, on: connection)
            let admission = try StoreRules.admitUser(by: creator, to: organisation, existingUsers: existing, reason: reason)
            if admission.needsFirmAdmin { try await requireFirmAdmin(creator, of: organisation.id, on: connection) }
            let user = try await insertUser(draft, creatorID: creator.userID, reason: admission.storedReason, now: now, on: connection)
            let issued = try await insertToken(
                userID: user.id, parentID: nil, label: "first token", expiresAt: firstTokenExpiresAt, now: now, on: connection)
            let account = CreatedAccount(user: user, token: issued)
            try await PostgresAuditTrail.append(
                .userCreated(account, by: creator, usersBefore: existing, reason: reason), key: key, now: now, on: connection, logger: logger)
            return account
        }
    }

    /// Disables a user and revokes its live tokens in one audited transaction, so every token stops at once; the user's
    /// row is locked meanwhile, so a token issued concurrently waits and then finds the user disabled.
    package func disableUser(id: String, reason: String?, actor: AuditActor, now: Date) async throws(StoreError) -> UserRecord {
        let key = try requireAuditKey()
        return try await transaction { connection in
            guard var user = try await user(id: id, lock: true, on: connection) else { throw StoreError.userNotFound(id: id) }
            if try StoreRules.disableNeedsFirmAdmin(actor, user: user) { try await requireFirmAdmin(actor, of: user.organisationID, on: connection) }
            guard user.disabledAt == nil else { return user }
            user.disabledAt = Timestamp.stored(now)
            let seconds = Timestamp.seconds(now)
            try await connection.query(#"UPDATE "user" SET "disabledAt" = \#(seconds) WHERE "id" = \#(id)"#, logger: logger)
            var revoked: [String] = []
            let rows = try await connection.query(
                #"""
                UPDATE "token" SET "revokedAt" = \#(seconds) WHERE "userID" = \#(id) AND "revokedAt" IS NULL RETURNING "id"
                """#, logger: logger)
            for try await tokenID in rows.decode(String.self) { revoked.append(tokenID) }
            try await PostgresAuditTrail.append(
                .userDisabled(user, by: actor, tokensRevoked: revoked, reason: reason), key: key, now: now, on: connection, logger: logger)
            return user
        }
    }

    /// Mints a token for the user of `parentTokenID`, with it: audited, never expiring after it, and revoked with it.
    package func mintToken(parentTokenID: String, label: String, expiresAt: Date, actor: AuditActor, now: Date) async throws(StoreError)
        -> IssuedSecret
    {
        let key = try requireAuditKey()
        return try await transaction { connection in
            guard let parent = try await token(id: parentTokenID, lock: true, on: connection), parent.userID == actor.userID else {
                throw StoreError.tokenNotFound(id: parentTokenID)
            }
            if let revokedAt = parent.revokedAt { throw StoreError.tokenRevoked(id: parent.id, revokedAt: revokedAt) }
            let granted = min(expiresAt, parent.expiresAt)
            try StoreRules.validateExpiry(granted, now: now)
            let issued = try await insertToken(userID: parent.userID, parentID: parent.id, label: label, expiresAt: granted, now: now, on: connection)
            try await PostgresAuditTrail.append(
                .tokenMinted(issued, parent: parent, cappedByParent: granted < expiresAt, by: actor), key: key, now: now, on: connection,
                logger: logger)
            return issued
        }
    }

    /// Revokes a token and every token minted from it, in one audited transaction; returns the tokens it revoked.
    package func revokeToken(id: String, actor: AuditActor, now: Date) async throws(StoreError) -> [TokenRecord] {
        let key = try requireAuditKey()
        return try await transaction { connection in
            guard let token = try await token(id: id, lock: true, on: connection),
                let owner = try await user(id: token.userID, lock: false, on: connection)
            else { throw StoreError.tokenNotFound(id: id) }
            if !StoreRules.mayRevokeWithoutFirmAdmin(actor, owner: owner) {
                guard try await isFirmAdmin(actor, of: owner.organisationID, on: connection) else { throw StoreError.tokenNotFound(id: id) }
            }
            // The token's descendants, however deep: each was minted with the one before it.
            let rows = try await connection.query(
                #"""
                WITH RECURSIVE family(id) AS (SELECT \#(id)::text UNION SELECT t."id" FROM "token" t JOIN family f ON t."parentID" = f.id)
                UPDATE "token" SET "revokedAt" = \#(Timestamp.seconds(now))
                WHERE "id" IN (SELECT id FROM family) AND "revokedAt" IS NULL RETURNING *
                """#, logger: logger)
            var revoked: [TokenRecord] = []
            for try await row in rows { revoked.append(try PostgresColumns(row).token()) }
            guard !revoked.isEmpty else { return [] }
            revoked.sort { $0.id < $1.id }
            try await PostgresAuditTrail.append(
                .tokenRevoked(id, owner: owner, revoked: revoked.map(\.id), by: actor), key: key, now: now, on: connection, logger: logger)
            return revoked
        }
    }

    /// Refuses unless `actor` is an enabled user of `organisationID` holding the firm-admin right.
    func requireFirmAdmin(_ actor: AuditActor, of organisationID: String, on connection: PostgresConnection) async throws {
        guard try await isFirmAdmin(actor, of: organisationID, on: connection) else {
            throw StoreError.account(.firmAdminRequired(organisationID: organisationID))
        }
    }

    /// Whether `actor` is an enabled user of `organisationID` holding the firm-admin right.
    func isFirmAdmin(_ actor: AuditActor, of organisationID: String, on connection: PostgresConnection) async throws -> Bool {
        guard let userID = actor.userID else { return false }
        return StoreRules.isFirmAdmin(try await user(id: userID, lock: false, on: connection), of: organisationID)
    }

    /// The token with `id` read on `connection`, its row locked until the transaction ends when `lock` is set.
    func token(id: String, lock: Bool, on connection: PostgresConnection) async throws -> TokenRecord? {
        let query: PostgresQuery =
            lock ? #"SELECT * FROM "token" WHERE "id" = \#(id) FOR UPDATE"# : #"SELECT * FROM "token" WHERE "id" = \#(id)"#
        for try await row in try await connection.query(query, logger: logger) { return try PostgresColumns(row).token() }
        return nil
    }

    /// The single integer `query` selects.
    func count(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> Int {
        for try await value in try await connection.query(query, logger: logger).decode(Int64.self) { return Int(value) }
        return 0
    }
}
