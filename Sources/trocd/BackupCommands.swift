import ArgumentParser
import Foundation
import TrocObjectStore
import TrocStore

/// `trocd admin backup DIR`, or `--into DIR --keep N`: a consistent online copy of the database and the blobs, while the
/// daemon runs; with `--into`, one more timestamped backup in a directory that keeps the N newest.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up the database (online, consistent) and the blobs into a new directory.",
        discussion: """
            The master key is not in the backup: keep it separately. Restore with `trocd admin restore DIR --data NEW_DATA_DIR`. \
            With --into DIR the backup goes to DIR/troc-backup-<UTC time>, and --keep N then removes all but the N newest \
            complete backups there (and unfinished ones): this is what trocd-backup.timer runs every night.
            """
    )

    @OptionGroup var storage: StorageOptions
    @Argument(help: "A new (or empty) directory for the backup.") var directory: String?
    @Option(help: "A directory of timestamped backups to add this one to, instead of DIRECTORY.") var into: String?
    @Option(help: "With --into: how many complete backups to keep there (the newest), removing the older ones.") var keep: Int?
    @Option(
        help: """
            The object store the daemon keeps the blobs in (the s3:// URL given to `trocd serve --blobs`): their objects are \
            copied into the backup, still encrypted, so it restores without the store.
            """)
    var blobs: String?

    func validate() throws {
        guard (directory == nil) != (into == nil) else { throw ValidationError("give either a backup DIRECTORY or --into DIR, not both") }
        if let keep {
            guard into != nil else { throw ValidationError("--keep prunes a directory of timestamped backups: use it with --into DIR") }
            guard keep >= 1 else { throw ValidationError("--keep \(keep): keep at least 1 backup") }
        }
    }

    func run() async throws {
        try storage.requireEmbedded(
            "backup", instead: "back up PostgreSQL with its own tools (pg_dump, or continuous archiving) and the object store with its versioning")
        // A backup is SQLite's online backup of the data directory's file, beside its blob directory: the embedded backend's own.
        let database = try AppDatabase.openOnDisk(at: storage.databasePath)
        guard let url = self.blobs else {
            try backUp(database: database, blobs: try BlobStore(directory: storage.blobsDirectory))
            return
        }
        // Staged beside the backup, on its file system, so the backup links the copies rather than copying them again.
        let parent = ((into ?? directory ?? ".") as NSString).deletingLastPathComponent
        let staging = (parent.isEmpty ? "." : parent) + "/.troc-backup-blobs-\(UUID().uuidString.lowercased())"
        let client = try ObjectStoreClient(configuration: try ObjectStoreConfiguration(url: url))
        let outcome: Result<Void, any Error>
        do {
            let store = try ObjectBlobStore(client: client, spoolDirectory: staging)
            // Blobs written after this list but named by the snapshot make the backup fail loudly (a blob missing): run it again.
            let copies = try await store.copy(blobIDs: Array(try database.blobIDs()).sorted(), into: staging)
            outcome = Result { try backUp(database: database, blobs: copies) }
        } catch {
            outcome = .failure(error)
        }
        // Whatever happened: the staged copies were linked into the backup (or are not wanted), and the client closes.
        await client.shutdown()
        try? FileManager.default.removeItem(atPath: staging)
        try outcome.get()
    }

    /// Backs up the database and the blob files of `blobs`, into the directory or the rotation.
    private func backUp(database: AppDatabase, blobs: BlobStore) throws {
        guard let into else {
            let directory = directory ?? ""
            let summary = try Backup.run(database: database, blobs: blobs, to: directory, now: Date())
            print("Backed up \(summary.linkedBlobs + summary.copiedBlobs) blobs and the database into \(directory).")
            return
        }
        let rotation = BackupRotation(directory: into)
        try rotation.withLock {
            let now = Date()
            let target = rotation.directory + "/" + BackupRotation.name(at: now)
            let summary = try Backup.run(database: database, blobs: blobs, to: target, now: now)
            print("Backed up \(summary.linkedBlobs + summary.copiedBlobs) blobs and the database into \(target).")
            if let keep {
                let removed = try rotation.prune(keep: keep)
                if !removed.isEmpty { print("Removed \(removed.count) older backup(s), keeping \(keep): \(removed.joined(separator: ", ")).") }
            }
        }
    }
}

/// `trocd admin restore DIR --data NEW_DATA_DIR`: checks a backup and copies it into an empty data directory.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Verify a backup and restore it into an empty data directory.")

    @Argument(help: "The backup directory.") var directory: String
    @Option(help: "The (new, empty) data directory to restore into.") var data: String

    func run() async throws {
        let summary = try Backup.restore(from: directory, into: data)
        print(
            "Restored \(summary.linkedBlobs + summary.copiedBlobs) blobs and the database into \(data). Start it with the same master key: trocd serve --data \(data) …"
        )
    }
}
