package import Foundation
package import TrocCore

/// Organisations, users, API tokens and enrolment codes: what authentication and account administration read and write.
///
/// Every requirement is one transaction (a read sees one consistent snapshot); every write the doc calls audited appends
/// its entry to the hash-chained audit trail in that same transaction, and the account rules (who may create, disable or
/// revoke whom) are checked inside it.
package protocol AccountStore: Sendable {
    /// Creates an organisation; refuses a SIREN already registered and a second broker organisation.
    func createOrganisation(_ new: OrganisationDraft, now: Date) async throws(StoreError) -> OrganisationRecord

    /// The organisation with `id`, or nil.
    func organisation(id: String) async throws(StoreError) -> OrganisationRecord?

    /// Every organisation, the broker first, then partners by name.
    func organisations() async throws(StoreError) -> [OrganisationRecord]

    /// The broker organisation, once created.
    func brokerOrganisation() async throws(StoreError) -> OrganisationRecord?

    /// Gives a firm another NAF code (an operator switching it to its NAF 2025 code, or correcting it), audited with the
    /// old and new codes and the reason; returns the firm as changed. Deals already proposed keep the verdict they had.
    func changeNAFCode(organisationID: String, nafCode: String, nomenclature: NAFNomenclature, reason: String, actor: AuditActor, now: Date)
        async throws(StoreError) -> OrganisationRecord

    /// The user with `id`, or nil.
    func user(id: String) async throws(StoreError) -> UserRecord?

    /// Every user, or those of one organisation, oldest first.
    func users(organisationID: String?) async throws(StoreError) -> [UserRecord]

    /// Adds a user and its first token in one audited transaction, under the account rules.
    ///
    /// A firm's first user is created by an operator (or the broker's set-up) and holds the firm-admin right. Further users
    /// of a firm are created by one of its users holding that right, or by an operator who must then give a reason: it is
    /// stored with the user, so the firm's users see it. Operators and accountants are created by operators.
    func addUser(_ draft: UserDraft, reason: String?, firstTokenExpiresAt: Date, creator: AuditActor, now: Date) async throws(StoreError)
        -> CreatedAccount

    /// Disables a user and revokes its live tokens in one audited transaction, so every token stops at once.
    ///
    /// Operators disable anyone; a firm administrator disables the users of its firm; nobody disables itself. A user of
    /// another firm answers as not found. Disabling again changes nothing and keeps the first date.
    func disableUser(id: String, reason: String?, actor: AuditActor, now: Date) async throws(StoreError) -> UserRecord

    /// Finds who `secret` speaks for at `now`, failing distinctly for a malformed, unknown, revoked or expired token and a disabled user.
    ///
    /// The check is a read, so concurrent requests never queue behind the writer; `lastUsedAt` is then written only when it
    /// is older than `lastUsedGranularity`, which keeps the common case write-free at the cost of a minute's precision.
    func authenticate(secret: String, now: Date) async throws(StoreError) -> Authenticated

    /// A user's tokens, newest first (secrets are never stored, so none is returned).
    func tokens(userID: String) async throws(StoreError) -> [TokenRecord]

    /// Mints a token for the user of `parentTokenID`, with it: audited, never expiring after it, and revoked with it.
    ///
    /// `expiresAt` is capped at the parent's expiry; the returned record says what was granted.
    func mintToken(parentTokenID: String, label: String, expiresAt: Date, actor: AuditActor, now: Date) async throws(StoreError) -> IssuedSecret

    /// Revokes a token and every token minted from it, in one audited transaction; returns the tokens it revoked.
    ///
    /// Its own user, an operator, or an administrator of the user's firm may revoke it; anyone else is told it does not
    /// exist. Revoking again keeps the first date and records nothing.
    func revokeToken(id: String, actor: AuditActor, now: Date) async throws(StoreError) -> [TokenRecord]

    /// Issues a one-time enrolment code for `userID`, revoking the user's unused ones, in one audited transaction.
    ///
    /// Operators issue codes for anyone; a firm administrator for the users of its firm; anyone else is told the user does
    /// not exist. The code is returned once; only its SHA-256 is stored.
    func issueEnrolmentCode(userID: String, actor: AuditActor, now: Date) async throws(StoreError) -> IssuedEnrolmentCode

    /// The user a still valid enrolment code belongs to, without using it up (the first step of enrolment).
    func enrolmentUser(code: String, now: Date) async throws(StoreError) -> (code: EnrolmentCodeRecord, user: UserRecord)

    /// Uses an enrolment code: stores the user's console credentials and ends its sessions, in one audited transaction.
    func completeEnrolment(code: String, _ enrolment: ConsoleEnrolment, now: Date) async throws(StoreError) -> UserRecord
}
