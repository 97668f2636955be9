import Crypto
package import Foundation

/// Online backup of a data directory, and its restore.
///
/// A backup directory holds `troc.sqlite` (a consistent snapshot taken with SQLite's backup API while writes go on),
/// `blobs/` with the file of every blob row in that snapshot, and `manifest.json`, written last. Blob files never
/// change once in place, so they are hard-linked when the backup is on the same file system, and copied otherwise.
package enum Backup {
    /// Backs up `database` and the blobs it references into `directory`, which must be new or empty.
    package static func run(database: AppDatabase, blobs: BlobStore, to directory: String, now: Date) throws(BackupError) -> BackupSummary {
        try requireEmptyOrMissing(directory)
        try files { () throws(BlobStoreError) in try POSIXFile.makeDirectory(directory + "/" + DataDirectory.blobsDirectoryName) }
        let layout = DataDirectory(path: directory)
        do throws(StoreError) {
            try database.backup(toFile: layout.databasePath)
        } catch {
            throw .store(error)
        }
        let inventory = try inventory(of: layout.databasePath)
        var linked = 0
        var copied = 0
        for blob in inventory.blobs {
            let source = blobs.path(of: blob.id)
            let destination = layout.blobsPath + "/" + blob.id
            try requireSize(of: blob, at: source)
            if link(source, destination) == 0 {
                linked += 1
            } else if errno == EXDEV || errno == EPERM || errno == EMLINK {
                // Another file system, or one without hard links (or at its link limit): copy the bytes instead.
                try files { () throws(BlobStoreError) in try POSIXFile.copy(source, to: destination) }
                copied += 1
            } else if errno == ENOENT {
                throw .blobMissing(id: blob.id, path: source)
            } else {
                throw .files(.io(operation: "link to \(destination)", path: source, code: errno))
            }
        }
        let (byteCount, digest) = try checksum(of: layout.databasePath)
        let manifest = BackupManifest(
            format: BackupManifest.currentFormat, createdAt: Timestamp.stored(now), migrations: inventory.migrations,
            masterKeyIDs: inventory.masterKeyIDs,
            blobCount: inventory.blobs.count, databaseByteCount: byteCount, databaseSHA256: digest)
        try files { () throws(BlobStoreError) in
            try POSIXFile.syncDirectory(layout.blobsPath)
            try writeManifest(manifest, in: directory)
        }
        return BackupSummary(manifest: manifest, linkedBlobs: linked, copiedBlobs: copied)
    }

    /// Verifies the backup in `directory`, then copies it into `dataDirectory`, which must be new or empty.
    ///
    /// The copy is assembled in a sibling directory and renamed into place, so an interrupted restore leaves no half data directory.
    package static func restore(from directory: String, into dataDirectory: String) throws(BackupError) -> BackupSummary {
        let backup = DataDirectory(path: directory)
        let manifest = try readManifest(in: directory)
        let (byteCount, digest) = try checksum(of: backup.databasePath)
        guard digest == manifest.databaseSHA256 else { throw .databaseChecksumMismatch(expected: manifest.databaseSHA256, actual: digest) }
        let inventory = try inventory(of: backup.databasePath)
        let unknown = inventory.migrations.filter { !AppDatabase.migrationNames.contains($0) }
        guard unknown.isEmpty else { throw .unknownMigrations(unknown) }
        for (field, stated, actual) in [
            ("migrations", manifest.migrations.joined(separator: ","), inventory.migrations.joined(separator: ",")),
            ("masterKeyIDs", manifest.masterKeyIDs.joined(separator: ","), inventory.masterKeyIDs.joined(separator: ",")),
            ("blobCount", String(manifest.blobCount), String(inventory.blobs.count)),
            ("databaseByteCount", String(manifest.databaseByteCount), String(byteCount)),
        ] where stated != actual {
            throw .manifestMismatch(field: field, manifest: stated, database: actual)
        }
        for blob in inventory.blobs { try requireSize(of: blob, at: backup.blobsPath + "/" + blob.id) }

        try requireEmptyOrMissing(dataDirectory)
        let target = dataDirectory.hasSuffix("/") ? String(dataDirectory.dropLast()) : dataDirectory
        let parent = (target as NSString).deletingLastPathComponent
        let staging = DataDirectory(path: target + ".restoring-" + RecordID.make(""))
        do throws(BlobStoreError) {
            try POSIXFile.makeDirectory(staging.blobsPath)
            try POSIXFile.copy(backup.databasePath, to: staging.databasePath)
            for blob in inventory.blobs { try POSIXFile.copy(backup.blobsPath + "/" + blob.id, to: staging.blobsPath + "/" + blob.id) }
            try POSIXFile.syncDirectory(staging.blobsPath)
            try POSIXFile.syncDirectory(staging.path)
            // rename(2) replaces an empty directory, so an empty target is swapped for the complete copy in one step.
            try POSIXFile.rename(staging.path, to: target)
            try POSIXFile.syncDirectory(parent.isEmpty ? "." : parent)
        } catch {
            try? FileManager.default.removeItem(atPath: staging.path)
            throw .files(error)
        }
        return BackupSummary(manifest: manifest, linkedBlobs: 0, copiedBlobs: inventory.blobs.count)
    }

    /// Refuses a path that exists and is anything but an empty directory.
    private static func requireEmptyOrMissing(_ path: String) throws(BackupError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        let entries = try files { () throws(BlobStoreError) in try POSIXFile.names(in: path) }
        guard isDirectory.boolValue, entries.isEmpty else { throw .destinationNotEmpty(path: path) }
    }

    /// Checks that a blob's file exists with the size its row records.
    private static func requireSize(of blob: DatabaseInventory.Blob, at path: String) throws(BackupError) {
        guard let size = POSIXFile.size(path) else { throw .blobMissing(id: blob.id, path: path) }
        guard size == blob.storedByteCount else { throw .blobSizeMismatch(id: blob.id, path: path, expected: blob.storedByteCount, actual: size) }
    }

    /// The inventory of a backed-up database.
    private static func inventory(of path: String) throws(BackupError) -> DatabaseInventory {
        do throws(StoreError) {
            return try AppDatabase.inventory(ofDatabaseAt: path)
        } catch {
            throw .store(error)
        }
    }

    /// Size and SHA-256 (lowercase hex) of a file, read in large blocks.
    private static func checksum(of path: String) throws(BackupError) -> (Int64, String) {
        try files { () throws(BlobStoreError) in
            let descriptor = try POSIXFile.open(path, O_RDONLY)
            defer { close(descriptor) }
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { buffer.deallocate() }
            var hasher = SHA256()
            var total: Int64 = 0
            while true {
                let count = try POSIXFile.read(descriptor, into: buffer, path: path)
                if count == 0 { break }
                hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                total += Int64(count)
            }
            let hex = hasher.finalize().map { ($0 < 0x10 ? "0" : "") + String($0, radix: 16) }.joined()
            return (total, hex)
        }
    }

    /// Writes the manifest durably under its final name, the last step of a backup.
    private static func writeManifest(_ manifest: BackupManifest, in directory: String) throws(BlobStoreError) {
        let path = directory + "/" + BackupManifest.fileName
        let partial = path + BlobStore.partialSuffix
        // Encoding plain strings, integers and a date cannot fail.
        let data = try! manifest.encoded()
        let descriptor = try POSIXFile.open(partial, O_WRONLY | O_CREAT | O_EXCL)
        defer { close(descriptor) }
        try data.withUnsafeBytes { bytes in Result { () throws(BlobStoreError) in try POSIXFile.write(descriptor, bytes, path: partial) } }.get()
        try POSIXFile.sync(descriptor, path: partial)
        try POSIXFile.rename(partial, to: path)
        try POSIXFile.syncDirectory(directory)
    }

    /// Reads and checks the manifest of the backup in `directory`.
    private static func readManifest(in directory: String) throws(BackupError) -> BackupManifest {
        let path = directory + "/" + BackupManifest.fileName
        guard let data = FileManager.default.contents(atPath: path) else { throw .manifestMissing(path: directory) }
        let manifest: BackupManifest
        do {
            manifest = try BackupManifest.decode(data)
        } catch {
            throw .manifestUnreadable(path: path, reason: String(describing: error))
        }
        guard manifest.format == BackupManifest.currentFormat else { throw .unsupportedFormat(manifest.format) }
        return manifest
    }

    /// Runs file operations, reporting their failure as a backup error.
    private static func files<T>(_ body: () throws(BlobStoreError) -> T) throws(BackupError) -> T {
        do throws(BlobStoreError) {
            return try body()
        } catch {
            throw .files(error)
        }
    }
}
