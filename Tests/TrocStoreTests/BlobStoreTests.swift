import Foundation
import Testing
import TrocCore
import TrocCrypto
import TrocStore
import TrocTestSupport

/// The blob store writes, reads and removes encrypted blobs, and never leaves a half-written one under a final name: the
/// same tests, asserting the same things, on the directory store and on the object store (a real SeaweedFS).
@Suite(.seaweedFS) struct BlobStoreTests {
    let masterKey = MasterKey.generate()

    /// Runs `body` on a fresh store of `kind`, closing it afterwards.
    func withStore(_ kind: BlobBackendKind, _ body: (BlobBackend, any BlobStorage) async throws -> Void) async throws {
        let backend = try BlobBackend(kind)
        do {
            try await body(backend, backend.store)
        } catch {
            await backend.close()
            throw error
        }
        await backend.close()
    }

    @Test(
        "blobs round-trip at every length around the chunk size, written in random slices",
        arguments: BlobBackendKind.allCases,
        [0, 1, ChunkSizeLimits.standard - 1, ChunkSizeLimits.standard, ChunkSizeLimits.standard + 1, 5 << 20])
    func roundTrip(kind: BlobBackendKind, length: Int) async throws {
        try await withStore(kind) { backend, store in
            let plaintext = patternBytes(count: length, seed: UInt64(length))
            let stored = try await storeBlob(plaintext, in: store, masterKey: masterKey, maximumSlice: max(1, length / 7 + 3))
            #expect(stored.plaintextByteCount == Int64(length))
            #expect(try await stored.storedByteCount == backend.storedSize(stored.id))
            #expect(stored.wrappedKey.masterKeyID == masterKey.id)
            #expect(try await backend.entries() == [stored.id])
            #expect(try await readBlob(stored.id, wrappedKey: stored.wrappedKey, in: store, masterKey: masterKey) == plaintext)
            #expect(try await readBlob(stored.id, wrappedKey: stored.wrappedKey, in: store, masterKey: masterKey, bufferSize: 1000) == plaintext)
        }
    }

