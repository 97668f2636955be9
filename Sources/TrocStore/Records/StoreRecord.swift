package import GRDB

/// What every record of the store is: a `Codable, Sendable` row whose dates are INTEGER seconds (see `Timestamp`).
package protocol StoreRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {}

extension StoreRecord {
    /// Dates are written as whole seconds since 1970, the form `Timestamp` uses in SQL arguments; the schema checks it.
    package static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .secondsSince1970 }
    /// Dates are read back from those seconds.
    package static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }
}
