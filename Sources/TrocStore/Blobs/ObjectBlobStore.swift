package import Foundation
import NIOCore
package import TrocCrypto
package import TrocObjectStore

/// The encrypted blobs in an S3-compatible bucket, one object per blob under `prefix` + its id, holding the same bytes
/// as the directory store's file.
///
/// Writing seals the blob into a local partial file first (the writers are synchronous: the release writes from an
/// engine thread), then streams that file into a multipart upload, one part in memory at a time. The upload is
/// completed, or aborted on any failure, before `finish` returns, so a row written afterwards names only a whole
/// object. Reading spools the still-encrypted object into an unlinked private file and reads it with the same
/// synchronous `BlobReader` the directory store uses: the engine and the release read blobs synchronously on worker
/// threads, two files at once, and bridging each of their small reads to an async network stream would park those
/// threads on the network; the spooled bytes are ciphertext and vanish with the reader.
package struct ObjectBlobStore: BlobStorage {
    /// The bucket's client.
    package let client: ObjectStoreClient
    /// The key prefix of this broker's blobs.
    package let prefix: String
    /// The local directory for partial files and spooled reads.
    package let spool: BlobStore
    /// How old an object without a row, or an unfinished multipart upload, must be before the sweep collects it, so an
    /// upload in flight on another instance is left alone.
    package let gracePeriod: TimeInterval
    /// Reads the clock the grace period is measured against.
    let clock: @Sendable () -> Date

    /// A store in `client`'s bucket under `prefix`, spooling through `spoolDirectory` (created 0700 if missing).
    package init(
        client: ObjectStoreClient, prefix: String = "blobs/", spoolDirectory: String, gracePeriod: TimeInterval = 3_600,
        clock: @escaping @Sendable () -> Date = Date.init
    ) throws(BlobStoreError) {
        self.client = client
        self.prefix = prefix
        spool = try BlobStore(directory: spoolDirectory)
        self.gracePeriod = gracePeriod
        self.clock = clock
    }

    /// The object key of blob `id`.
    package func key(of id: String) -> String { prefix + id }

    /// Starts a blob in the spool directory.
    package func makeWriter(masterKey: MasterKey) throws(BlobStoreError) -> BlobWriter {
        try spool.makeWriter(masterKey: masterKey)
    }

    /// Seals the blob, streams its file into the bucket, then removes the file.
    package func finish(_ writer: BlobWriter) async throws -> StoredBlob {
        defer { writer.abort() }
        let stored = try writer.seal()
        try await upload(file: writer.partialFilePath, as: key(of: stored.id), storedByteCount: stored.storedByteCount)
        return stored
    }

    /// Streams the sealed file at `path` into object `key`; removes the object again unless it holds `storedByteCount` bytes.
    private func upload(file path: String, as key: String, storedByteCount: Int64) async throws {
        let uploaded = try await objectStore { try await client.upload(key: key, from: SpooledFileChunks(path: path)) }
        guard Int64(uploaded.size) == storedByteCount else {
            try? await client.delete(key: key)
            throw BlobStoreError.objectStore(
                .malformedResponse(
                    operation: "upload", bucket: client.configuration.bucket, key: key,
                    reason: "stored \(uploaded.size) bytes of \(storedByteCount)"))
        }
    }

    /// Puts a blob sealed elsewhere (a file of a blob directory, `trocd admin migrate`) into the bucket as it is, unless an
    /// object of the same size is there already (a migration run again); returns whether it uploaded.
    package func put(blobID: String, sealedFile path: String, storedByteCount: Int64) async throws -> Bool {
        let key = key(of: blobID)
        let present = try await objectStore { try await client.head(key: key) }
        if let present, Int64(present.size) == storedByteCount { return false }
        try await upload(file: path, as: key, storedByteCount: storedByteCount)
        return true
    }

    /// Downloads the encrypted object into an unlinked private file and opens it.
    package func openReader(blobID: String, wrappedKey: WrappedKey, masterKey: MasterKey) async throws -> BlobReader {
        let dataKey = try BlobStore.unwrap(blobID: blobID, wrappedKey: wrappedKey, masterKey: masterKey)
        let key = key(of: blobID)
        let path = spool.directory + "/" + blobID + ".read-" + UUID().uuidString.lowercased()
        let descriptor = try POSIXFile.open(path, O_RDWR | O_CREAT | O_EXCL)
        // Unlinked at once: the bytes live as long as the descriptor, and a crash leaves nothing to sweep.
        _ = try? POSIXFile.unlink(path)
        do {
            let download = try await objectStore {
                do {
                    return try await client.get(key: key)
                } catch let error as ObjectStoreError where error.code == "NoSuchKey" {
                    throw BlobStoreError.blobNotFound(id: blobID)
                }
            }
            try await write(download, of: key, to: descriptor, path: path)
            guard lseek(descriptor, 0, SEEK_SET) == 0 else { throw BlobStoreError.io(operation: "seek", path: path, code: errno) }
        } catch {
            close(descriptor)
            throw error
        }
        return BlobReader(id: blobID, descriptor: descriptor, path: "s3://\(client.configuration.bucket)/\(key)", dataKey: dataKey)
    }

    /// Copies the objects of `blobIDs`, still encrypted, into files of the same names in `directory` (created 0700), for
    /// a backup to link; returns the directory as a blob store. An object missing is skipped: the backup then names it.
    package func copy(blobIDs: [String], into directory: String) async throws -> BlobStore {
        let target = try BlobStore(directory: directory)
        for id in blobIDs where RecordID.isValid(id, prefix: RecordID.blob) {
            let key = key(of: id)
            let download: ObjectDownload
            do {
                download = try await objectStore { try await client.get(key: key) }
            } catch BlobStoreError.objectStore(let error) where error.code == "NoSuchKey" {
                continue
            }
            let path = target.path(of: id)
            let descriptor = try POSIXFile.open(path, O_WRONLY | O_CREAT | O_EXCL)
            defer { close(descriptor) }
            try await write(download, of: key, to: descriptor, path: path)
            try POSIXFile.sync(descriptor, path: path)
        }
        try POSIXFile.syncDirectory(directory)
        return target
    }

    /// Removes the object; false if there was none.
    @discardableResult
    package func delete(blobID: String) async throws -> Bool {
        guard RecordID.isValid(blobID, prefix: RecordID.blob) else { throw BlobStoreError.invalidBlobID(blobID) }
        let key = key(of: blobID)
        return try await objectStore {
            guard try await client.head(key: key) != nil else { return false }
            try await client.delete(key: key)
            return true
        }
    }

    /// Removes the objects in a task of their own; one that fails stays an orphan until the sweep.
    package func discard(blobIDs: [String]) {
        guard !blobIDs.isEmpty else { return }
        let keys = blobIDs.filter { RecordID.isValid($0, prefix: RecordID.blob) }.map(key(of:))
        Task { [client] in
            for key in keys { try? await client.delete(key: key) }
        }
    }

    /// Removes the spool's abandoned partial files and aborts the multipart uploads under the prefix older than the grace
    /// period; returns their blob ids.
    @discardableResult
    package func sweepPartials() async throws -> [String] {
        var removed = try spool.sweepPartials()
        let cutoff = clock().addingTimeInterval(-gracePeriod)
        let pending = try await objectStore { try await client.pendingUploads(prefix: prefix) }
        for upload in pending where upload.initiated.map({ $0 <= cutoff }) ?? false {
            try await objectStore { try await client.abortUpload(key: upload.key, uploadID: upload.uploadID) }
            removed.append(String(upload.key.dropFirst(prefix.count)))
        }
        return removed
    }

    /// Removes the objects under the prefix that name a blob no row names and are older than the grace period.
    @discardableResult
    package func sweepOrphans(known: Set<String>) async throws -> [String] {
        let cutoff = clock().addingTimeInterval(-gracePeriod)
        var removed: [String] = []
        var token: String?
        repeat {
            let page = try await objectStore { try await client.list(prefix: prefix, continuationToken: token) }
            for object in page.objects {
                let id = String(object.key.dropFirst(prefix.count))
                guard RecordID.isValid(id, prefix: RecordID.blob), !known.contains(id), let written = object.lastModified, written <= cutoff
                else { continue }
                try await objectStore { try await client.delete(key: object.key) }
                removed.append(id)
            }
            token = page.nextContinuationToken
        } while token != nil
        return removed
    }

    /// The grace period protects writes in flight, so the sweeps run periodically.
    package var sweepsWhileRunning: Bool { true }

    /// Closes the client's connections.
    package func shutdown() async {
        await client.shutdown()
    }

    /// Writes the body of `download` (object `key`) to `descriptor` (`path`, for errors) as it streams in.
    private func write(_ download: ObjectDownload, of key: String, to descriptor: Int32, path: String) async throws {
        try await objectStore(operation: "GetObject", key: key) {
            for try await buffer in download.body {
                try buffer.withUnsafeReadableBytes { bytes throws(BlobStoreError) in try POSIXFile.write(descriptor, bytes, path: path) }
            }
        }
    }

    /// Runs `body`, reporting the object store's failures as blob-store errors; a failure of the connection while a body
    /// streams (not an `ObjectStoreError`) counts as the store being unreachable for `operation` on `key`.
    private func objectStore<T>(operation: String? = nil, key: String? = nil, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ObjectStoreError {
            throw BlobStoreError.objectStore(error)
        } catch let error as BlobStoreError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            guard let operation else { throw error }
            throw BlobStoreError.objectStore(
                .unreachable(operation: operation, bucket: client.configuration.bucket, key: key, reason: String(describing: error), attempts: 1))
        }
    }
}

