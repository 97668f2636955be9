import Foundation
import PostgresNIO
import Testing
import TrocCore
import TrocPostgres
import TrocStore

/// The protocols both backends meet so far, `AccountStore`, `BrokerKeyStore`, `SettingsStore`, `FileStore` and
/// `AuditStore`, with the fixtures' unaudited `createUser` and `issueToken`, so one test runs on SQLite and on PostgreSQL
/// alike (`AppDatabase`'s synchronous methods satisfy the asynchronous requirements).
protocol AccountRecords: AccountStore, BrokerKeyStore, SettingsStore, FileStore, AuditStore {
    /// Creates a user, unaudited (fixtures).
    func createUser(organisationID: String, role: Role, name: String, email: String?, now: Date) async throws(StoreError) -> UserRecord
    /// Issues a token, unaudited (fixtures).
    func issueToken(userID: String, label: String, expiresAt: Date, now: Date) async throws(StoreError) -> IssuedSecret

    // The firm's billing terms, the part of `BillingStore` both backends meet so far.
    func setVATStatus(organisationID: String, regime: VATRegime, vatNumber: String?, reason: String?, actor: AuditActor, now: Date)
        async throws(StoreError) -> VATStatusRecord
    func vatStatus(organisationID: String) async throws(StoreError) -> VATStatusRecord?
    func setBankAccount(organisationID: String, account: BankAccount, reason: String?, actor: AuditActor, now: Date) async throws(StoreError)
        -> BankAccountRecord
    func bankAccount(organisationID: String) async throws(StoreError) -> BankAccountRecord?
    func acceptMandate(organisationID: String, wordingVersion: String, contestDays: Int, actor: AuditActor, now: Date) async throws(StoreError)
        -> BillingMandateRecord
    func withdrawMandate(organisationID: String, reason: String?, actor: AuditActor, now: Date) async throws(StoreError) -> BillingMandateRecord
    func mandates(organisationID: String) async throws(StoreError) -> [BillingMandateRecord]
    func mandateInForce(organisationID: String) async throws(StoreError) -> BillingMandateRecord?
    func checkMandates(dealID: String) async throws(StoreError)
    func brokerIdentity() async throws(StoreError) -> (name: String, siren: String)

    // Deals: their proposal, files, the transitions that change only the deal, and what is read of them: the part of `DealStore` both backends meet so far.
    func createDeal(_ draft: DealDraft, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord
    func deal(id: String) async throws(StoreError) -> DealRecord?
    func deals(in state: DealState) async throws(StoreError) -> [DealRecord]
    func dealParties(dealID: String) async throws(StoreError) -> [DealPartyRecord]
    func dealFiles(dealID: String) async throws(StoreError) -> [DealFileRecord]
    func overrideDeal(id: String, reason: String, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord
    func attachFile(dealID: String, fileID: String, actor: AuditActor, now: Date) async throws(StoreError) -> [DealFileRecord]
    func recordMatch(dealID: String, fileIDs: Set<String>, reportJSON: String, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord
    func accept(dealID: String, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord
    func approve(dealID: String, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord
    func dealTerms(dealID: String) async throws(StoreError) -> DealTerms?
    func release(dealID: String, deliveries: [DeliveryDraft], actor: AuditActor, now: Date) async throws(StoreError) -> [DeliveryRecord]
    func delivery(id: String) async throws(StoreError) -> DeliveryRecord?
    func deliveries(dealID: String, recipientID: String?) async throws(StoreError) -> [DeliveryRecord]
    func claimDownload(deliveryID: String, actor: AuditActor, now: Date) async throws(StoreError) -> ClaimedDownload
    func purgeSpentDeliveries(now: Date) async throws(StoreError) -> [String]
    func expireStalledDeals(now: Date) async throws(StoreError) -> [DealRecord]
    func dealsDueForMaintenance(now: Date) async throws(StoreError) -> [DealRecord]
    func dealPage(organisationID: String?, after afterID: String?, limit: Int, recipientID: String?) async throws(StoreError) -> DealListing?
    func listing(of deals: [DealRecord], recipientID: String?) async throws(StoreError) -> DealListing
    func holdMatch(dealID: String, _ hold: MatchHold, fileIDs: Set<String>, now: Date) async throws(StoreError) -> MatchHoldRecord
    func matchHold(dealID: String) async throws(StoreError) -> MatchHoldRecord?
    func decline(dealID: String, reason: String?, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord
    func reject(dealID: String, reason: String, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord
    func cancel(dealID: String, reason: String?, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord
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
