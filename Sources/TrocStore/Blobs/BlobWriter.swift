package import Foundation
package import TrocCrypto

/// Streams one new blob to disk: seals each chunk as bytes arrive into `blobs/<id>.partial`, then renames it into place.
///
/// Used from one task at a time. Whatever goes wrong, and if the writer is dropped without `finish()`, the partial file
/// is removed: nothing half-written ever appears under a blob's final name.
package final class BlobWriter {
    /// Sealed bytes gathered before one `write(2)`: large writes keep system-call overhead negligible.
    static let flushThreshold = 1 << 20

    /// The new blob's id.
    package let id: String
    /// The data key, wrapped by the master key with the blob id as context.
    package let wrappedKey: WrappedKey
    /// The blob directory.
    private let directory: String
    /// `blobs/<id>.partial`.
    private let partialPath: String
    /// The open partial file; -1 once closed.
    private var descriptor: Int32
    /// Whether `finish()` put the blob under its final name.
    private var isFinished = false
    /// The sealer, until `finish` consumes it or `abort` drops it.
    private var sealer: BlobSealer?
    /// Plaintext bytes per record.
    private let chunkSize: Int
    /// Plaintext not yet making a full chunk (its first `pendingCount` bytes).
    private let pending: UnsafeMutableRawBufferPointer
    /// Bytes used in `pending`.
    private var pendingCount = 0
    /// Sealed bytes not yet written.
    private var output: [UInt8] = []
    /// Plaintext bytes appended so far.
    private var plaintextByteCount: Int64 = 0
    /// Bytes written or queued for the file so far.
    private var storedByteCount: Int64 = 0

    /// Creates the partial file (exclusively, 0600, locked against sweeps) and writes the blob header.
    init(store: BlobStore, id: String, masterKey: MasterKey) throws(BlobStoreError) {
        let sealer: BlobSealer
        do throws(BlobError) {
            sealer = try BlobSealer()
        } catch {
            throw .sealingFailed(error)
        }
        do throws(KeyWrapError) {
            wrappedKey = try masterKey.wrap(sealer.dataKey, blobID: id)
        } catch {
            throw .keyWrapFailed(id: id, error)
        }
        self.id = id
        directory = store.directory
        partialPath = store.path(of: id) + BlobStore.partialSuffix
        chunkSize = sealer.chunkSize
        output.reserveCapacity(Self.flushThreshold + chunkSize + 64)
        output.append(contentsOf: sealer.header.bytes)
        storedByteCount = Int64(output.count)
        descriptor = try POSIXFile.open(partialPath, O_WRONLY | O_CREAT | O_EXCL)
        // Held until the descriptor closes, so `sweepPartials` leaves this write alone. It cannot be contended except by
        // a sweep that opened the file in the instant since its creation, and then the rename in `finish` fails cleanly.
        _ = flock(descriptor, LOCK_EX | LOCK_NB)
        // Nothing throws from here on, so `deinit` always runs and frees the buffer.
        pending = .allocate(byteCount: chunkSize, alignment: 16)
        self.sealer = .some(consume sealer)
    }

    deinit {
        discardPartial()
        pending.deallocate()
    }

    /// Encrypts and writes `bytes`; any slice size works, the writer re-cuts them into whole chunks.
    package func append(_ bytes: some ContiguousBytes) throws(BlobStoreError) {
        guard sealer != nil else { throw .writerClosed(id: id) }
        let result = bytes.withUnsafeBytes { buffer in Result { () throws(BlobStoreError) in try append(buffer) } }
        if case .failure = result { discardPartial() }
        try result.get()
    }

    /// Seals the last record, flushes the file and its directory to disk, and renames it to its final name.
    package func finish() throws(BlobStoreError) -> StoredBlob {
        guard let sealer = sealer.take() else { throw .writerClosed(id: id) }
        do throws(BlobStoreError) {
            try complete(sealer)
        } catch {
            discardPartial()
            throw error
        }
        isFinished = true
        close(descriptor)
        descriptor = -1
        return StoredBlob(id: id, wrappedKey: wrappedKey, plaintextByteCount: plaintextByteCount, storedByteCount: storedByteCount)
    }

    /// Seals the last record and writes everything to the partial file, which stays (locked against sweeps) until `abort`
    /// or the writer's end removes it: for a backend that copies the sealed file elsewhere (`partialFilePath`).
    package func seal() throws(BlobStoreError) -> StoredBlob {
        guard let sealer = sealer.take() else { throw .writerClosed(id: id) }
        do throws(BlobStoreError) {
            try sealLast(sealer)
        } catch {
            discardPartial()
            throw error
        }
        return StoredBlob(id: id, wrappedKey: wrappedKey, plaintextByteCount: plaintextByteCount, storedByteCount: storedByteCount)
    }

    /// The partial file the sealed bytes go to.
    package var partialFilePath: String { partialPath }

    /// Gives up the blob and removes its partial file; calling it again, or after `finish`, does nothing.
    package func abort() {
        discardPartial()
    }

    /// Fills and seals whole chunks, sealing straight from the caller's buffer when no partial chunk is waiting.
    private func append(_ bytes: UnsafeRawBufferPointer) throws(BlobStoreError) {
        plaintextByteCount += Int64(bytes.count)
        var rest = bytes
        if pendingCount > 0 {
            let taken = min(chunkSize - pendingCount, rest.count)
            UnsafeMutableRawBufferPointer(rebasing: pending[pendingCount..<(pendingCount + taken)]).copyMemory(
                from: UnsafeRawBufferPointer(rebasing: rest[..<taken]))
            pendingCount += taken
            rest = UnsafeRawBufferPointer(rebasing: rest[taken...])
            guard pendingCount == chunkSize else { return }
            try seal(UnsafeRawBufferPointer(pending))
            pendingCount = 0
        }
        while rest.count >= chunkSize {
            try seal(UnsafeRawBufferPointer(rebasing: rest[..<chunkSize]))
            rest = UnsafeRawBufferPointer(rebasing: rest[chunkSize...])
        }
        UnsafeMutableRawBufferPointer(rebasing: pending[..<rest.count]).copyMemory(from: rest)
        pendingCount = rest.count
    }

    /// Seals one full chunk and queues its record.
    private func seal(_ chunk: UnsafeRawBufferPointer) throws(BlobStoreError) {
        do throws(BlobError) {
            enqueue(try sealer!.seal(chunk))
        } catch {
            throw .sealingFailed(error)
        }
        if output.count >= Self.flushThreshold { try flush() }
    }

    /// Queues sealed bytes for the file.
    private func enqueue(_ record: Data) {
        output.append(contentsOf: record)
        storedByteCount += Int64(record.count)
    }

    /// Writes the final record, makes the file durable, then gives it its final name.
    private func complete(_ sealer: consuming BlobSealer) throws(BlobStoreError) {
        try sealLast(sealer)
        try POSIXFile.sync(descriptor, path: partialPath)
        let finalPath = directory + "/" + id
        try POSIXFile.rename(partialPath, to: finalPath)
        do throws(BlobStoreError) {
            try POSIXFile.syncDirectory(directory)
        } catch {
            // A blob whose name may not survive a crash is not reported as stored, so it must not stay either.
            _ = try? POSIXFile.unlink(finalPath)
            throw error
        }
    }

    /// Seals the final record and writes all queued bytes to the partial file.
    private func sealLast(_ sealer: consuming BlobSealer) throws(BlobStoreError) {
        do throws(BlobError) {
            enqueue(try sealer.finish(UnsafeRawBufferPointer(rebasing: pending[..<pendingCount])))
        } catch {
            throw .sealingFailed(error)
        }
        try flush()
    }

    /// Writes the queued bytes.
    private func flush() throws(BlobStoreError) {
        let result = output.withUnsafeBytes { bytes in
            Result { () throws(BlobStoreError) in try POSIXFile.write(descriptor, bytes, path: partialPath) }
        }
        try result.get()
        output.removeAll(keepingCapacity: true)
    }

    /// Closes and removes the partial file, unless the blob was finished.
    private func discardPartial() {
        sealer = nil
        guard !isFinished, descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        _ = try? POSIXFile.unlink(partialPath)
    }
}
