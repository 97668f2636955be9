import Foundation
package import Logging
package import PostgresNIO
import TrocCore
package import TrocStore

/// Copies an embedded broker's records (a snapshot of its SQLite database) into a PostgreSQL database that holds none
/// yet, table for table, in one transaction (`trocd admin migrate`).
///
/// The two schemas name every table and column alike (`PostgresSchema`), so the copy is generic: each table's rows, in the
/// order SQLite inserted them, go through `COPY … FROM STDIN` a page at a time, each value checked against the column's
/// PostgreSQL type. The rule triggers are disabled for the copy and enabled again before it commits: they judge a row
/// as it is first written (a deal starts proposed, a token is issued to an enabled user), and a migrated row is a row
/// already judged, written in its final state. Constraints, NOT NULLs and foreign keys still hold every row, and the copy
/// commits only if each table then counts what the snapshot counts. A failure rolls everything back.
package enum PostgresImport {
    /// What was copied: each table and its rows, in the order they were copied.
    package typealias Outcome = [(table: String, rows: Int)]

    /// Copies every table of `snapshot` into the database `connection` is on, which must hold no broker (its seeded
    /// reference rows are replaced by the snapshot's).
    package static func run(
        from snapshot: RecordSnapshot, on connection: PostgresConnection, pageSize: Int = 5_000, logger: Logger
    ) async throws -> Outcome {
        try await connection.transaction(logger: logger) { connection in
            let schema = try await TargetSchema.read(connection, logger: logger)
            let tables = try await order(schema: schema, snapshot: snapshot, connection: connection, logger: logger)
            for table in tables where !PostgresSchema.seededTables.contains(table) {
                let rows = try await count(table, on: connection, logger: logger)
                if rows > 0 { throw PostgresImportError.notEmpty(table: table, rows: rows) }
            }
            for table in tables {
                try await connection.query(#"ALTER TABLE \#(unescaped: quoted(table)) DISABLE TRIGGER USER"#, logger: logger)
            }
            var outcome: Outcome = []
            for table in tables {
                if PostgresSchema.seededTables.contains(table) {
                    try await connection.query(#"DELETE FROM \#(unescaped: quoted(table))"#, logger: logger)
                }
                let copied = try await copy(
                    table, types: schema.columns[table] ?? [:], from: snapshot, pageSize: pageSize, on: connection, logger: logger)
                let expected = try snapshot.count(of: table)
                let counted = try await count(table, on: connection, logger: logger)
                guard copied == expected, counted == expected else {
                    throw PostgresImportError.countMismatch(table: table, snapshot: expected, copied: counted)
                }
                outcome.append((table, counted))
            }
            for (table, column) in schema.identities {
                // The next id a new row takes follows the copied ones.
                try await connection.query(
                    #"""
                    SELECT setval(pg_get_serial_sequence(\#(quoted(table)), \#(column)),
                        coalesce((SELECT max(\#(unescaped: quoted(column))) FROM \#(unescaped: quoted(table))), 0) + 1, false)
                    """#, logger: logger)
            }
            for table in tables {
                try await connection.query(#"ALTER TABLE \#(unescaped: quoted(table)) ENABLE TRIGGER USER"#, logger: logger)
            }
            // The sector tables changed with their triggers off: move their version, as an edit would.
            try await connection.query(#"UPDATE "sector_reference_version" SET "version" = "version" + 1 WHERE "id" = 1"#, logger: logger)
            return outcome
        }
    }

    /// The snapshot's tables in an order where each comes after the tables its foreign keys name, once both schemas are
    /// found to have the same tables and columns.
    private static func order(schema: TargetSchema, snapshot: RecordSnapshot, connection: PostgresConnection, logger: Logger) async throws
        -> [String]
    {
        let source = Set(try snapshot.tables())
        let target = Set(schema.columns.keys).subtracting(PostgresSchema.ownTables)
        guard source == target else {
            throw PostgresImportError.schemaMismatch(
                "tables only in SQLite: \(source.subtracting(target).sorted()); only in PostgreSQL: \(target.subtracting(source).sorted())")
        }
        for table in source.sorted() {
            let sourceColumns = Set(try snapshot.columns(of: table))
            let targetColumns = Set((schema.columns[table] ?? [:]).keys)
            guard sourceColumns == targetColumns else {
                throw PostgresImportError.schemaMismatch(
                    "\(table): columns only in SQLite: \(sourceColumns.subtracting(targetColumns).sorted()); "
                        + "only in PostgreSQL: \(targetColumns.subtracting(sourceColumns).sorted())")
            }
        }
        var ordered: [String] = []
        var placed: Set<String> = []
        var remaining = source.sorted()
        while !remaining.isEmpty {
            let ready = remaining.filter { table in schema.references[table, default: []].allSatisfy { $0 == table || placed.contains($0) } }
            guard !ready.isEmpty else { throw PostgresImportError.schemaMismatch("the foreign keys of \(remaining) form a cycle") }
            ordered += ready
            placed.formUnion(ready)
            remaining.removeAll { placed.contains($0) }
        }
        return ordered
    }

    /// Streams `table`'s rows from the snapshot into a `COPY`; returns how many it sent.
    private static func copy(
        _ table: String, types: [String: String], from snapshot: RecordSnapshot, pageSize: Int, on connection: PostgresConnection, logger: Logger
    ) async throws -> Int {
        let columns = try snapshot.columns(of: table)
        let columnTypes = columns.map { types[$0] ?? "text" }
        var sent = 0
        do {
            try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                var position: RecordSnapshot.Position?
                repeat {
                    let page = try snapshot.rows(of: table, columns: columns, from: position, limit: pageSize)
                    var text = ""
                    for row in page.rows {
                        sent += 1
                        for (index, value) in row.enumerated() {
                            if index > 0 { text += "\t" }
                            do throws(CopyText.Refusal) {
                                text += try CopyText.field(value, type: columnTypes[index])
                            } catch {
                                throw PostgresImportError.value(table: table, row: sent, column: columns[index], reason: error.description)
                            }
                        }
                        text += "\n"
                    }
                    if !text.isEmpty { try await writer.write(ByteBuffer(string: text)) }
                    position = page.next
                } while position != nil
            }
        } catch let error as PSQLError {
            // The server names the row it refused (its CONTEXT: "COPY table, line N"), the N-th row in SQLite's order.
            let info = error.serverInfo
            let detail = [info?[.sqlState], info?[.message], info?[.detail], info?[.locationContext]].compactMap { $0 }.joined(separator: "; ")
            throw PostgresImportError.refused(table: table, reason: detail.isEmpty ? String(reflecting: error) : detail)
        }
        return sent
    }

    private static func count(_ table: String, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        for try await count in try await connection.query(#"SELECT count(*) FROM \#(unescaped: quoted(table))"#, logger: logger).decode(Int.self) {
            return count
        }
        return 0
    }

    /// `name` as a quoted identifier (the schema's names hold no quote).
    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}

/// What the import needs of the PostgreSQL schema: each table's columns and their types, the tables each table's foreign
/// keys name, and the identity columns whose sequences must follow the copied ids.
struct TargetSchema {
    /// Table → column → `information_schema` data type.
    var columns: [String: [String: String]] = [:]
    /// Table → the tables it references.
    var references: [String: Set<String>] = [:]
    /// The identity columns, as (table, column).
    var identities: [(String, String)] = []

    static func read(_ connection: PostgresConnection, logger: Logger) async throws -> TargetSchema {
        var schema = TargetSchema()
        let columns = try await connection.query(
            #"""
            SELECT c.table_name, c.column_name, c.data_type, c.is_identity
            FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
            """#, logger: logger)
        for try await (table, column, type, identity) in columns.decode((String, String, String, String).self) {
            schema.columns[table, default: [:]][column] = type
            if identity == "YES", !PostgresSchema.ownTables.contains(table) { schema.identities.append((table, column)) }
        }
        let references = try await connection.query(
            #"""
            SELECT child.relname, parent.relname
            FROM pg_constraint k JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid
            WHERE k.contype = 'f' AND child.relnamespace = current_schema()::regnamespace
            """#, logger: logger)
        for try await (child, parent) in references.decode((String, String).self) { schema.references[child, default: []].insert(parent) }
        return schema
    }
}

/// A SQLite value as a field of `COPY`'s text format, for a column of a given PostgreSQL type.
enum CopyText {
    /// Why a value cannot go into its column.
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    /// The field: `\N` for NULL, text with backslash, tab, line feed and carriage return escaped, `t`/`f` for a boolean,
    /// bytea as `\\x` and hex (the format's own backslash doubled).
    static func field(_ value: StoredValue, type: String) throws(Refusal) -> String {
        switch (value, type) {
        case (.null, _): return "\\N"
        case (.integer(let number), "bigint"), (.integer(let number), "integer"), (.integer(let number), "smallint"):
            return String(number)
        case (.integer(let number), "boolean"):
            guard number == 0 || number == 1 else { throw Refusal(description: "\(number) is not a boolean (0 or 1)") }
            return number == 1 ? "t" : "f"
        case (.integer(let number), "double precision"), (.integer(let number), "real"), (.integer(let number), "numeric"):
            return String(number)
        case (.real(let number), "double precision"), (.real(let number), "real"), (.real(let number), "numeric"):
            guard number.isFinite else { throw Refusal(description: "\(number) is not a finite number") }
            return String(number)
        case (.text(let text), "text"), (.text(let text), "character varying"):
            guard !text.contains("\0") else { throw Refusal(description: "text holding a NUL character, which PostgreSQL's text cannot") }
            return escaped(text)
        case (.blob(let bytes), "bytea"):
            return "\\\\x" + bytes.map { String(format: "%02x", $0) }.joined()
        default:
            throw Refusal(description: "SQLite holds \(value.storageClass), the PostgreSQL column is \(type)")
        }
    }

    private static func escaped(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\t": result += "\\t"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

/// Why an embedded broker's records could not be copied into PostgreSQL (nothing was).
package enum PostgresImportError: Error, CustomStringConvertible {
    /// The database already holds records (another broker, or a migration done before).
    case notEmpty(table: String, rows: Int)
    /// The two schemas differ (a build whose migrations do not match).
    case schemaMismatch(String)
    /// A value that its PostgreSQL column cannot hold.
    case value(table: String, row: Int, column: String, reason: String)
    /// A row PostgreSQL refused (a constraint, a foreign key), as the server says it.
    case refused(table: String, reason: String)
    /// A table that does not count, once copied, what the snapshot counts.
    case countMismatch(table: String, snapshot: Int, copied: Int)

    package var description: String {
        switch self {
        case .notEmpty(let table, let rows):
            "the PostgreSQL database already holds records (\(rows) in table \(table)): migrate into a database no broker uses yet"
        case .schemaMismatch(let detail): "the SQLite and PostgreSQL schemas differ: \(detail)"
        case .value(let table, let row, let column, let reason): "table \(table), row \(row), column \(column): \(reason)"
        case .refused(let table, let reason): "table \(table): PostgreSQL refused a row: \(reason)"
        case .countMismatch(let table, let snapshot, let copied):
            "table \(table): the snapshot holds \(snapshot) rows, PostgreSQL \(copied) after the copy"
        }
    }
}

extension PostgresStore {
    /// Copies an embedded broker's records into this database, which must hold none yet (`PostgresImport`).
    package func importRecords(from snapshot: RecordSnapshot, pageSize: Int = 5_000) async throws -> PostgresImport.Outcome {
        try await client.withConnection { connection in
            try await PostgresImport.run(from: snapshot, on: connection, pageSize: pageSize, logger: logger)
        }
    }
}
