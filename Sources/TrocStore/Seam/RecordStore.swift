/// The broker's records, as `Broker` and the controllers see them: every domain protocol in one.
///
/// Each requirement is `async throws(StoreError)` so that a networked backend (PostgreSQL) suspends instead of blocking a
/// thread, and callers keep the typed error the server maps to problem responses. `AppDatabase` (SQLite) is the embedded
/// backend; it meets every requirement with its synchronous methods, which satisfy the asynchronous ones unchanged.
package protocol RecordStore: AccountStore, BrokerKeyStore, DealStore, FileStore, BillingStore, PrivacyStore, ConsoleStore, SettingsStore, AuditStore
{}
