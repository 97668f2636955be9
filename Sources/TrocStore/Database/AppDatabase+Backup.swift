import GRDB

/// What a database file holds that a backup must check: migrations, blobs and the master keys that wrapped them.
package struct DatabaseInventory: Sendable, Equatable {
    /// Names of the migrations applied, in order.
    package var migrations: [String]
    /// Every blob, by id.
    package var blobs: [Blob]
    /// Hex ids of the master keys that wrapped the stored keys (one, unless a database predates a rotation's end).
    package var masterKeyIDs: [String]

    /// A blob row's id and the size its file must have.
    package struct Blob: Sendable, Equatable {
        /// The blob id.
        package var id: String
        /// Size of the blob file.
        package var storedByteCount: Int64
    }
}

extension AppDatabase {
    /// Reads the inventory of the database file at `path` without migrating or changing it.
    package static func inventory(ofDatabaseAt path: String) throws(StoreError) -> DatabaseInventory {
        var configuration = makeConfiguration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in
                let migrations = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
                let blobs = try Row.fetchAll(db, sql: "SELECT id, storedByteCount FROM blob ORDER BY id").map { row in
                    DatabaseInventory.Blob(id: row["id"], storedByteCount: row["storedByteCount"])
                }
                let masterKeyIDs = try String.fetchAll(
                    db,
                    sql: """
                        SELECT masterKeyID FROM blob UNION SELECT masterKeyID FROM broker_key UNION SELECT masterKeyID FROM secret
                        ORDER BY 1
                        """)
                return DatabaseInventory(migrations: migrations, blobs: blobs, masterKeyIDs: masterKeyIDs)
            }
        } catch {
            throw StoreError(error)
        }
    }
}
