import Crypto
package import Foundation
import GRDB
import TrocCore

extension AppDatabase {
    /// How long an enrolment code works.
    package static let enrolmentCodeLifetime: TimeInterval = 72 * 3600
    /// How long a session waits for its second factor after the password.
    package static let secondFactorWindow: TimeInterval = 5 * 60
    /// The window over which failed sign-ins are counted.
    package static let signInWindow: TimeInterval = 15 * 60
    /// Failed sign-ins allowed per login name within the window.
    package static let signInFailuresPerLogin = 5
    /// Failed sign-ins allowed per address within the window (several people may share an office's address).
    package static let signInFailuresPerAddress = 20
    /// How stale `lastSeenAt` may get: a session's use is written at most once per this interval.
    package static let sessionTouchGranularity: TimeInterval = 60

    /// Issues a one-time enrolment code for `userID`, revoking the user's unused ones, in one audited transaction.
    ///
    /// Operators issue codes for anyone; a firm administrator for the users of its firm; anyone else is told the user does
    /// not exist. The code is returned once; only its SHA-256 is stored.
    package func issueEnrolmentCode(userID: String, actor: AuditActor, now: Date) throws(StoreError) -> IssuedEnrolmentCode {
        let key = try requireAuditKey()
        return try write { db in
            guard let user = try UserRecord.fetchOne(db, key: userID) else { throw StoreError.userNotFound(id: userID) }
            if StoreRules.enrolmentNeedsFirmAdmin(actor, user: user), try !Self.isFirmAdmin(actor, of: user.organisationID, db: db) {
                throw StoreError.userNotFound(id: userID)
            }
            if let disabledAt = user.disabledAt { throw StoreError.userDisabled(id: userID, disabledAt: disabledAt) }
            let revoked = try String.fetchAll(
                db, sql: "SELECT id FROM enrolment_code WHERE userID = ? AND usedAt IS NULL AND revokedAt IS NULL ORDER BY id", arguments: [userID])
            try db.execute(
                sql: "UPDATE enrolment_code SET revokedAt = ? WHERE userID = ? AND usedAt IS NULL AND revokedAt IS NULL",
                arguments: [Timestamp.seconds(now), userID])
            let code = EnrolmentCodeText.make()
            let record = EnrolmentCodeRecord(
                id: RecordID.make(RecordID.enrolmentCode), userID: userID, hash: EnrolmentCodeText.hash(code), createdByUserID: actor.userID,
                createdAt: Timestamp.stored(now), expiresAt: Timestamp.stored(now.addingTimeInterval(Self.enrolmentCodeLifetime)), usedAt: nil,
                revokedAt: nil)
            try record.insert(db)
            _ = try Self.appendAudit(
                .enrolmentCodeIssued(record, for: user, by: actor, revoked: revoked), key: key, now: now, db: db)
            return IssuedEnrolmentCode(record: record, code: code)
        }
    }

    /// The user a still valid enrolment code belongs to, without using it up (the first step of enrolment).
    package func enrolmentUser(code: String, now: Date) throws(StoreError) -> (code: EnrolmentCodeRecord, user: UserRecord) {
        try read { db in try Self.validEnrolmentCode(code, now: now, db: db) }
    }

    /// Uses an enrolment code: stores the user's console credentials and ends its sessions, in one audited transaction.
    package func completeEnrolment(code: String, _ enrolment: ConsoleEnrolment, now: Date) throws(StoreError) -> UserRecord {
        let key = try requireAuditKey()
        return try write { db in
            let (record, user) = try Self.validEnrolmentCode(code, now: now, db: db)
            if let other = try ConsoleCredentialRecord.filter(ConsoleCredentialRecord.Columns.login == enrolment.login).fetchOne(db),
                other.userID != user.id
            {
                throw StoreError.console(.loginTaken(login: enrolment.login))
            }
            try db.execute(sql: "UPDATE enrolment_code SET usedAt = ? WHERE id = ?", arguments: [Timestamp.seconds(now), record.id])
            try db.execute(sql: "DELETE FROM console_credential WHERE userID = ?", arguments: [user.id])
            try ConsoleCredentialRecord(
                userID: user.id, login: enrolment.login, passwordHash: enrolment.passwordHash, totpSecretSealed: enrolment.totp?.sealedSecret,
                totpLastStep: enrolment.totp?.confirmedStep, enrolledAt: Timestamp.stored(now)
            ).insert(db)
            let ended = try Self.endSessions(userID: user.id, reason: .reEnrolled, now: now, db: db)
            _ = try Self.appendAudit(
                .enrolled(user, code: record, enrolment, sessionsEnded: ended), key: key, now: now, db: db)
            return user
        }
    }

