package import Foundation
import GRDB

/// A value as SQLite stores it, the form in which the records leave for another engine.
package enum StoredValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)

    /// SQLite's name for the value's storage class, for messages.
    package var storageClass: String {
        switch self {
        case .null: "NULL"
        case .integer: "INTEGER"
        case .real: "REAL"
        case .text: "TEXT"
        case .blob: "BLOB"
        }
    }

    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let number): self = .integer(number)
        case .double(let number): self = .real(number)
        case .string(let text): self = .text(text)
        case .blob(let bytes): self = .blob(bytes)
        }
    }
}

/// One table's rows read from a snapshot, in the order they were inserted (rowid order; primary key order for a table
/// without rowid), so that a row that names an earlier row of its own table (a user's creator, a token's parent) comes
/// after it.
package struct StoredRows: Sendable {
    /// Each row's values, in the order of the columns asked for.
    package var rows: [[StoredValue]]
    /// Where the next page starts; nil after the last page.
    package var next: RecordSnapshot.Position?
}

/// A read-only view of every table of the broker's SQLite database, frozen when it was taken: pages read from it later
/// all see the same records, however the broker writes meanwhile (a connection held in one WAL read transaction).
package struct RecordSnapshot: Sendable {
    /// Where a table's reading stopped: the last row's rowid, or its primary key in a table without rowid.
    package struct Position: Sendable {
        fileprivate var key: [DatabaseValue]
    }

    let reader: any DatabaseReader

    /// The broker's tables, SQLite's own and the migrations' bookkeeping left out, by name.
    package func tables() throws(StoreError) -> [String] {
        try read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM sqlite_master
                    WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name != 'grdb_migrations' ORDER BY name
                    """)
        }
    }

    /// The columns of `table`, in the order they were declared.
    package func columns(of table: String) throws(StoreError) -> [String] {
        try read { db in try db.columns(in: table).map(\.name) }
    }

    /// How many rows `table` holds.
    package func count(of table: String) throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0 }
    }

    /// Up to `limit` rows of `table` from `position` (the first page when nil), with the values of `columns`.
    package func rows(of table: String, columns: [String], from position: Position?, limit: Int) throws(StoreError) -> StoredRows {
        try read { db in
            // The key a page is ordered and resumed by: the rowid, or the primary key of a table without one.
            let withoutRowID = try Bool.fetchOne(db, sql: "SELECT wr FROM pragma_table_list WHERE name = ?", arguments: [table]) ?? false
            let key = withoutRowID ? try db.primaryKey(table).columns : ["rowid"]
            let keyList = key.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
            let selected = (key + columns).map(\.quotedDatabaseIdentifier).joined(separator: ", ")
            var sql = "SELECT \(selected) FROM \(table.quotedDatabaseIdentifier)"
            var arguments = StatementArguments()
            if let position {
                sql += " WHERE (\(keyList)) > (\(databaseQuestionMarks(count: key.count)))"
                arguments = StatementArguments(position.key)
            }
            sql += " ORDER BY \(keyList) LIMIT \(limit)"
            var page = StoredRows(rows: [], next: nil)
            var last: [DatabaseValue] = []
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try cursor.next() {
                last = (0..<key.count).map { row[$0] as DatabaseValue }
                page.rows.append((key.count..<(key.count + columns.count)).map { StoredValue(row[$0] as DatabaseValue) })
            }
            if page.rows.count == limit { page.next = Position(key: last) }
            return page
        }
    }

    private func read<T>(_ value: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try reader.read(value)
        } catch {
            throw StoreError(error)
        }
    }
}
