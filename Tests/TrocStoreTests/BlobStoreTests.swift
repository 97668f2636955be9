import Foundation
import Testing
import TrocCore
import TrocCrypto
import TrocStore

/// The blob store writes, reads and removes encrypted blobs, and never leaves a half-written one under a final name.
@Suite struct BlobStoreTests {
    let directory: TemporaryDirectory
    let store: BlobStore
    let masterKey = MasterKey.generate()

    init() throws {
        directory = try TemporaryDirectory()
        store = try BlobStore(directory: directory.appending("blobs"))
    }

    /// File names in the blob directory.
    func entries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: store.directory).sorted()
    }

    @Test(
        "blobs round-trip at every length around the chunk size, written in random slices",
        arguments: [0, 1, ChunkSizeLimits.standard - 1, ChunkSizeLimits.standard, ChunkSizeLimits.standard + 1, 5 << 20])
    func roundTrip(length: Int) throws {
        let plaintext = patternBytes(count: length, seed: UInt64(length))
        let stored = try storeBlob(plaintext, in: store, masterKey: masterKey, maximumSlice: max(1, length / 7 + 3))
        #expect(stored.plaintextByteCount == Int64(length))
        #expect(stored.storedByteCount == POSIXSize.of(store.path(of: stored.id)))
        #expect(stored.wrappedKey.masterKeyID == masterKey.id)
        #expect(try entries() == [stored.id])
        #expect(try readBlob(stored.id, wrappedKey: stored.wrappedKey, in: store, masterKey: masterKey) == plaintext)
        #expect(try readBlob(stored.id, wrappedKey: stored.wrappedKey, in: store, masterKey: masterKey, bufferSize: 1000) == plaintext)
    }

    @Test("the reader serves ContactFileReader-style consumers: reads past the end keep returning 0")
    func readerEnd() throws {
        let stored = try storeBlob(patternBytes(count: 10, seed: 1), in: store, masterKey: masterKey)
        let source: any ContactByteSource = try store.openReader(blobID: stored.id, wrappedKey: stored.wrappedKey, masterKey: masterKey)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 1)
        defer { buffer.deallocate() }
        #expect(try source.read(into: buffer) == 10)
        #expect(try source.read(into: buffer) == 0)
        #expect(try source.read(into: buffer) == 0)
    }

    @Test("a flipped bit, a truncation or another blob's key is refused")
    func tampering() throws {
        let plaintext = patternBytes(count: 3 * ChunkSizeLimits.standard + 100, seed: 9)
        let stored = try storeBlob(plaintext, in: store, masterKey: masterKey)
        let path = store.path(of: stored.id)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let read = { try readBlob(stored.id, wrappedKey: stored.wrappedKey, in: self.store, masterKey: self.masterKey) }

        var flipped = original
        flipped[ChunkSizeLimits.standard + 500] ^= 0x01
        try flipped.write(to: URL(fileURLWithPath: path))
        #expect(
            throws: BlobStoreError.damaged(id: stored.id, .framing(.chunkAuthenticationFailed(index: 1, offset: 13 + ChunkSizeLimits.standard + 21)))
        ) {
            try read()
        }

        let recordSize = ChunkSizeLimits.standard + 21
        try original.prefix(13 + 3 * recordSize).write(to: URL(fileURLWithPath: path))
        #expect(throws: BlobStoreError.damaged(id: stored.id, .framing(.truncated(completeChunks: 3, offset: 13 + 3 * recordSize)))) { try read() }

        try original.write(to: URL(fileURLWithPath: path))
        #expect(try read() == plaintext)

        // Another blob's wrapped key does not unwrap for this blob id.
        let other = try storeBlob([1, 2, 3], in: store, masterKey: masterKey)
        #expect(throws: BlobStoreError.self) {
            try readBlob(stored.id, wrappedKey: other.wrappedKey, in: store, masterKey: masterKey)
        }
        #expect(throws: BlobStoreError.keyWrapFailed(id: stored.id, .wrongMasterKey(wrappedBy: masterKey.id, loaded: MasterKeyFixture.other.id))) {
            try readBlob(stored.id, wrappedKey: stored.wrappedKey, in: store, masterKey: MasterKeyFixture.other)
        }
    }

    @Test("a missing blob and a malformed id are reported as such")
    func missing() throws {
        let stored = try storeBlob([1], in: store, masterKey: masterKey)
        #expect(try store.delete(blobID: stored.id))
        #expect(try !store.delete(blobID: stored.id))
        #expect(throws: BlobStoreError.blobNotFound(id: stored.id)) {
            try store.openReader(blobID: stored.id, wrappedKey: stored.wrappedKey, masterKey: masterKey)
        }
        #expect(throws: BlobStoreError.invalidBlobID("../troc.sqlite")) {
            try store.openReader(blobID: "../troc.sqlite", wrappedKey: stored.wrappedKey, masterKey: masterKey)
        }
        #expect(throws: BlobStoreError.invalidBlobID("../x")) { try store.delete(blobID: "../x") }
    }

    @Test("abort and a dropped writer leave no file; a closed writer refuses more work")
    func abortAndDeinit() throws {
        let aborted = try store.makeWriter(masterKey: masterKey)
        try aborted.append(patternBytes(count: 100_000, seed: 1))
        #expect(try entries() == [aborted.id + ".partial"])
        aborted.abort()
        #expect(try entries().isEmpty)
        #expect(throws: BlobStoreError.writerClosed(id: aborted.id)) { try aborted.append([1]) }
        #expect(throws: BlobStoreError.writerClosed(id: aborted.id)) { try aborted.finish() }

        var droppedID = ""
        do {
            let dropped = try store.makeWriter(masterKey: masterKey)
            try dropped.append(patternBytes(count: 100_000, seed: 2))
            droppedID = dropped.id
            #expect(try entries() == [dropped.id + ".partial"])
        }
        #expect(!droppedID.isEmpty)
        #expect(try entries().isEmpty)

        let finished = try store.makeWriter(masterKey: masterKey)
        try finished.append([1, 2, 3])
        let stored = try finished.finish()
        finished.abort()
        #expect(try entries() == [stored.id])
        #expect(throws: BlobStoreError.writerClosed(id: stored.id)) { try finished.finish() }
    }

    @Test("sweepPartials removes abandoned partial files but not a write in progress")
    func sweep() throws {
        let abandoned = store.directory + "/blb_aaaaaaaaaaaaaaaa.partial"
        try Data(repeating: 7, count: 1000).write(to: URL(fileURLWithPath: abandoned))
        let active = try store.makeWriter(masterKey: masterKey)
        try active.append(patternBytes(count: 50_000, seed: 3))
        let complete = try storeBlob([9, 9], in: store, masterKey: masterKey)

        #expect(try store.sweepPartials() == ["blb_aaaaaaaaaaaaaaaa"])
        #expect(try entries() == [active.id + ".partial", complete.id].sorted())
        let stored = try active.finish()
        #expect(try readBlob(stored.id, wrappedKey: stored.wrappedKey, in: store, masterKey: masterKey) == patternBytes(count: 50_000, seed: 3))
        #expect(try store.sweepPartials().isEmpty)
        #expect(try entries() == [stored.id, complete.id].sorted())
    }

    /// The crash campaign's second finding (seed 20261206, kill 6): a blob renamed into place whose row never committed
    /// stayed on disk for ever. The sweep at start removes it and keeps named blobs and writes in progress.
    @Test func sweepOrphansRemovesCompleteBlobsNoRowNames() throws {
        let named = try storeBlob([1, 2], in: store, masterKey: masterKey)
        let orphan = try storeBlob([3, 4], in: store, masterKey: masterKey)
        let active = try store.makeWriter(masterKey: masterKey)
        try active.append(patternBytes(count: 100, seed: 1))

        #expect(try store.sweepOrphans(known: [named.id]) == [orphan.id])
        #expect(try entries() == [active.id + ".partial", named.id].sorted())
        #expect(try store.sweepOrphans(known: [named.id]).isEmpty)
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