    /// The credentials and user behind a login name, or nil.
    package func consoleCredential(login: String) throws(StoreError) -> (credential: ConsoleCredentialRecord, user: UserRecord)? {
        try read { db in
            guard let credential = try ConsoleCredentialRecord.filter(ConsoleCredentialRecord.Columns.login == login).fetchOne(db) else {
                return nil
            }
            return (credential, try UserRecord.find(db, key: credential.userID))
        }
    }

    /// The user's console credentials, or nil if it never enrolled.
    package func consoleCredential(userID: String) throws(StoreError) -> ConsoleCredentialRecord? {
        try read { db in try ConsoleCredentialRecord.fetchOne(db, key: userID) }
    }

    /// When the next sign-in for `login` from `address` may be tried, or nil if now: too many recent failures of either wait
    /// until the oldest of them leaves the window.
    package func signInRetryAfter(login: String, address: String, now: Date) throws(StoreError) -> Date? {
        let since = Timestamp.seconds(now.addingTimeInterval(-Self.signInWindow))
        return try read { db in
            var failures: [[Int64]] = []
            for (column, value, limit) in [("login", login, Self.signInFailuresPerLogin), ("address", address, Self.signInFailuresPerAddress)] {
                failures.append(
                    try Int64.fetchAll(
                        db,
                        sql: "SELECT at FROM console_login_attempt WHERE \(column) = ? AND at > ? AND succeeded = 0 ORDER BY at DESC LIMIT ?",
                        arguments: [value, since, limit]))
            }
            return StoreRules.signInRetryAfter(loginFailures: failures[0], addressFailures: failures[1])
        }
    }

    /// Records a refused sign-in (or second factor) for the rate limits and the audit trail, which names the user if known
    /// and the reason and the client's address, never the login name typed.
    package func recordSignInFailure(login: String, address: String, user: UserRecord?, reason: String, now: Date) throws(StoreError) {
        let key = try requireAuditKey()
        try write { db in
            try Self.recordAttempt(login: login, address: address, succeeded: false, now: now, db: db)
            _ = try Self.appendAudit(.signInRefused(user: user, address: address, reason: reason), key: key, now: now, db: db)
        }
    }

    /// Opens a session after the password was checked; a session that still awaits its second factor lives a few minutes
    /// and is audited only once verified.
    package func openConsoleSession(
        userID: String, login: String, awaitingSecondFactor: Bool, address: String, now: Date
    ) throws(StoreError) -> OpenedConsoleSession {
        let key = try requireAuditKey()
        return try write { db in
            let user = try UserRecord.find(db, key: userID)
            if let disabledAt = user.disabledAt { throw StoreError.userDisabled(id: userID, disabledAt: disabledAt) }
            let lifetime = StoreRules.consoleSessionLifetime(awaitingSecondFactor: awaitingSecondFactor, settings: try Self.settings(db))
            let opened = StoreRules.consoleSession(
                userID: userID, verified: !awaitingSecondFactor, address: address, lifetime: lifetime, now: now)
            try opened.record.insert(db)
            if !awaitingSecondFactor {
                try Self.recordAttempt(login: login, address: address, succeeded: true, now: now, db: db)
                _ = try Self.appendAudit(
                    .signedIn(user, address: address, session: opened.record, secondFactor: false), key: key, now: now, db: db)
            }
            return opened
        }
    }

