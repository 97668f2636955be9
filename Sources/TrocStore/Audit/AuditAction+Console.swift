extension AuditAction {
    /// An enrolment code was issued for a user (its older unused codes revoked).
    package static let consoleEnrolmentIssue: AuditAction = "console.enrolment.issue"
    /// A user set its console credentials with an enrolment code.
    package static let consoleEnrol: AuditAction = "console.enrol"
    /// A user signed in to the console.
    package static let consoleSignIn: AuditAction = "console.sign-in"
    /// A sign-in or second factor was refused.
    package static let consoleSignInRefused: AuditAction = "console.sign-in.refused"
    /// A user signed out.
    package static let consoleSignOut: AuditAction = "console.sign-out"
    /// Every session of a user was ended.
    package static let consoleSignOutEverywhere: AuditAction = "console.sign-out-everywhere"
}
