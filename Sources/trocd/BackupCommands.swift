import ArgumentParser
import Foundation
import TrocStore

/// `trocd admin backup DIR`: a consistent online copy of the database and the blobs, while the daemon runs.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up the database (online, consistent) and the blobs into a new directory.",
        discussion: "The master key is not in the backup: keep it separately. Restore with `trocd admin restore DIR --data NEW_DATA_DIR`."
    )

    @OptionGroup var storage: StorageOptions
    @Argument(help: "A new (or empty) directory for the backup.") var directory: String

    func run() async throws {
        let database = try AppDatabase.openOnDisk(at: storage.databasePath)
        let blobs = try BlobStore(directory: storage.blobsDirectory)
        let summary = try Backup.run(database: database, blobs: blobs, to: directory, now: Date())
        print("Backed up \(summary.linkedBlobs + summary.copiedBlobs) blobs and the database into \(directory).")
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