    /// Completes a session's sign-in with the TOTP time step whose code the user typed: refused if that step (or a later
    /// one) was already used. The verified session starts its full lifetime now.
    package func verifySecondFactor(sessionID: String, login: String, step: Int64, now: Date) throws(StoreError) -> OpenedConsoleSession {
        let key = try requireAuditKey()
        return try write { db in
            let stored = try ConsoleSessionRecord.fetchOne(db, key: sessionID)
            let (pending, credential) = try StoreRules.verifyingSecondFactor(
                pending: stored, credential: try stored.flatMap { try ConsoleCredentialRecord.fetchOne(db, key: $0.userID) }, step: step, now: now)
            try credential.update(db, columns: [ConsoleCredentialRecord.Columns.totpLastStep])
            // The pending session's cookie has been through one more form than a fresh one: end it and open the real one.
            try db.execute(
                sql: "UPDATE console_session SET endedAt = ?, endReason = 'sign-out' WHERE id = ?", arguments: [Timestamp.seconds(now), sessionID])
            let user = try UserRecord.find(db, key: credential.userID)
            let address = pending.address
            let opened = StoreRules.consoleSession(
                userID: user.id, verified: true, address: address,
                lifetime: StoreRules.consoleSessionLifetime(awaitingSecondFactor: false, settings: try Self.settings(db)), now: now)
            try opened.record.insert(db)
            try Self.recordAttempt(login: login, address: address, succeeded: true, now: now, db: db)
            _ = try Self.appendAudit(.signedIn(user, address: address, session: opened.record, secondFactor: true), key: key, now: now, db: db)
            return opened
        }
    }

    /// The live session behind a cookie's secret, with its user: a session past its absolute end or idle too long is
    /// ended (and said so), a disabled user's never answers, and the last-seen time is written at most once a minute.
    package func consoleSession(secret: String, now: Date) throws(StoreError) -> ConsoleSignedIn {
        let hash = StoreRules.consoleSessionHash(secret)
        let found = try read { db -> (ConsoleSignedIn, Int)? in
            guard let session = try ConsoleSessionRecord.filter(ConsoleSessionRecord.Columns.hash == hash).fetchOne(db) else { return nil }
            let user = try UserRecord.find(db, key: session.userID)
            return (
                ConsoleSignedIn(session: session, user: user, organisation: try OrganisationRecord.find(db, key: user.organisationID)),
                try Self.settings(db).consoleIdleMinutes
            )
        }
        guard let found else { throw .console(.sessionUnknown) }
        var signedIn = found.0
        let idleMinutes = found.1
        let session = signedIn.session
        let ending = try StoreRules.consoleSessionEnding(signedIn, idleMinutes: idleMinutes, now: now)
        if let ending {
            try write { db in
                try db.execute(
                    sql: "UPDATE console_session SET endedAt = ?, endReason = ? WHERE id = ? AND endedAt IS NULL",
                    arguments: [Timestamp.seconds(now), ending.rawValue, session.id])
            }
            throw .console(.sessionEnded(reason: ending))
        }
        if now.timeIntervalSince(session.lastSeenAt) >= Self.sessionTouchGranularity {
            try write { db in
                try db.execute(
                    sql: "UPDATE console_session SET lastSeenAt = ? WHERE id = ? AND endedAt IS NULL AND lastSeenAt < ?",
                    arguments: [Timestamp.seconds(now), session.id, Timestamp.seconds(now)])
            }
            signedIn.session.lastSeenAt = Timestamp.stored(now)
        }
        return signedIn
    }

    /// Ends one session (signing out), audited.
    package func endConsoleSession(id: String, actor: AuditActor, now: Date) throws(StoreError) {
        let key = try requireAuditKey()
        try write { db in
            try db.execute(
                sql: "UPDATE console_session SET endedAt = ?, endReason = 'sign-out' WHERE id = ? AND endedAt IS NULL",
                arguments: [Timestamp.seconds(now), id])
            guard db.changesCount > 0 else { return }
            _ = try Self.appendAudit(.signedOut(session: id, by: actor), key: key, now: now, db: db)
        }
    }

