import Foundation
package import TrocCrypto

/// The encrypted files of a data directory: `blobs/<id>` once complete, `blobs/<id>.partial` while being written.
package struct BlobStore: BlobStorage {
    /// Suffix of a blob still being written; only a rename removes it, so a final name always holds a whole blob.
    static let partialSuffix = ".partial"

    /// The `blobs/` directory.
    package let directory: String

    /// The blob store in `directory`, created (0700) if missing.
    package init(directory: String) throws(BlobStoreError) {
        try POSIXFile.makeDirectory(directory)
        self.directory = directory
    }

    /// Path of the complete blob `id`.
    package func path(of id: String) -> String { directory + "/" + id }

    /// Starts a new blob under a fresh data key, wrapped at once by `masterKey`.
    package func makeWriter(masterKey: MasterKey) throws(BlobStoreError) -> BlobWriter {
        try BlobWriter(store: self, id: RecordID.make(RecordID.blob), masterKey: masterKey)
    }

    /// Opens blob `blobID` for streaming decryption with its wrapped data key.
    package func openReader(blobID: String, wrappedKey: WrappedKey, masterKey: MasterKey) throws(BlobStoreError) -> BlobReader {
        let dataKey = try Self.unwrap(blobID: blobID, wrappedKey: wrappedKey, masterKey: masterKey)
        return try BlobReader(id: blobID, path: path(of: blobID), dataKey: dataKey)
    }

    /// Checks `blobID` and unwraps its data key: the step every backend takes before fetching any byte.
    static func unwrap(blobID: String, wrappedKey: WrappedKey, masterKey: MasterKey) throws(BlobStoreError) -> DataKey {
        guard RecordID.isValid(blobID, prefix: RecordID.blob) else { throw .invalidBlobID(blobID) }
        do throws(KeyWrapError) {
            return try masterKey.unwrapDataKey(wrappedKey, blobID: blobID)
        } catch {
            throw .keyWrapFailed(id: blobID, error)
        }
    }

    /// Renames the written blob into place (`BlobWriter.finish()`).
    package func finish(_ writer: BlobWriter) throws(BlobStoreError) -> StoredBlob {
        try writer.finish()
    }

    /// Removes each blob now, ignoring failures (the start-up sweep collects what is left).
    package func discard(blobIDs: [String]) {
        for id in blobIDs { _ = try? delete(blobID: id) }
    }

    /// A directory's orphan sweep must not race a write (a blob is renamed into place before its row commits): at start only.
    package var sweepsWhileRunning: Bool { false }

    /// Nothing to release.
    package func shutdown() async {}

    /// Removes blob `blobID` once its row is gone; returns false if it had no file (a retried deletion).
    @discardableResult
    package func delete(blobID: String) throws(BlobStoreError) -> Bool {
        guard RecordID.isValid(blobID, prefix: RecordID.blob) else { throw .invalidBlobID(blobID) }
        let removed = try POSIXFile.unlink(path(of: blobID))
        try POSIXFile.syncDirectory(directory)
        return removed
    }

    /// Removes `.partial` files left by writes that never finished (a crash, a killed process); returns their blob ids.
    ///
    /// A writer holds an exclusive `flock` on its partial file, so a sweep skips the files of writes still in progress.
    @discardableResult
    package func sweepPartials() throws(BlobStoreError) -> [String] {
        var removed: [String] = []
        for name in try POSIXFile.names(in: directory).sorted() where name.hasSuffix(Self.partialSuffix) {
            let path = directory + "/" + name
            guard let descriptor = try? POSIXFile.open(path, O_RDONLY) else { continue }
            defer { close(descriptor) }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { continue }
            if try POSIXFile.unlink(path) { removed.append(String(name.dropLast(Self.partialSuffix.count))) }
        }
        if !removed.isEmpty { try POSIXFile.syncDirectory(directory) }
        return removed
    }
}

extension BlobStore {
    /// Removes complete blobs that no row names (`known` holds the ids the database names); returns their ids. A blob is
    /// renamed into place before its row commits, so a crash in between leaves one; run it only while nothing else
    /// writes blobs (at start).
    @discardableResult
    package func sweepOrphans(known: Set<String>) throws(BlobStoreError) -> [String] {
        var removed: [String] = []
        for name in try POSIXFile.names(in: directory).sorted() where RecordID.isValid(name, prefix: RecordID.blob) && !known.contains(name) {
            if try POSIXFile.unlink(directory + "/" + name) { removed.append(name) }
        }
        if !removed.isEmpty { try POSIXFile.syncDirectory(directory) }
        return removed
    }
}

/// A blob that `BlobWriter.finish()` put in place: what its `blob` row records.
package struct StoredBlob: Sendable, Equatable {
    /// The blob id, also its file name.
    package var id: String
    /// Its data key, wrapped by the master key with the blob id as context.
    package var wrappedKey: WrappedKey
    /// Bytes appended.
    package var plaintextByteCount: Int64
    /// Bytes of the encrypted file.
    package var storedByteCount: Int64
}
