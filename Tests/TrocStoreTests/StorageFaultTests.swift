import Foundation
import GRDB
import Testing
import TrocStore

/// SQLite's own answers to a full or read-only file system are named as such, so the server can say so (507, 503)
/// instead of a bare internal error.
@Suite struct StorageFaultTests {
    @Test func sqliteFindingItsFileSystemFullIsStorageFull() throws {
        // SQLite answers a database that may not grow past max_page_count exactly as a full disk: SQLITE_FULL.
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE filler (bytes BLOB NOT NULL)")
            try db.execute(sql: "PRAGMA max_page_count = 8")
        }
        let error = #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: "INSERT INTO filler VALUES (zeroblob(1 << 20))") }
        }
        #expect(error?.resultCode == .SQLITE_FULL)
        #expect(StoreError(try #require(error)) == .storageFull)
    }

    @Test func sqliteRefusedAWriteToAReadOnlyDatabaseIsStorageReadOnly() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("troc-readonly-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "CREATE TABLE t (x INTEGER NOT NULL)") }
        var configuration = Configuration()
        configuration.readonly = true
        let error = #expect(throws: DatabaseError.self) {
            try DatabaseQueue(path: path, configuration: configuration).write { db in try db.execute(sql: "INSERT INTO t VALUES (1)") }
        }
        #expect(error?.resultCode == .SQLITE_READONLY)
        #expect(StoreError(try #require(error)) == .storageReadOnly)
    }

    @Test func otherSQLiteFailuresStayDatabaseErrors() throws {
        let queue = try DatabaseQueue()
        let error = #expect(throws: DatabaseError.self) { try queue.write { db in try db.execute(sql: "INSERT INTO missing VALUES (1)") } }
        guard case .database = StoreError(try #require(error)) else {
            Issue.record("a missing table is not a storage fault")
            return
        }
    }
}