    /// Ends every session of a user (sign out everywhere): the user itself, an operator, or the firm's administrator.
    package func endConsoleSessions(userID: String, actor: AuditActor, now: Date) throws(StoreError) -> Int {
        let key = try requireAuditKey()
        return try write { db in
            guard let user = try UserRecord.fetchOne(db, key: userID) else { throw StoreError.userNotFound(id: userID) }
            guard try StoreRules.mayEndSessionsWithoutFirmAdmin(actor, userID: userID) || Self.isFirmAdmin(actor, of: user.organisationID, db: db)
            else { throw StoreError.userNotFound(id: userID) }
            let ended = try Self.endSessions(userID: userID, reason: .signOutEverywhere, now: now, db: db)
            _ = try Self.appendAudit(.signedOutEverywhere(user, ended: ended, by: actor), key: key, now: now, db: db)
            return ended
        }
    }

    /// The live sessions of a user, newest first.
    package func consoleSessions(userID: String, now: Date) throws(StoreError) -> [ConsoleSessionRecord] {
        try read { db in
            try ConsoleSessionRecord.filter(ConsoleSessionRecord.Columns.userID == userID && ConsoleSessionRecord.Columns.endedAt == nil)
                .filter(ConsoleSessionRecord.Columns.expiresAt > Timestamp.seconds(now))
                .order(ConsoleSessionRecord.Columns.createdAt.desc).fetchAll(db)
        }
    }

    /// The code's record and user, if the code is known, unused, unrevoked and unexpired.
    private static func validEnrolmentCode(_ code: String, now: Date, db: Database) throws -> (code: EnrolmentCodeRecord, user: UserRecord) {
        guard let canonical = EnrolmentCodeText.canonical(code),
            let record = try EnrolmentCodeRecord.filter(EnrolmentCodeRecord.Columns.hash == EnrolmentCodeText.hash(canonical)).fetchOne(db)
        else { throw StoreError.console(.enrolmentCodeUnknown) }
        let user = try UserRecord.find(db, key: record.userID)
        try StoreRules.checkEnrolmentCode(record, of: user, now: now)
        return (record, user)
    }

    /// Ends a user's live sessions for `reason`; returns how many.
    private static func endSessions(userID: String, reason: ConsoleSessionEnd, now: Date, db: Database) throws -> Int {
        try db.execute(
            sql: "UPDATE console_session SET endedAt = ?, endReason = ? WHERE userID = ? AND endedAt IS NULL",
            arguments: [Timestamp.seconds(now), reason.rawValue, userID])
        return db.changesCount
    }

    /// Records a sign-in attempt and forgets those older than a day, which no limit reads.
    private static func recordAttempt(login: String, address: String, succeeded: Bool, now: Date, db: Database) throws {
        try db.execute(
            sql: "INSERT INTO console_login_attempt (at, login, address, succeeded) VALUES (?, ?, ?, ?)",
            arguments: [Timestamp.seconds(now), login, address, succeeded])
        try db.execute(sql: "DELETE FROM console_login_attempt WHERE at < ?", arguments: [Timestamp.seconds(now) - 86_400])
    }
}

/// Enrolment codes: 20 characters from an alphabet without look-alikes (100 bits), shown in groups of four.
package enum EnrolmentCodeText {
    /// Letters and digits that cannot be mistaken for one another (no I, O, 0, 1).
    static let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789".utf8)
    /// Characters in a code.
    static let length = 20

    /// A new code from the system CSPRNG, `XXXX-XXXX-XXXX-XXXX-XXXX`.
    package static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt8(alphabet.count)))] }
        return stride(from: 0, to: length, by: 4).map { String(decoding: characters[$0..<$0 + 4], as: UTF8.self) }.joined(separator: "-")
    }

    /// The code as typed, without spaces or hyphens and in capitals, or nil if it cannot be a code.
    package static func canonical(_ typed: String) -> String? {
        let characters = typed.uppercased().utf8.filter { $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: " ") }
        guard characters.count == length, characters.allSatisfy(alphabet.contains) else { return nil }
        return String(decoding: characters, as: UTF8.self)
    }

    /// SHA-256 of the canonical code.
    package static func hash(_ code: String) -> Data {
        Data(SHA256.hash(data: Array((canonical(code) ?? code).utf8)))
    }
}