    @Test("the reader serves ContactFileReader-style consumers: reads past the end keep returning 0", arguments: BlobBackendKind.allCases)
    func readerEnd(kind: BlobBackendKind) async throws {
        try await withStore(kind) { _, store in
            let stored = try await storeBlob(patternBytes(count: 10, seed: 1), in: store, masterKey: masterKey)
            let source: any ContactByteSource = try await store.openReader(blobID: stored.id, wrappedKey: stored.wrappedKey, masterKey: masterKey)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 1)
            defer { buffer.deallocate() }
            #expect(try source.read(into: buffer) == 10)
            #expect(try source.read(into: buffer) == 0)
            #expect(try source.read(into: buffer) == 0)
        }
    }

    @Test("a flipped bit, a truncation or another blob's key is refused", arguments: BlobBackendKind.allCases)
    func tampering(kind: BlobBackendKind) async throws {
        try await withStore(kind) { backend, store in
            let plaintext = patternBytes(count: 3 * ChunkSizeLimits.standard + 100, seed: 9)
            let stored = try await storeBlob(plaintext, in: store, masterKey: masterKey)
            let original = try await backend.storedBytes(stored.id)
            let masterKey = masterKey
            let read = { try await readBlob(stored.id, wrappedKey: stored.wrappedKey, in: store, masterKey: masterKey) }

            var flipped = original
            flipped[ChunkSizeLimits.standard + 500] ^= 0x01
            try await backend.replaceStoredBytes(stored.id, with: flipped)
            await #expect(
                throws: BlobStoreError.damaged(
                    id: stored.id, .framing(.chunkAuthenticationFailed(index: 1, offset: 13 + ChunkSizeLimits.standard + 21)))
            ) {
                try await read()
            }

            let recordSize = ChunkSizeLimits.standard + 21
            try await backend.replaceStoredBytes(stored.id, with: original.prefix(13 + 3 * recordSize))
            await #expect(throws: BlobStoreError.damaged(id: stored.id, .framing(.truncated(completeChunks: 3, offset: 13 + 3 * recordSize)))) {
                try await read()
            }

            try await backend.replaceStoredBytes(stored.id, with: original)
            #expect(try await read() == plaintext)

            // Another blob's wrapped key does not unwrap for this blob id.
            let other = try await storeBlob([1, 2, 3], in: store, masterKey: masterKey)
            await #expect(throws: BlobStoreError.self) {
                try await readBlob(stored.id, wrappedKey: other.wrappedKey, in: store, masterKey: masterKey)
            }
            await #expect(
                throws: BlobStoreError.keyWrapFailed(id: stored.id, .wrongMasterKey(wrappedBy: masterKey.id, loaded: MasterKeyFixture.other.id))
            ) {
                try await readBlob(stored.id, wrappedKey: stored.wrappedKey, in: store, masterKey: MasterKeyFixture.other)
            }
        }
    }

    @Test("a missing blob and a malformed id are reported as such", arguments: BlobBackendKind.allCases)
    func missing(kind: BlobBackendKind) async throws {
        try await withStore(kind) { _, store in
            let stored = try await storeBlob([1], in: store, masterKey: masterKey)
            #expect(try await store.delete(blobID: stored.id))
            #expect(try await !store.delete(blobID: stored.id))
            await #expect(throws: BlobStoreError.blobNotFound(id: stored.id)) {
                try await store.openReader(blobID: stored.id, wrappedKey: stored.wrappedKey, masterKey: masterKey)
            }
            await #expect(throws: BlobStoreError.invalidBlobID("../troc.sqlite")) {
                try await store.openReader(blobID: "../troc.sqlite", wrappedKey: stored.wrappedKey, masterKey: masterKey)
            }
            await #expect(throws: BlobStoreError.invalidBlobID("../x")) { try await store.delete(blobID: "../x") }
        }
    }

    @Test("abort and a dropped writer leave no file; a closed writer refuses more work", arguments: BlobBackendKind.allCases)
    func abortAndDeinit(kind: BlobBackendKind) async throws {
        try await withStore(kind) { backend, store in
            let aborted = try store.makeWriter(masterKey: masterKey)
            try aborted.append(patternBytes(count: 100_000, seed: 1))
            #expect(try await backend.entries() == [aborted.id + ".partial"])
            aborted.abort()
            #expect(try await backend.entries().isEmpty)
            #expect(throws: BlobStoreError.writerClosed(id: aborted.id)) { try aborted.append([1]) }
            await #expect(throws: BlobStoreError.writerClosed(id: aborted.id)) { try await store.finish(aborted) }

            var droppedID = ""
            do {
                let dropped = try store.makeWriter(masterKey: masterKey)
                try dropped.append(patternBytes(count: 100_000, seed: 2))
                droppedID = dropped.id
                #expect(try await backend.entries() == [dropped.id + ".partial"])
            }
            #expect(!droppedID.isEmpty)
            #expect(try await backend.entries().isEmpty)

            let finished = try store.makeWriter(masterKey: masterKey)
            try finished.append([1, 2, 3])
            let stored = try await store.finish(finished)
            finished.abort()
            #expect(try await backend.entries() == [stored.id])
            await #expect(throws: BlobStoreError.writerClosed(id: stored.id)) { try await store.finish(finished) }
        }
    }

    @Test("sweepPartials removes abandoned partial files but not a write in progress", arguments: BlobBackendKind.allCases)
    func sweep(kind: BlobBackendKind) async throws {
        try await withStore(kind) { backend, store in
            let abandoned = backend.partialDirectory + "/blb_aaaaaaaaaaaaaaaa.partial"
            try Data(repeating: 7, count: 1000).write(to: URL(fileURLWithPath: abandoned))
            let active = try store.makeWriter(masterKey: masterKey)
            try active.append(patternBytes(count: 50_000, seed: 3))
            let complete = try await storeBlob([9, 9], in: store, masterKey: masterKey)

            #expect(try await store.sweepPartials() == ["blb_aaaaaaaaaaaaaaaa"])
            #expect(try await backend.entries() == [active.id + ".partial", complete.id].sorted())
            let stored = try await store.finish(active)
            #expect(
                try await readBlob(stored.id, wrappedKey: stored.wrappedKey, in: store, masterKey: masterKey) == patternBytes(count: 50_000, seed: 3))
            #expect(try await store.sweepPartials().isEmpty)
            #expect(try await backend.entries() == [stored.id, complete.id].sorted())
        }
    }

    /// The crash campaign's second finding (seed 20261206, kill 6): a blob renamed into place whose row never committed
    /// stayed on disk for ever. The sweep at start removes it and keeps named blobs and writes in progress.
    @Test(arguments: BlobBackendKind.allCases)
    func sweepOrphansRemovesCompleteBlobsNoRowNames(kind: BlobBackendKind) async throws {
        try await withStore(kind) { backend, store in
            let named = try await storeBlob([1, 2], in: store, masterKey: masterKey)
            let orphan = try await storeBlob([3, 4], in: store, masterKey: masterKey)
            let active = try store.makeWriter(masterKey: masterKey)
            try active.append(patternBytes(count: 100, seed: 1))

            #expect(try await store.sweepOrphans(known: [named.id]) == [orphan.id])
            #expect(try await backend.entries() == [active.id + ".partial", named.id].sorted())
            #expect(try await store.sweepOrphans(known: [named.id]).isEmpty)
        }
    }
}

/// A second master key, fixed for the process, for tests that need a wrong one.
enum MasterKeyFixture {
    static let other = MasterKey.generate()
}

/// File sizes, for comparing with what the store reports.
enum POSIXSize {
    /// Size of the file at `path`, or -1.
    static func of(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.int64Value ?? -1
    }
}
