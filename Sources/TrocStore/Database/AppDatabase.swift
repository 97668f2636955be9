import Foundation
package import GRDB

/// The broker's database: owns the single `DatabaseWriter`, runs the migrations, and offers one transaction per operation.
package struct AppDatabase: Sendable {
    /// The connection (a WAL `DatabasePool` on disk, a `DatabaseQueue` in tests).
    private let writer: any DatabaseWriter
    /// The key that chains the audit trail; audited writes refuse to run until `withAuditKey(_:)` gives one.
    let auditKey: AuditKey?
    /// The decoded sector tables, shared by every copy of this handle.
    let sectorCache: SectorReferenceCache

    /// Wraps `writer` and migrates its schema to the latest version.
    package init(_ writer: any DatabaseWriter) throws(StoreError) {
        self.writer = writer
        auditKey = nil
        sectorCache = SectorReferenceCache()
        do {
            try Self.migrator.migrate(writer)
        } catch {
            throw StoreError(error)
        }
    }

    /// The same database, whose audited writes chain their entries with `key`.
    ///
    /// The key comes from the broker's secrets, which live in this database, so it is given after opening.
    package func withAuditKey(_ key: AuditKey) -> AppDatabase {
        AppDatabase(writer: writer, auditKey: key, sectorCache: sectorCache)
    }

    /// A handle on an already migrated writer.
    private init(writer: any DatabaseWriter, auditKey: AuditKey?, sectorCache: SectorReferenceCache) {
        self.writer = writer
        self.auditKey = auditKey
        self.sectorCache = sectorCache
    }

    /// Opens (creating if needed) the database file at `path` as a WAL pool; the file is created readable by its owner only.
    package static func openOnDisk(at path: String) throws(StoreError) -> AppDatabase {
        // SQLite gives the -wal and -shm files the database file's mode, so creating it 0600 protects all three.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .database("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        do {
            return try AppDatabase(DatabasePool(path: path, configuration: makeConfiguration()))
        } catch {
            throw StoreError(error)
        }
    }

    /// A fresh, empty in-memory database, for tests.
    package static func inMemory() throws(StoreError) -> AppDatabase {
        do {
            return try AppDatabase(DatabaseQueue(configuration: makeConfiguration()))
        } catch {
            throw StoreError(error)
        }
    }

    /// The configuration every connection uses; pass it when building a writer for `init(_:)`.
    package static func makeConfiguration() -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Readers never block in WAL mode; a writer waits this long for another process (a backup tool, the CLI) to finish.
        configuration.busyMode = .timeout(5)
        configuration.label = "troc"
        return configuration
    }

    /// Runs `updates` in one write transaction, translating every failure to a `StoreError`.
    func write<T>(_ updates: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.write(updates)
        } catch {
            throw StoreError(error)
        }
    }

    /// Runs `value` in one read transaction (a consistent snapshot), translating every failure to a `StoreError`.
    func read<T>(_ value: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.read(value)
        } catch {
            throw StoreError(error)
        }
    }

    /// A read-only view of the database as it is now, which later writes do not change (`trocd admin migrate` copies it).
    package func recordSnapshot() throws(StoreError) -> RecordSnapshot {
        do {
            // A WAL pool keeps a connection in one read transaction for it; an in-memory queue has no other writer to fear.
            if let pool = writer as? DatabasePool { return RecordSnapshot(reader: try pool.makeSnapshot()) }
            return RecordSnapshot(reader: writer)
        } catch {
            throw StoreError(error)
        }
    }

    /// Copies a consistent snapshot of the whole database into a new SQLite file at `path`, while writes go on.
    ///
    /// The file must not exist: it is created 0600 here, before SQLite opens it, because SQLite creates database files
    /// 0644 (less the umask) and a backup holds every wrapped key and keyed hash of the broker.
    package func backup(toFile path: String) throws(StoreError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .database("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        do {
            let destination = try DatabaseQueue(path: path)
            try writer.backup(to: destination)
            try destination.close()
        } catch {
            throw StoreError(error)
        }
    }
}
