package import Foundation
import PostgresNIO
import TrocCore
package import TrocStore

/// Console sign-ins and sessions in PostgreSQL: the credentials behind a login, the sign-in rate limits, the sessions a
/// cookie names. Every instance reads the same sessions, so a user signed in on one is signed in on all, and a sign-out or
/// a disabled user takes effect everywhere at the next request.
extension PostgresStore {
    /// The credentials and user behind a login name, or nil.
    package func consoleCredential(login: String) async throws(StoreError) -> (credential: ConsoleCredentialRecord, user: UserRecord)? {
        try await withConnection { connection in
            guard let credential = try await credentials(where: #""login" = \#(login)"#, on: connection).first else { return nil }
            guard let user = try await user(id: credential.userID, lock: false, on: connection) else {
                throw StoreError.userNotFound(id: credential.userID)
            }
            return (credential, user)
        }
    }

    /// The user's console credentials, or nil if it never enrolled.
    package func consoleCredential(userID: String) async throws(StoreError) -> ConsoleCredentialRecord? {
        try await withConnection { connection in try await credentials(where: #""userID" = \#(userID)"#, on: connection).first }
    }

    /// When the next sign-in for `login` from `address` may be tried, or nil if now: too many recent failures of either wait
    /// until the oldest of them leaves the window. Failures recorded by every instance count.
    package func signInRetryAfter(login: String, address: String, now: Date) async throws(StoreError) -> Date? {
        let since = Timestamp.seconds(now.addingTimeInterval(-AppDatabase.signInWindow))
        return try await withConnection { connection in
            let byLogin = try await connection.query(
                #"""
                SELECT "at" FROM "console_login_attempt" WHERE "login" = \#(login) AND "at" > \#(since) AND NOT "succeeded"
                ORDER BY "at" DESC LIMIT \#(AppDatabase.signInFailuresPerLogin)
                """#, logger: logger
            ).collect().map { try $0.decode(Int64.self) }
            let byAddress = try await connection.query(
                #"""
                SELECT "at" FROM "console_login_attempt" WHERE "address" = \#(address) AND "at" > \#(since) AND NOT "succeeded"
                ORDER BY "at" DESC LIMIT \#(AppDatabase.signInFailuresPerAddress)
                """#, logger: logger
            ).collect().map { try $0.decode(Int64.self) }
            return StoreRules.signInRetryAfter(loginFailures: byLogin, addressFailures: byAddress)
        }
    }

    /// Records a refused sign-in (or second factor) for the rate limits and the audit trail, which names the user if known
    /// and the reason and the client's address, never the login name typed.
    package func recordSignInFailure(login: String, address: String, user: UserRecord?, reason: String, now: Date) async throws(StoreError) {
        let key = try requireAuditKey()
        try await transaction { connection in
            try await recordAttempt(login: login, address: address, succeeded: false, now: now, on: connection)
            try await PostgresAuditTrail.append(
                .signInRefused(user: user, address: address, reason: reason), key: key, now: now, on: connection, logger: logger)
        }
    }

    /// Opens a session after the password was checked; a session that still awaits its second factor lives a few minutes
    /// and is audited only once verified.
    package func openConsoleSession(
        userID: String, login: String, awaitingSecondFactor: Bool, address: String, now: Date
    ) async throws(StoreError) -> OpenedConsoleSession {
        let key = try requireAuditKey()
        return try await transaction { connection in
            guard let user = try await user(id: userID, lock: false, on: connection) else { throw StoreError.userNotFound(id: userID) }
            if let disabledAt = user.disabledAt { throw StoreError.userDisabled(id: userID, disabledAt: disabledAt) }
            let settings = try await settingsRow(on: connection, locking: false).settings
            let opened = StoreRules.consoleSession(
                userID: userID, verified: !awaitingSecondFactor, address: address,
                lifetime: StoreRules.consoleSessionLifetime(awaitingSecondFactor: awaitingSecondFactor, settings: settings), now: now)
            try await insert(opened.record, on: connection)
            if !awaitingSecondFactor {
                try await recordAttempt(login: login, address: address, succeeded: true, now: now, on: connection)
                try await PostgresAuditTrail.append(
                    .signedIn(user, address: address, session: opened.record, secondFactor: false), key: key, now: now, on: connection,
                    logger: logger)
            }
            return opened
        }
    }

    /// Completes a session's sign-in with the TOTP time step whose code the user typed: refused if that step (or a later
    /// one) was already used. The verified session starts its full lifetime now.
    ///
    /// The credential's row is locked, so that one code typed twice at once on two instances is accepted once.
    package func verifySecondFactor(sessionID: String, login: String, step: Int64, now: Date) async throws(StoreError) -> OpenedConsoleSession {
        let key = try requireAuditKey()
        return try await transaction { connection in
            let stored = try await sessions(where: #""id" = \#(sessionID) FOR UPDATE"#, on: connection).first
            var credential: ConsoleCredentialRecord?
            if let stored { credential = try await credentials(where: #""userID" = \#(stored.userID) FOR UPDATE"#, on: connection).first }
            let (pending, verified) = try StoreRules.verifyingSecondFactor(pending: stored, credential: credential, step: step, now: now)
            try await connection.query(
                #"UPDATE "console_credential" SET "totpLastStep" = \#(verified.totpLastStep) WHERE "userID" = \#(verified.userID)"#, logger: logger)
            // The pending session's cookie has been through one more form than a fresh one: end it and open the real one.
            try await connection.query(
                #"""
                UPDATE "console_session" SET "endedAt" = \#(Timestamp.seconds(now)), "endReason" = \#(ConsoleSessionEnd.signOut.rawValue)
                WHERE "id" = \#(sessionID)
                """#, logger: logger)
            guard let user = try await user(id: verified.userID, lock: false, on: connection) else {
                throw StoreError.userNotFound(id: verified.userID)
            }
            let settings = try await settingsRow(on: connection, locking: false).settings
            let opened = StoreRules.consoleSession(
                userID: user.id, verified: true, address: pending.address,
                lifetime: StoreRules.consoleSessionLifetime(awaitingSecondFactor: false, settings: settings), now: now)
            try await insert(opened.record, on: connection)
            try await recordAttempt(login: login, address: pending.address, succeeded: true, now: now, on: connection)
            try await PostgresAuditTrail.append(
                .signedIn(user, address: pending.address, session: opened.record, secondFactor: true), key: key, now: now, on: connection,
                logger: logger)
            return opened
        }
    }

    /// The live session behind a cookie's secret, with its user: a session past its absolute end or idle too long is
    /// ended (and said so), a disabled user's never answers, and the last-seen time is written at most once a minute.
    package func consoleSession(secret: String, now: Date) async throws(StoreError) -> ConsoleSignedIn {
        let hash = StoreRules.consoleSessionHash(secret)
        return try await withConnection { connection in
            guard let session = try await sessions(where: #""hash" = \#(hash)"#, on: connection).first else {
                throw StoreError.console(.sessionUnknown)
            }
            guard let user = try await user(id: session.userID, lock: false, on: connection),
                let organisation = try await organisation(where: #""id" = \#(user.organisationID)"#, on: connection)
            else { throw StoreError.console(.sessionUnknown) }
            var signedIn = ConsoleSignedIn(session: session, user: user, organisation: organisation)
            let idleMinutes = try await settingsRow(on: connection, locking: false).settings.consoleIdleMinutes
            if let ending = try StoreRules.consoleSessionEnding(signedIn, idleMinutes: idleMinutes, now: now) {
                try await connection.query(
                    #"""
                    UPDATE "console_session" SET "endedAt" = \#(Timestamp.seconds(now)), "endReason" = \#(ending.rawValue)
                    WHERE "id" = \#(session.id) AND "endedAt" IS NULL
                    """#, logger: logger)
                throw StoreError.console(.sessionEnded(reason: ending))
            }
            if now.timeIntervalSince(session.lastSeenAt) >= AppDatabase.sessionTouchGranularity {
                try await connection.query(
                    #"""
                    UPDATE "console_session" SET "lastSeenAt" = \#(Timestamp.seconds(now))
                    WHERE "id" = \#(session.id) AND "endedAt" IS NULL AND "lastSeenAt" < \#(Timestamp.seconds(now))
                    """#, logger: logger)
                signedIn.session.lastSeenAt = Timestamp.stored(now)
            }
            return signedIn
        }
    }

    /// Ends one session (signing out), audited.
    package func endConsoleSession(id: String, actor: AuditActor, now: Date) async throws(StoreError) {
        let key = try requireAuditKey()
        try await transaction { connection in
            let ended = try await connection.query(
                #"""
                UPDATE "console_session" SET "endedAt" = \#(Timestamp.seconds(now)), "endReason" = \#(ConsoleSessionEnd.signOut.rawValue)
                WHERE "id" = \#(id) AND "endedAt" IS NULL RETURNING "id"
                """#, logger: logger
            ).collect()
            guard !ended.isEmpty else { return }
            try await PostgresAuditTrail.append(.signedOut(session: id, by: actor), key: key, now: now, on: connection, logger: logger)
        }
    }

    /// Ends every session of a user (sign out everywhere): the user itself, an operator, or the firm's administrator.
    package func endConsoleSessions(userID: String, actor: AuditActor, now: Date) async throws(StoreError) -> Int {
        let key = try requireAuditKey()
        return try await transaction { connection in
            guard let user = try await user(id: userID, lock: false, on: connection) else { throw StoreError.userNotFound(id: userID) }
            if !StoreRules.mayEndSessionsWithoutFirmAdmin(actor, userID: userID) {
                var admin: UserRecord?
                if let adminID = actor.userID { admin = try await self.user(id: adminID, lock: false, on: connection) }
                guard StoreRules.isFirmAdmin(admin, of: user.organisationID) else { throw StoreError.userNotFound(id: userID) }
            }
            let ended = try await endSessions(userID: userID, reason: .signOutEverywhere, now: now, on: connection)
            try await PostgresAuditTrail.append(
                .signedOutEverywhere(user, ended: ended, by: actor), key: key, now: now, on: connection, logger: logger)
            return ended
        }
    }

    /// The live sessions of a user, newest first.
    package func consoleSessions(userID: String, now: Date) async throws(StoreError) -> [ConsoleSessionRecord] {
        try await withConnection { connection in
            try await sessions(
                where: #"""
                    "userID" = \#(userID) AND "endedAt" IS NULL AND "expiresAt" > \#(Timestamp.seconds(now)) ORDER BY "createdAt" DESC, "id" COLLATE "C"
                    """#, on: connection)
        }
    }

    /// Ends a user's live sessions for `reason`; returns how many.
    func endSessions(userID: String, reason: ConsoleSessionEnd, now: Date, on connection: PostgresConnection) async throws -> Int {
        try await connection.query(
            #"""
            UPDATE "console_session" SET "endedAt" = \#(Timestamp.seconds(now)), "endReason" = \#(reason.rawValue)
            WHERE "userID" = \#(userID) AND "endedAt" IS NULL RETURNING "id"
            """#, logger: logger
        ).collect().count
    }

    /// Records a sign-in attempt and forgets those older than a day, which no limit reads.
    private func recordAttempt(login: String, address: String, succeeded: Bool, now: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            #"""
            INSERT INTO "console_login_attempt" ("at", "login", "address", "succeeded")
            VALUES (\#(Timestamp.seconds(now)), \#(login), \#(address), \#(succeeded))
            """#, logger: logger)
        try await connection.query(#"DELETE FROM "console_login_attempt" WHERE "at" < \#(Timestamp.seconds(now) - 86_400)"#, logger: logger)
    }

    /// Writes a new session's row.
    private func insert(_ session: ConsoleSessionRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            #"""
            INSERT INTO "console_session" ("id", "userID", "hash", "csrfToken", "verified", "address", "createdAt", "lastSeenAt", "expiresAt")
            VALUES (\#(session.id), \#(session.userID), \#(session.hash), \#(session.csrfToken), \#(session.verified), \#(session.address),
                \#(Timestamp.seconds(session.createdAt)), \#(Timestamp.seconds(session.lastSeenAt)), \#(Timestamp.seconds(session.expiresAt)))
            """#, logger: logger)
    }

    /// The credentials `condition` selects.
    private func credentials(where condition: PostgresQuery, on connection: PostgresConnection) async throws -> [ConsoleCredentialRecord] {
        try await select("console_credential", where: condition, on: connection) { columns throws(StoreError) in try columns.consoleCredential() }
    }

    /// The sessions `condition` selects, in its order.
    private func sessions(where condition: PostgresQuery, on connection: PostgresConnection) async throws -> [ConsoleSessionRecord] {
        try await select("console_session", where: condition, on: connection) { columns throws(StoreError) in try columns.consoleSession() }
    }
}
