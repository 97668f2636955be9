import Foundation
import PostgresNIO
import Testing
import TrocCore
import TrocPostgres
import TrocStore

/// The accounts part of the record store (organisations, users, tokens) as both backends offer it, so one test runs
/// on SQLite and on PostgreSQL alike. `AppDatabase`'s synchronous methods satisfy these asynchronous requirements.
protocol AccountRecords: Sendable {
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
    /// Walks the audit trail with `key`.
    func verifiedAudit(key: AuditKey) async throws -> AuditVerification
}

extension AppDatabase: AccountRecords {
    func verifiedAudit(key: AuditKey) async throws -> AuditVerification { try verifyAudit(key: key) }
}

extension PostgresStore: AccountRecords {
    func verifiedAudit(key: AuditKey) async throws -> AuditVerification {
        try await client.withConnection { connection in try await PostgresAuditTrail.verify(key: key, on: connection, logger: logger) }
    }
}

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
            let database = try await PostgresTests.migratedDatabase()
            let client = PostgresClient(
                configuration: .init(
                    unixSocketPath: database.server.socketPath, username: database.server.user, password: nil, database: database.name),
                backgroundLogger: PostgresTestServer.logger)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                return try await body(PostgresStore(client: client, logger: PostgresTestServer.logger).withAuditKey(PostgresFixtures.auditKey))
            }
        }
    }
}