/// A spooled blob file as a sequence of buffers for `ObjectStoreClient.upload`, read 1 MiB at a time.
///
/// The reads are blocking `read(2)` calls on a local file just written (so in the page cache): short enough for the
/// cooperative pool, and the upload waits on the network far longer than on them.
struct SpooledFileChunks: AsyncSequence {
    typealias Element = ByteBuffer
    /// The file.
    let path: String

    /// Opens the file when iteration starts.
    func makeAsyncIterator() -> Iterator { Iterator(path: path) }

    /// Reads the file from its start; closes it at its end or when dropped.
    final class Iterator: AsyncIteratorProtocol {
        /// The file, for errors.
        private let path: String
        /// The open file, or -1 before the first read and after the last.
        private var descriptor: Int32 = -1
        /// Whether the file has been opened already.
        private var opened = false

        init(path: String) {
            self.path = path
        }

        deinit {
            if descriptor >= 0 { close(descriptor) }
        }

        /// The next bytes, or nil at the end of the file.
        func next() async throws -> ByteBuffer? {
            if !opened {
                descriptor = try POSIXFile.open(path, O_RDONLY)
                opened = true
            }
            guard descriptor >= 0 else { return nil }
            var buffer = ByteBufferAllocator().buffer(capacity: 1 << 20)
            let count = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 1 << 20) { bytes throws(BlobStoreError) in
                try POSIXFile.read(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: bytes[..<(1 << 20)]), path: path)
            }
            guard count > 0 else {
                close(descriptor)
                descriptor = -1
                return nil
            }
            return buffer
        }
    }
}
