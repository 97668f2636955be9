import Foundation
import PostgresNIO
import Testing
import TrocCore
import TrocPostgres
import TrocStore

/// The part of the record store both backends offer so far (organisations, users, tokens: most of `AccountStore`, and the
/// fixtures' `createUser` and `issueToken`; and `AuditStore`), so one test runs on SQLite and on PostgreSQL alike.
/// `AppDatabase`'s synchronous methods satisfy these asynchronous requirements. It gives way to `AccountStore` once the
/// PostgreSQL store meets all of it.
protocol AccountRecords: AuditStore {
    /// Creates an organisation.
    func createOrganisation(_ new: OrganisationDraft, now: Date) async throws(StoreError) -> OrganisationRecord
    /// The organisation with `id`, or nil.
    func organisation(id: String) async throws(StoreError) -> OrganisationRecord?
    /// Every organisation, the broker first, then partners by name.
    func organisations() async throws(StoreError) -> [OrganisationRecord]
    /// The broker organisation, once created.
    func brokerOrganisation() async throws(StoreError) -> OrganisationRecord?
    /// Gives a firm another NAF code, audited.
    func changeNAFCode(
        organisationID: String, nafCode: String, nomenclature: NAFNomenclature, reason: String, actor: AuditActor, now: Date
    ) async throws(StoreError) -> OrganisationRecord
    /// Creates a user, unaudited.
    func createUser(organisationID: String, role: Role, name: String, email: String?, now: Date) async throws(StoreError) -> UserRecord
    /// The user with `id`, or nil.
    func user(id: String) async throws(StoreError) -> UserRecord?
    /// Every user, or those of one organisation, oldest first.
    func users(organisationID: String?) async throws(StoreError) -> [UserRecord]
    /// Issues a token, unaudited.
    func issueToken(userID: String, label: String, expiresAt: Date, now: Date) async throws(StoreError) -> IssuedSecret
    /// Who `secret` speaks for at `now`.
    func authenticate(secret: String, now: Date) async throws(StoreError) -> Authenticated
    /// A user's tokens, newest first.
    func tokens(userID: String) async throws(StoreError) -> [TokenRecord]
    /// Adds a user and its first token, audited, under the account rules.
    func addUser(_ draft: UserDraft, reason: String?, firstTokenExpiresAt: Date, creator: AuditActor, now: Date) async throws(StoreError)
        -> CreatedAccount
    /// Disables a user and revokes its live tokens, audited.
    func disableUser(id: String, reason: String?, actor: AuditActor, now: Date) async throws(StoreError) -> UserRecord
    /// Mints a token with another, audited, capped at its expiry.
    func mintToken(parentTokenID: String, label: String, expiresAt: Date, actor: AuditActor, now: Date) async throws(StoreError) -> IssuedSecret
    /// Revokes a token and those minted from it, audited.
    func revokeToken(id: String, actor: AuditActor, now: Date) async throws(StoreError) -> [TokenRecord]
}

extension AppDatabase: AccountRecords {}

extension PostgresStore: AccountRecords {}

/// The two record stores a test runs on.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// Runs `body` with a new, empty store of this backend (a fresh migrated database), its audit key set.
    func withStore<Result: Sendable>(_ body: @Sendable (any AccountRecords) async throws -> Result) async throws -> Result {
        switch self {
        case .sqlite:
            return try await body(try AppDatabase.inMemory().withAuditKey(PostgresFixtures.auditKey))
        case .postgres:
            return try await PostgresTests.withPooledStore { store, _ in try await body(store.withAuditKey(PostgresFixtures.auditKey)) }
        }
    }
}
