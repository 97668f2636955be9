package import Foundation

/// Why the store refused a console enrolment, sign-in or session: each says what is wrong and what to do.
package enum ConsoleRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// No enrolment code has this text.
    case enrolmentCodeUnknown
    /// The code was already used.
    case enrolmentCodeUsed(usedAt: Date)
    /// The code expired.
    case enrolmentCodeExpired(expiredAt: Date)
    /// A newer code replaced this one, or the user was disabled.
    case enrolmentCodeRevoked(revokedAt: Date)
    /// Another user signs in with this login name.
    case loginTaken(login: String)
    /// The login name or the password is wrong (which one is not said).
    case signInRefused
    /// Too many failed sign-ins for this login name or from this address.
    case signInThrottled(retryAfter: Date)
    /// The second-factor code is wrong, or was already used.
    case secondFactorRefused
    /// No live session has this cookie.
    case sessionUnknown
    /// The session ended.
    case sessionEnded(reason: ConsoleSessionEnd)

    package var description: String {
        switch self {
        case .enrolmentCodeUnknown:
            "this enrolment code is not known: check it letter by letter, or ask the broker for a new one"
        case .enrolmentCodeUsed(let usedAt):
            "this enrolment code was already used at \(usedAt.ISO8601Format()); ask the broker for a new one if that was not you"
        case .enrolmentCodeExpired(let expiredAt):
            "this enrolment code expired at \(expiredAt.ISO8601Format()); ask the broker for a new one"
        case .enrolmentCodeRevoked(let revokedAt):
            "this enrolment code was replaced by a newer one (or the account disabled) at \(revokedAt.ISO8601Format()); use the newest code"
        case .loginTaken(let login):
            "the login name \(login) is taken; choose another"
        case .signInRefused:
            "the login name or the password is wrong"
        case .signInThrottled(let retryAfter):
            "too many failed sign-ins: try again after \(retryAfter.ISO8601Format())"
        case .secondFactorRefused:
            "the code from the authenticator app is wrong or was already used; wait for the next code"
        case .sessionUnknown:
            "no session: sign in"
        case .sessionEnded(let reason):
            "the session ended (\(reason.rawValue)): sign in again"
        }
    }
}
