import Crypto
package import Foundation
import TrocCore

/// What both record stores check and build for console sign-ins and sessions.
extension StoreRules {
    /// A new console session of `userID` from `address`, living `lifetime` from now, with its secret (the cookie's value;
    /// only its SHA-256 is stored) and its anti-forgery token.
    package static func consoleSession(userID: String, verified: Bool, address: String, lifetime: TimeInterval, now: Date) -> OpenedConsoleSession {
        let secret = TokenSecret.makeRandomText()
        let record = ConsoleSessionRecord(
            id: RecordID.make(RecordID.consoleSession), userID: userID, hash: consoleSessionHash(secret), csrfToken: TokenSecret.makeRandomText(),
            verified: verified, address: address, createdAt: Timestamp.stored(now), lastSeenAt: Timestamp.stored(now),
            expiresAt: Timestamp.stored(now.addingTimeInterval(lifetime)), endedAt: nil, endReason: nil)
        return OpenedConsoleSession(record: record, secret: secret)
    }

    /// How long a session lives: a few minutes while it awaits its second factor, the settings' hours once signed in.
    package static func consoleSessionLifetime(awaitingSecondFactor: Bool, settings: BrokerSettings) -> TimeInterval {
        awaitingSecondFactor ? AppDatabase.secondFactorWindow : TimeInterval(settings.consoleSessionHours) * 3600
    }

    /// The stored hash of a session's secret.
    package static func consoleSessionHash(_ secret: String) -> Data {
        Data(SHA256.hash(data: Array(secret.utf8)))
    }

    /// When the next sign-in may be tried, given the times (seconds, newest first) of the recent failures of the login
    /// and of the address, each read up to its limit: nil if now.
    package static func signInRetryAfter(loginFailures: [Int64], addressFailures: [Int64]) -> Date? {
        var retry: Int64?
        for (failures, limit) in [(loginFailures, AppDatabase.signInFailuresPerLogin), (addressFailures, AppDatabase.signInFailuresPerAddress)] {
            if failures.count >= limit, let oldest = failures.prefix(limit).last {
                retry = max(retry ?? 0, oldest + Int64(AppDatabase.signInWindow))
            }
        }
        return retry.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// The pending session and its user's credential with `step` recorded as its last used TOTP step, once `pending` is
    /// a live session awaiting its second factor and `step` is later than any used before.
    package static func verifyingSecondFactor(pending: ConsoleSessionRecord?, credential: ConsoleCredentialRecord?, step: Int64, now: Date)
        throws(StoreError) -> (pending: ConsoleSessionRecord, credential: ConsoleCredentialRecord)
    {
        guard let pending, pending.endedAt == nil, !pending.verified, now < pending.expiresAt else { throw .console(.sessionUnknown) }
        guard var credential, credential.userID == pending.userID, credential.totpSecretSealed != nil else {
            throw .console(.secondFactorRefused)
        }
        if let last = credential.totpLastStep, step <= last { throw .console(.secondFactorRefused) }
        credential.totpLastStep = step
        return (pending, credential)
    }

    /// How a live-looking session ends now, if it does (past its absolute end, or idle too long); refuses one already
    /// ended and one whose user was disabled.
    package static func consoleSessionEnding(_ signedIn: ConsoleSignedIn, idleMinutes: Int, now: Date) throws(StoreError) -> ConsoleSessionEnd? {
        let session = signedIn.session
        if let reason = session.endReason { throw .console(.sessionEnded(reason: reason)) }
        if signedIn.user.disabledAt != nil { throw .console(.sessionEnded(reason: .userDisabled)) }
        if now >= session.expiresAt { return .expired }
        if now.timeIntervalSince(session.lastSeenAt) >= TimeInterval(idleMinutes) * 60 { return .idle }
        return nil
    }

    /// Whether `actor` may end every session of `userID` without being its firm's administrator: the user itself, an
    /// operator, or the system.
    package static func mayEndSessionsWithoutFirmAdmin(_ actor: AuditActor, userID: String) -> Bool {
        actor.userID == userID || actor.role == .operator || actor.role == nil
    }
}
