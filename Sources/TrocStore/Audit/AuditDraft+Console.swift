import Foundation

/// The audit entries of console sign-ins, built once for both record stores.
extension AuditDraft {
    /// A sign-in (or second factor) refused: names the user if known, the reason and the address, never the login typed.
    package static func signInRefused(user: UserRecord?, address: String, reason: String) -> AuditDraft {
        AuditDraft(
            action: .consoleSignInRefused, actor: user.map { StoreRules.consoleActor($0, address: address) } ?? .system,
            organisationID: user?.organisationID, detail: ["user": AuditValue(user?.id), "reason": .string(reason)])
    }

    /// `user` signed in from `address`, opening `session`, with or without a second factor.
    package static func signedIn(_ user: UserRecord, address: String, session: ConsoleSessionRecord, secondFactor: Bool) -> AuditDraft {
        AuditDraft(
            action: .consoleSignIn, actor: StoreRules.consoleActor(user, address: address),
            detail: ["session": .string(session.id), "secondFactor": .boolean(secondFactor)])
    }

    /// A session ended by signing out.
    package static func signedOut(session id: String, by actor: AuditActor) -> AuditDraft {
        AuditDraft(action: .consoleSignOut, actor: actor, detail: ["session": .string(id)])
    }

    /// Every session of `user` ended, `ended` of them.
    package static func signedOutEverywhere(_ user: UserRecord, ended: Int, by actor: AuditActor) -> AuditDraft {
        AuditDraft(
            action: .consoleSignOutEverywhere, actor: actor, organisationID: user.organisationID,
            detail: ["user": .string(user.id), "sessionsEnded": AuditValue(ended)])
    }
}
