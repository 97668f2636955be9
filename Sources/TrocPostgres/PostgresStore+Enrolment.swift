package import Foundation
import PostgresNIO
import TrocCore
package import TrocStore

extension PostgresStore {
    /// Issues a one-time enrolment code for `userID`, revoking the user's unused ones, in one audited transaction; the
    /// user's row is locked meanwhile, so two concurrent issues leave one live code. Only the code's SHA-256 is stored.
    package func issueEnrolmentCode(userID: String, actor: AuditActor, now: Date) async throws(StoreError) -> IssuedEnrolmentCode {
        let key = try requireAuditKey()
        return try await transaction { connection in
            guard let user = try await user(id: userID, lock: true, on: connection) else { throw StoreError.userNotFound(id: userID) }
            if StoreRules.enrolmentNeedsFirmAdmin(actor, user: user), try await !isFirmAdmin(actor, of: user.organisationID, on: connection) {
                throw StoreError.userNotFound(id: userID)
            }
            if let disabledAt = user.disabledAt { throw StoreError.userDisabled(id: userID, disabledAt: disabledAt) }
            var revoked: [String] = []
            let rows = try await connection.query(
                #"""
                UPDATE "enrolment_code" SET "revokedAt" = \#(Timestamp.seconds(now))
                WHERE "userID" = \#(userID) AND "usedAt" IS NULL AND "revokedAt" IS NULL RETURNING "id"
                """#, logger: logger)
            for try await id in rows.decode(String.self) { revoked.append(id) }
            let code = EnrolmentCodeText.make()
            let record = EnrolmentCodeRecord(
                id: RecordID.make(RecordID.enrolmentCode), userID: userID, hash: EnrolmentCodeText.hash(code), createdByUserID: actor.userID,
                createdAt: Timestamp.stored(now), expiresAt: Timestamp.stored(now.addingTimeInterval(AppDatabase.enrolmentCodeLifetime)),
                usedAt: nil, revokedAt: nil)
            try await connection.query(
                #"""
                INSERT INTO "enrolment_code" ("id", "userID", "hash", "createdByUserID", "createdAt", "expiresAt")
                VALUES (\#(record.id), \#(userID), \#(record.hash), \#(record.createdByUserID), \#(Timestamp.seconds(record.createdAt)),
                    \#(Timestamp.seconds(record.expiresAt)))
                """#, logger: logger)
            try await PostgresAuditTrail.append(
                .enrolmentCodeIssued(record, for: user, by: actor, revoked: revoked), key: key, now: now, on: connection, logger: logger)
            return IssuedEnrolmentCode(record: record, code: code)
        }
    }

    /// The user a still valid enrolment code belongs to, without using it up (the first step of enrolment).
    package func enrolmentUser(code: String, now: Date) async throws(StoreError) -> (code: EnrolmentCodeRecord, user: UserRecord) {
        let found = try await withConnection { connection in try await validEnrolmentCode(code, lock: false, now: now, on: connection) }
        return (found.0, found.1)
    }

    /// Uses an enrolment code: stores the user's console credentials and ends its sessions, in one audited transaction;
    /// the code's row is locked, so of two concurrent uses one completes and the other finds it used.
    package func completeEnrolment(code: String, _ enrolment: ConsoleEnrolment, now: Date) async throws(StoreError) -> UserRecord {
        let key = try requireAuditKey()
        return try await transaction { connection in
            let (record, user) = try await validEnrolmentCode(code, lock: true, now: now, on: connection)
            for try await owner in try await connection.query(
                #"SELECT "userID" FROM "console_credential" WHERE "login" = \#(enrolment.login)"#, logger: logger
            ).decode(String.self) where owner != user.id {
                throw StoreError.console(.loginTaken(login: enrolment.login))
            }
            let seconds = Timestamp.seconds(now)
            try await connection.query(#"UPDATE "enrolment_code" SET "usedAt" = \#(seconds) WHERE "id" = \#(record.id)"#, logger: logger)
            try await connection.query(#"DELETE FROM "console_credential" WHERE "userID" = \#(user.id)"#, logger: logger)
            try await connection.query(
                #"""
                INSERT INTO "console_credential" ("userID", "login", "passwordHash", "totpSecretSealed", "totpLastStep", "enrolledAt")
                VALUES (\#(user.id), \#(enrolment.login), \#(enrolment.passwordHash), \#(enrolment.totp?.sealedSecret),
                    \#(enrolment.totp?.confirmedStep), \#(seconds))
                """#, logger: logger)
            let ended = try await endSessions(userID: user.id, reason: .reEnrolled, now: now, on: connection)
            try await PostgresAuditTrail.append(
                .enrolled(user, code: record, enrolment, sessionsEnded: ended), key: key, now: now, on: connection, logger: logger)
            return user
        }
    }

    /// The enrolment code `code` names and its user, refused as `StoreRules.checkEnrolmentCode` says; its row locked when
    /// `lock` is set.
    func validEnrolmentCode(_ code: String, lock: Bool, now: Date, on connection: PostgresConnection) async throws -> (
        EnrolmentCodeRecord, UserRecord
    ) {
        guard let canonical = EnrolmentCodeText.canonical(code) else { throw StoreError.console(.enrolmentCodeUnknown) }
        let hash = EnrolmentCodeText.hash(canonical)
        let query: PostgresQuery =
            try lock
            ? #"SELECT * FROM "enrolment_code" WHERE "hash" = \#(hash) FOR UPDATE"# : #"SELECT * FROM "enrolment_code" WHERE "hash" = \#(hash)"#
        var found: EnrolmentCodeRecord?
        for try await row in try await connection.query(query, logger: logger) { found = try PostgresColumns(row).enrolmentCode() }
        guard let record = found else { throw StoreError.console(.enrolmentCodeUnknown) }
        guard let user = try await user(id: record.userID, lock: false, on: connection) else {
            throw StoreError.database("enrolment code \(record.id) names no user")
        }
        try StoreRules.checkEnrolmentCode(record, of: user, now: now)
        return (record, user)
    }
}

extension PostgresStore: AccountStore {}
