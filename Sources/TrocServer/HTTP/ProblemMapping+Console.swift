import TrocCore
import TrocStore

extension ProblemMapping {
    /// The problem for a refusal of the console rules (enrolment, sign-in, sessions).
    static func console(_ refusal: ConsoleRefusal) -> Problem {
        let detail = refusal.description
        switch refusal {
        case .enrolmentCodeUnknown:
            return make(404, "enrolment.unknown-code", "Unknown enrolment code", detail)
        case .enrolmentCodeUsed, .enrolmentCodeExpired, .enrolmentCodeRevoked:
            return make(410, "enrolment.code-spent", "Enrolment code no longer valid", detail)
        case .loginTaken:
            return make(409, "enrolment.login-taken", "Login name taken", detail)
        case .signInRefused, .secondFactorRefused:
            return make(401, "console.sign-in-refused", "Sign-in refused", detail)
        case .signInThrottled:
            return make(429, "console.sign-in-throttled", "Too many attempts", detail)
        case .sessionUnknown, .sessionEnded:
            return make(401, "console.sign-in-required", "Sign in", detail)
        }
    }
}
