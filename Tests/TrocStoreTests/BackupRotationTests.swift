import Foundation
import Testing
import TrocCore
import TrocCrypto
import TrocStore

/// The nightly backups: timestamped names in time order, the N newest complete ones kept, unfinished ones removed,
/// nothing else in the directory touched, and one backup at a time.
@Suite struct BackupRotationTests {
    let directory: TemporaryDirectory
    let database: AppDatabase
    let blobs: BlobStore
    let masterKey = MasterKey.generate()
    let rotation: BackupRotation

    init() throws {
        directory = try TemporaryDirectory()
        let live = DataDirectory(path: directory.appending("data"))
        try FileManager.default.createDirectory(atPath: live.path, withIntermediateDirectories: true)
        database = try AppDatabase.openOnDisk(at: live.databasePath)
        blobs = try BlobStore(directory: live.blobsPath)
        let partner = try database.createOrganisation(Organisations.partner(), now: Dates.start)
        _ = try database.ensureBrokerKeys(masterKey: masterKey, now: Dates.start)
        try BackupTests.insertFile(1, database: database, blobs: blobs, masterKey: masterKey, organisationID: partner.id)
        rotation = BackupRotation(directory: directory.appending("backups/"))
    }

    /// A complete backup taken at `seconds` after the test epoch, the way `trocd admin backup --into` takes it.
    func backUp(at seconds: TimeInterval) throws -> String {
        try rotation.withLock {
            let path = rotation.directory + "/" + BackupRotation.name(at: Dates.at(seconds))
            _ = try Backup.run(database: database, blobs: blobs, to: path, now: Dates.at(seconds))
            return path
        }
    }

    @Test(
        "names are UTC timestamps that sort in time order, and only that shape counts as a backup",
        arguments: [
            ("troc-backup-20250101T000000Z", true), ("troc-backup-20250101T000000", false), ("troc-backup-2025-01-01", false),
            ("troc-backup-20250101X000000Z", false), ("troc-backup-2025010aT000000Z", false), ("backup-20250101T000000Z", false),
            ("troc-backup-20250101T000000Z.old", false),
        ])
    func names(name: String, isBackup: Bool) {
        #expect(BackupRotation.isBackupName(name) == isBackup)
    }

    @Test("a backup's name is its UTC time")
    func nameOfDate() {
        #expect(BackupRotation.name(at: Dates.at(86_400 + 3_723)) == "troc-backup-20250102T010203Z")
        #expect(BackupRotation.name(at: Dates.at(9)) < BackupRotation.name(at: Dates.at(10)))
    }

    @Test("pruning keeps the newest complete backups, removes older and unfinished ones, and leaves other files alone")
    func prune() throws {
        let oldest = try backUp(at: 10)
        _ = try backUp(at: 20)
        let newer = try backUp(at: 30)
        let newest = try backUp(at: 40)
        // An interrupted backup (no manifest) and an operator's own directory.
        let unfinished = rotation.directory + "/" + BackupRotation.name(at: Dates.at(35))
        try FileManager.default.createDirectory(atPath: unfinished + "/blobs", withIntermediateDirectories: true)
        let foreign = rotation.directory + "/before-the-migration"
        try FileManager.default.createDirectory(atPath: foreign, withIntermediateDirectories: true)

        #expect(try rotation.latest()?.path == newest)
        #expect(try rotation.entries().map(\.isComplete) == [true, true, true, false, true])
        let removed = try rotation.withLock { try rotation.prune(keep: 2) }
        #expect(removed == [BackupRotation.name(at: Dates.at(10)), BackupRotation.name(at: Dates.at(20)), BackupRotation.name(at: Dates.at(35))])
        #expect(try rotation.entries().map(\.path) == [newer, newest])
        #expect(!FileManager.default.fileExists(atPath: oldest) && FileManager.default.fileExists(atPath: foreign))
        // The kept backups still restore.
        _ = try Backup.restore(from: newer, into: directory.appending("restored"))
    }

    @Test("a second backup into the same directory is refused while the first holds the lock")
    func oneAtATime() throws {
        let refused = try rotation.withLock { () -> BackupError? in
            do {
                _ = try backUp(at: 10)
                return nil
            } catch let error as BackupError {
                return error
            }
        }
        #expect(refused == .backupInProgress(path: rotation.directory))
        #expect(try rotation.entries().isEmpty)
        _ = try backUp(at: 10)
        #expect(try rotation.entries().count == 1)
    }
}
