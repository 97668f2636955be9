package import Foundation

/// `manifest.json` of a backup directory, written last: a directory without it is an unfinished backup.
package struct BackupManifest: Codable, Sendable, Equatable {
    /// The only manifest format this build writes and reads.
    package static let currentFormat = 1
    /// File name inside the backup directory.
    package static let fileName = "manifest.json"

    /// Manifest format version.
    package var format: Int
    /// When the backup was taken.
    package var createdAt: Date
    /// Migrations applied to the backed-up database, in order (its schema version).
    package var migrations: [String]
    /// Hex ids of the master keys that wrapped the backed-up keys: restoring needs this master key file.
    package var masterKeyIDs: [String]
    /// Blob files in `blobs/`, one per `blob` row.
    package var blobCount: Int
    /// Size of `troc.sqlite`.
    package var databaseByteCount: Int64
    /// SHA-256 of `troc.sqlite`, lowercase hex.
    package var databaseSHA256: String

    /// The manifest as pretty JSON with ISO 8601 dates, so an operator can read it.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }

    /// Reads a manifest written by `encoded()`.
    static func decode(_ data: Data) throws -> BackupManifest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(BackupManifest.self, from: data)
    }
}

/// What a backup or a restore did.
package struct BackupSummary: Sendable, Equatable {
    /// The manifest written or verified.
    package var manifest: BackupManifest
    /// Blob files hard-linked (same file system: no bytes copied).
    package var linkedBlobs: Int
    /// Blob files copied.
    package var copiedBlobs: Int
}

/// Why a backup or a restore stopped; a failed backup leaves no manifest, a failed restore leaves the target as it was.
package enum BackupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The destination exists and is not an empty directory.
    case destinationNotEmpty(path: String)
    /// The backup directory has no manifest.
    case manifestMissing(path: String)
    /// The manifest is not valid.
    case manifestUnreadable(path: String, reason: String)
    /// The manifest has a format this build does not read.
    case unsupportedFormat(Int)
    /// The database file does not match the manifest's checksum.
    case databaseChecksumMismatch(expected: String, actual: String)
    /// The manifest disagrees with the database it describes.
    case manifestMismatch(field: String, manifest: String, database: String)
    /// The backup's database has migrations this build does not know: it was made by a later build.
    case unknownMigrations([String])
    /// A blob row has no file.
    case blobMissing(id: String, path: String)
    /// A blob file does not have the size its row records.
    case blobSizeMismatch(id: String, path: String, expected: Int64, actual: Int64)
    /// The database failed.
    case store(StoreError)
    /// A file operation failed.
    case files(BlobStoreError)
    /// Another backup into the same directory of timestamped backups is running.
    case backupInProgress(path: String)
    /// An old backup could not be removed.
    case pruneFailed(path: String, reason: String)

    package var description: String {
        switch self {
        case .destinationNotEmpty(let path):
            "\(path) is not empty; back up or restore into a new or empty directory, never over existing data"
        case .manifestMissing(let path):
            "\(path) has no \(BackupManifest.fileName): it is not a backup directory, or the backup did not finish"
        case .manifestUnreadable(let path, let reason):
            "cannot read the backup manifest \(path): \(reason)"
        case .unsupportedFormat(let format):
            "backup manifest format \(format) is not supported; this build reads format \(BackupManifest.currentFormat)"
        case .databaseChecksumMismatch(let expected, let actual):
            "the backup's \(DataDirectory.databaseFileName) has SHA-256 \(actual), but the manifest records \(expected): the backup is damaged"
        case .manifestMismatch(let field, let manifest, let database):
            "the manifest's \(field) is \(manifest), but the backed-up database says \(database): the backup is damaged"
        case .unknownMigrations(let names):
            "the backup has schema migrations this build does not know (\(names.joined(separator: ", "))); restore it with a newer build"
        case .blobMissing(let id, let path):
            "blob \(id) is in the database but \(path) does not exist; "
                + "if files were being deleted during the backup run it again, otherwise the backup or the store is damaged"
        case .blobSizeMismatch(let id, let path, let expected, let actual):
            "blob \(id) should be \(expected) bytes, but \(path) is \(actual) bytes: the file is damaged"
        case .store(let error):
            error.description
        case .files(let error):
            error.description
        case .backupInProgress(let path):
            "another backup into \(path) is running (it holds \(path)/.lock); wait for it to finish, then run this one again"
        case .pruneFailed(let path, let reason):
            "the new backup is complete, but the old backup \(path) could not be removed (\(reason)); remove it by hand"
        }
    }
}
