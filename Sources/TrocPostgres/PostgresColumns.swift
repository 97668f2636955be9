import Foundation
import PostgresNIO
import TrocCore
import TrocStore

/// One row's columns read by name, with the store's conventions: dates as whole seconds since 1970 (`bigint`), enums
/// by their raw text. A value of the wrong type or a missing column is a `StoreError.database` naming the column.
struct PostgresColumns {
    private let row: PostgresRandomAccessRow

    /// The columns of `row`.
    init(_ row: PostgresRow) {
        self.row = row.makeRandomAccess()
    }

    /// Column `name` as `type`.
    func value<Value: PostgresDecodable>(_ name: String, as type: Value.Type = Value.self) throws(StoreError) -> Value {
        guard row.contains(name) else { throw .database("PostgreSQL: no column \(name) in the row read") }
        do {
            return try row[name].decode(Value.self, context: .default)
        } catch {
            throw .database("PostgreSQL: column \(name) does not read as \(Value.self): \(error)")
        }
    }

    /// Column `name`, seconds since 1970, as a date.
    func date(_ name: String) throws(StoreError) -> Date {
        Date(timeIntervalSince1970: TimeInterval(try value(name, as: Int64.self)))
    }

    /// Column `name`, seconds since 1970 or NULL.
    func optionalDate(_ name: String) throws(StoreError) -> Date? {
        try value(name, as: Int64?.self).map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// Column `name`, ISO 8601 text, as a civil date.
    func civilDate(_ name: String) throws(StoreError) -> CivilDate {
        let text = try value(name, as: String.self)
        guard let date = CivilDate(iso8601: text) else { throw .database("PostgreSQL: column \(name) holds \(text), not a date") }
        return date
    }

    /// Column `name` as the enum case its text names.
    func raw<Value: RawRepresentable>(_ name: String, as type: Value.Type = Value.self) throws(StoreError) -> Value where Value.RawValue == String {
        let text = try value(name, as: String.self)
        guard let parsed = Value(rawValue: text) else { throw .database("PostgreSQL: column \(name) holds \(text), not a \(Value.self)") }
        return parsed
    }
}
