package import Foundation
package import TrocCore

/// The operator console: its sign-in credentials and sessions, and the filtered, paged queries its pages show.
///
/// Every requirement is one transaction; session changes are audited in it, and a page and its total come from the same
/// snapshot.
package protocol ConsoleStore: Sendable {
    /// The credentials and user behind a login name, or nil.
    func consoleCredential(login: String) async throws(StoreError) -> (credential: ConsoleCredentialRecord, user: UserRecord)?

    /// The user's console credentials, or nil if it never enrolled.
    func consoleCredential(userID: String) async throws(StoreError) -> ConsoleCredentialRecord?

    /// When the next sign-in for `login` from `address` may be tried, or nil if now: too many recent failures of either wait
    /// until the oldest of them leaves the window.
    func signInRetryAfter(login: String, address: String, now: Date) async throws(StoreError) -> Date?

    /// Records a refused sign-in (or second factor) for the rate limits and the audit trail, which names the user if known
    /// and the reason and the client's address, never the login name typed.
    func recordSignInFailure(login: String, address: String, user: UserRecord?, reason: String, now: Date) async throws(StoreError)

    /// Opens a session after the password was checked; a session that still awaits its second factor lives a few minutes
    /// and is audited only once verified.
    func openConsoleSession(userID: String, login: String, awaitingSecondFactor: Bool, address: String, now: Date) async throws(StoreError)
        -> OpenedConsoleSession

    /// Completes a session's sign-in with the TOTP time step whose code the user typed: refused if that step (or a later
    /// one) was already used. The verified session starts its full lifetime now.
    func verifySecondFactor(sessionID: String, login: String, step: Int64, now: Date) async throws(StoreError) -> OpenedConsoleSession

    /// The live session behind a cookie's secret, with its user: a session past its absolute end or idle too long is
    /// ended (and said so), a disabled user's never answers, and the last-seen time is written at most once a minute.
    func consoleSession(secret: String, now: Date) async throws(StoreError) -> ConsoleSignedIn

    /// Ends one session (signing out), audited.
    func endConsoleSession(id: String, actor: AuditActor, now: Date) async throws(StoreError)

    /// Ends every session of a user (sign out everywhere): the user itself, an operator, or the firm's administrator.
    func endConsoleSessions(userID: String, actor: AuditActor, now: Date) async throws(StoreError) -> Int

    /// The live sessions of a user, newest first.
    func consoleSessions(userID: String, now: Date) async throws(StoreError) -> [ConsoleSessionRecord]

    /// Deals by state, all of them or one organisation's.
    func dealCounts(organisationID: String?) async throws(StoreError) -> [DealState: Int]

    /// One page of deals, most recently changed first.
    func dealPage(_ filter: DealFilter, limit: Int, offset: Int) async throws(StoreError) -> Page<DealRecord>

    /// One page of invoices and credit notes, by date then number, with the totals of the whole filtered set.
    func invoicePage(_ filter: InvoiceFilter, limit: Int, offset: Int) async throws(StoreError) -> (page: Page<InvoiceListRow>, totals: InvoiceTotals)

    /// Every invoice and credit note of a filter, by date then number (for an export).
    func invoices(_ filter: InvoiceFilter) async throws(StoreError) -> [InvoiceRecord]

    /// One page of the audit trail, newest first.
    func auditPage(_ filter: AuditFilter, limit: Int, offset: Int) async throws(StoreError) -> Page<AuditRecord>

    /// One page of the settlement statements issued from `from` to `to` inclusive (UTC days), oldest first.
    func settlementPage(from: CivilDate, to: CivilDate, limit: Int, offset: Int) async throws(StoreError) -> Page<SettlementEntry>

    /// Organisations by id, for naming the parties of a page of records at once.
    func organisations(ids: Set<String>) async throws(StoreError) -> [String: OrganisationRecord]

    /// Users by id, for naming the actors of a page of audit entries at once.
    func users(ids: Set<String>) async throws(StoreError) -> [String: UserRecord]
}
