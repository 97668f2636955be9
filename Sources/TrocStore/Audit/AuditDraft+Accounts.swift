import Foundation
import TrocCore

/// The audit entries of the account domain, built once for both record stores, so that a trail reads the same
/// whichever engine wrote it.
extension AuditDraft {
    /// A user added with its first token; `usersBefore` is how many the firm had.
    package static func userCreated(_ account: CreatedAccount, by creator: AuditActor, usersBefore: Int, reason: String?) -> AuditDraft {
        AuditDraft(
            action: .userCreate, actor: creator, organisationID: account.user.organisationID,
            detail: [
                "user": .string(account.user.id), "role": .string(account.user.role.rawValue), "firmAdmin": .boolean(account.user.firmAdmin),
                "token": .string(account.token.token.id), "usersBefore": AuditValue(usersBefore),
            ], reason: reason)
    }

    /// A user disabled, with the ids of the live tokens that were revoked with it.
    package static func userDisabled(_ user: UserRecord, by actor: AuditActor, tokensRevoked: [String], reason: String?) -> AuditDraft {
        AuditDraft(
            action: .userDisable, actor: actor, organisationID: user.organisationID,
            detail: ["user": .string(user.id), "tokensRevoked": .array(tokensRevoked.sorted().map(AuditValue.string))],
            reason: StoreRules.optionalReason(reason))
    }

    /// A token minted with `parent`, its expiry capped by the parent's when `cappedByParent`.
    package static func tokenMinted(_ issued: IssuedSecret, parent: TokenRecord, cappedByParent: Bool, by actor: AuditActor) -> AuditDraft {
        AuditDraft(
            action: .tokenCreate, actor: actor,
            detail: [
                "token": .string(issued.token.id), "parent": .string(parent.id), "user": .string(parent.userID),
                "expiresAt": .integer(Timestamp.seconds(issued.token.expiresAt)), "cappedByParent": .boolean(cappedByParent),
            ])
    }

    /// Token `id` of `owner` revoked, with the ids of every token revoked with it (its own among them).
    package static func tokenRevoked(_ id: String, owner: UserRecord, revoked: [String], by actor: AuditActor) -> AuditDraft {
        AuditDraft(
            action: .tokenRevoke, actor: actor, organisationID: owner.organisationID,
            detail: [
                "token": .string(id), "user": .string(owner.id),
                "descendantsRevoked": .array(revoked.sorted().filter { $0 != id }.map(AuditValue.string)),
            ])
    }

    /// A firm's NAF code changed from `before`, for `reason`.
    package static func nafCodeChanged(_ organisation: OrganisationRecord, before: AuditValue, by actor: AuditActor, reason: String) -> AuditDraft {
        AuditDraft(
            action: "organisation.naf-change", actor: actor, organisationID: organisation.id,
            detail: [
                "before": before,
                "after": ["code": .string(organisation.nafCode), "nomenclature": .string(organisation.nafNomenclature.rawValue)],
            ], reason: reason)
    }

    /// An enrolment code issued for `user`, with the ids of the unused codes it revoked.
    package static func enrolmentCodeIssued(_ record: EnrolmentCodeRecord, for user: UserRecord, by actor: AuditActor, revoked: [String])
        -> AuditDraft
    {
        AuditDraft(
            action: .consoleEnrolmentIssue, actor: actor, organisationID: user.organisationID,
            detail: [
                "user": .string(user.id), "code": .string(record.id), "expiresAt": .integer(Timestamp.seconds(record.expiresAt)),
                "revoked": .array(revoked.sorted().map(AuditValue.string)),
            ])
    }

    /// `user` enrolled in the console with code `record`, ending `sessionsEnded` sessions.
    package static func enrolled(_ user: UserRecord, code record: EnrolmentCodeRecord, _ enrolment: ConsoleEnrolment, sessionsEnded: Int)
        -> AuditDraft
    {
        AuditDraft(
            action: .consoleEnrol, actor: StoreRules.consoleActor(user, address: enrolment.clientAddress), organisationID: user.organisationID,
            detail: [
                "user": .string(user.id), "code": .string(record.id), "secondFactor": .boolean(enrolment.totp != nil),
                "sessionsEnded": AuditValue(sessionsEnded),
            ])
    }
}
