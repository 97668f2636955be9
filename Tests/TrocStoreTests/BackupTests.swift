import Crypto
import Foundation
import Synchronization
import Testing
import TrocCore
import TrocCrypto
import TrocStore

/// Online backups are consistent while writes go on, and restore into a store whose every blob reads back.
@Suite struct BackupTests {
    let directory: TemporaryDirectory
    let live: DataDirectory
    let database: AppDatabase
    let blobs: BlobStore
    let masterKey = MasterKey.generate()
    let partner: OrganisationRecord

    init() throws {
        directory = try TemporaryDirectory()
        live = DataDirectory(path: directory.appending("data"))
        try FileManager.default.createDirectory(atPath: live.path, withIntermediateDirectories: true)
        database = try AppDatabase.openOnDisk(at: live.databasePath)
        blobs = try BlobStore(directory: live.blobsPath)
        partner = try database.createOrganisation(Organisations.partner(), now: Dates.start)
        _ = try database.ensureBrokerKeys(masterKey: masterKey, now: Dates.start)
    }

    /// The content of file number `index`: its size and bytes follow from the index.
    static func content(_ index: Int) -> [UInt8] {
        patternBytes(count: (index * 7919) % 90_000, seed: UInt64(index))
    }

    /// Stores file number `index` in `database` and `blobs`.
    static func insertFile(_ index: Int, database: AppDatabase, blobs: BlobStore, masterKey: MasterKey, organisationID: String) throws {
        let bytes = content(index)
        let stored = try storeBlob(bytes, in: blobs, masterKey: masterKey)
        _ = try database.createFile(
            organisationID: organisationID, blob: stored, name: "file-\(index).csv", byteCount: Int64(bytes.count), reportJSON: "{}",
            now: Dates.at(Double(index)))
    }

    /// Opens a restored data directory and checks every file reads back byte for byte; returns the file count.
    func verifyRestored(_ restored: DataDirectory) throws -> Int {
        let restoredDatabase = try AppDatabase.openOnDisk(at: restored.databasePath)
        let restoredBlobs = try BlobStore(directory: restored.blobsPath)
        let files = try restoredDatabase.files(organisationID: nil)
        for file in files {
            let index = try #require(Int(file.name.dropFirst(5).dropLast(4)))
            let blob = try #require(try restoredDatabase.blob(id: file.blobID))
            let bytes = try readBlob(blob.id, wrappedKey: try blob.parsedWrappedKey(), in: restoredBlobs, masterKey: masterKey)
            #expect(bytes == Self.content(index), "\(file.name)")
        }
        #expect(try restoredDatabase.ensureBrokerKeys(masterKey: masterKey, now: Dates.at(1)).id == database.activeBrokerKey()?.id)
        return files.count
    }

    @Test("a backup taken while another thread keeps inserting restores to a store that reads back every blob")
    func backupDuringWrites() throws {
        for index in 0..<5 {
            try Self.insertFile(index, database: database, blobs: blobs, masterKey: masterKey, organisationID: partner.id)
        }
        // A plain thread, so the inserts really overlap the backup whatever the test runner's pool is doing.
        let stop = Atomic(false)
        let inserted = Atomic(5)
        let failure = Mutex<String?>(nil)
        let finished = DispatchSemaphore(value: 0)
        let (database, blobs, masterKey, organisationID) = (database, blobs, masterKey, partner.id)
        let inserter = Thread {
            defer { finished.signal() }
            var index = 5
            while !stop.load(ordering: .acquiring), index < 2000 {
                do {
                    try Self.insertFile(index, database: database, blobs: blobs, masterKey: masterKey, organisationID: organisationID)
                } catch {
                    failure.withLock { $0 = String(describing: error) }
                    return
                }
                index += 1
                inserted.store(index, ordering: .releasing)
            }
        }
        inserter.start()
        while inserted.load(ordering: .acquiring) < 10 { usleep(1000) }
        let backupPath = directory.appending("backup")
        let summary = try Backup.run(database: database, blobs: blobs, to: backupPath, now: Dates.at(100))
        let insertedAtBackupEnd = inserted.load(ordering: .acquiring)
        while inserted.load(ordering: .acquiring) < insertedAtBackupEnd + 3, failure.withLock({ $0 }) == nil { usleep(1000) }
        stop.store(true, ordering: .releasing)
        finished.wait()
        #expect(failure.withLock { $0 } == nil)

        #expect(summary.manifest.blobCount >= 10)
        #expect(summary.manifest.blobCount <= insertedAtBackupEnd)
        #expect(summary.linkedBlobs == summary.manifest.blobCount && summary.copiedBlobs == 0)
        #expect(summary.manifest.migrations == AppDatabase.migrationNames)
        #expect(summary.manifest.masterKeyIDs == [masterKey.id.description])
        #expect(summary.manifest.createdAt == Dates.at(100))
        let backedUp = try FileManager.default.contentsOfDirectory(atPath: backupPath + "/blobs")
        #expect(backedUp.count == summary.manifest.blobCount)

        let restored = DataDirectory(path: directory.appending("restored"))
        let restoreSummary = try Backup.restore(from: backupPath, into: restored.path)
        #expect(restoreSummary.manifest == summary.manifest)
        #expect(try verifyRestored(restored) == summary.manifest.blobCount)
        // The live store went on: it has more files than the backup.
        #expect(try database.files(organisationID: nil).count > summary.manifest.blobCount)
    }

