import Foundation
import PostgresNIO
import Testing
import TrocCore
import TrocPostgres
import TrocStore

/// The record store both backends meet, `RecordStore` whole, with the fixtures' unaudited `createUser` and `issueToken`, so
/// one test runs on SQLite and on PostgreSQL alike (`AppDatabase`'s synchronous methods satisfy the asynchronous
/// requirements).
protocol AccountRecords: RecordStore {
    /// Creates a user, unaudited (fixtures).
    func createUser(organisationID: String, role: Role, name: String, email: String?, now: Date) async throws(StoreError) -> UserRecord
    /// Issues a token, unaudited (fixtures).
    func issueToken(userID: String, label: String, expiresAt: Date, now: Date) async throws(StoreError) -> IssuedSecret
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