    @Test("partial blobs are not backed up, and the destination must be new or empty")
    func partialsAndDestination() throws {
        try Self.insertFile(1, database: database, blobs: blobs, masterKey: masterKey, organisationID: partner.id)
        let writer = try blobs.makeWriter(masterKey: masterKey)
        try writer.append(patternBytes(count: 10_000, seed: 5))
        let emptyTarget = directory.appending("empty")
        try FileManager.default.createDirectory(atPath: emptyTarget, withIntermediateDirectories: true)
        let summary = try Backup.run(database: database, blobs: blobs, to: emptyTarget, now: Dates.start)
        #expect(summary.manifest.blobCount == 1)
        let names = try FileManager.default.contentsOfDirectory(atPath: emptyTarget + "/blobs")
        #expect(names.count == 1 && !names[0].hasSuffix(".partial"))
        writer.abort()

        #expect(throws: BackupError.self) { try Backup.run(database: database, blobs: blobs, to: emptyTarget, now: Dates.start) }
        #expect(throws: BackupError.self) { try Backup.restore(from: emptyTarget, into: live.path) }
        let restored = DataDirectory(path: directory.appending("restored"))
        try FileManager.default.createDirectory(atPath: restored.path, withIntermediateDirectories: true)
        _ = try Backup.restore(from: emptyTarget, into: restored.path)
        #expect(try verifyRestored(restored) == 1)
    }

    @Test("restore refuses a damaged backup and leaves the target absent")
    func damagedBackups() throws {
        for index in 0..<3 {
            try Self.insertFile(index + 1, database: database, blobs: blobs, masterKey: masterKey, organisationID: partner.id)
        }
        let backupPath = directory.appending("backup")
        let summary = try Backup.run(database: database, blobs: blobs, to: backupPath, now: Dates.start)
        let backup = DataDirectory(path: backupPath)
        let target = directory.appending("target")
        let restore = { try Backup.restore(from: backupPath, into: target) }
        func isMissing() -> Bool { !FileManager.default.fileExists(atPath: target) }

        // A missing blob file.
        let blobID = try #require(try FileManager.default.contentsOfDirectory(atPath: backup.blobsPath).first)
        let blobPath = backup.blobsPath + "/" + blobID
        let blobBytes = try Data(contentsOf: URL(fileURLWithPath: blobPath))
        try FileManager.default.removeItem(atPath: blobPath)
        #expect(throws: BackupError.self) { try restore() }
        #expect(isMissing())
        // A blob file of the wrong size.
        try blobBytes.dropLast().write(to: URL(fileURLWithPath: blobPath))
        #expect(throws: BackupError.self) { try restore() }
        try blobBytes.write(to: URL(fileURLWithPath: blobPath))

        // A database that does not match the manifest's checksum.
        let databaseBytes = try Data(contentsOf: URL(fileURLWithPath: backup.databasePath))
        var altered = databaseBytes
        altered[altered.count - 1] ^= 0x01
        try altered.write(to: URL(fileURLWithPath: backup.databasePath))
        #expect(throws: BackupError.databaseChecksumMismatch(expected: summary.manifest.databaseSHA256, actual: sha256Hex(altered))) {
            try restore()
        }
        try databaseBytes.write(to: URL(fileURLWithPath: backup.databasePath))

        // No manifest: an unfinished backup.
        let manifestPath = backupPath + "/manifest.json"
        let manifest = try Data(contentsOf: URL(fileURLWithPath: manifestPath))
        try FileManager.default.removeItem(atPath: manifestPath)
        #expect(throws: BackupError.manifestMissing(path: backupPath)) { try restore() }
        try manifest.write(to: URL(fileURLWithPath: manifestPath))
        #expect(isMissing())
        // Nothing is left beside the target either.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["backup", "data"])

        _ = try restore()
        #expect(try verifyRestored(DataDirectory(path: target)) == 3)
    }
}

/// SHA-256 of `data` in lowercase hex.
func sha256Hex(_ data: Data) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}
