import Foundation
import NIOCore
import Synchronization
import Testing
import TrocCrypto
import TrocObjectStore
import TrocStore
import TrocTestSupport

/// What only the object store does: nothing half-visible when the bucket refuses a blob, and a sweep that collects
/// orphans and abandoned multipart uploads only once they are older than the grace period.
@Suite(.seaweedFS) struct ObjectBlobStoreTests {
    let masterKey = MasterKey.generate()

    /// Runs `body` on `backend`, closing it afterwards.
    func with(_ backend: BlobBackend, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            await backend.close()
            throw error
        }
        await backend.close()
    }

    @Test func aBlobTheBucketRefusesLeavesNoObjectNoUploadAndNoSpoolFile() async throws {
        let server = try #require(SeaweedFS.current)
        let backend = try BlobBackend(.objectStore)
        let (client, prefix) = try backend.objects()
        let refused = try ObjectBlobStore(
            client: try server.client(secret: "not-the-secret"), prefix: prefix, spoolDirectory: backend.partialDirectory)
        try await with(backend) {
            try await finishRefused(refused, backend: backend, client: client, prefix: prefix)
        }
        await refused.shutdown()
    }

    /// Writes 12 MiB through `refused`, whose credentials the bucket does not accept, and checks nothing is left.
    func finishRefused(_ refused: ObjectBlobStore, backend: BlobBackend, client: ObjectStoreClient, prefix: String) async throws {

        let writer = try refused.makeWriter(masterKey: masterKey)
        try writer.append(patternBytes(count: 12 << 20, seed: 4))
        await #expect {
            try await refused.finish(writer)
        } throws: { error in
            guard case .objectStore(let failure) = error as? BlobStoreError else { return false }
            return failure.code == "SignatureDoesNotMatch" || failure.code == "InvalidAccessKeyId"
        }
        #expect(try await backend.entries().isEmpty)
        #expect(try await client.pendingUploads(prefix: prefix).isEmpty)
    }

    @Test func theSweepCollectsOrphansAndAbandonedUploadsOnlyPastTheGracePeriod() async throws {
        let clock = JumpingClock()
        let backend = try BlobBackend(.objectStore, gracePeriod: 3_600) { clock.now }
        try await with(backend) { try await sweep(backend, clock: clock) }
    }

    /// The sweep test's steps, on a store read the time from `clock`.
    func sweep(_ backend: BlobBackend, clock: JumpingClock) async throws {
        let store = backend.store
        let (client, prefix) = try backend.objects()
        let named = try await storeBlob(patternBytes(count: 100, seed: 1), in: store, masterKey: masterKey)
        let orphan = try await storeBlob(patternBytes(count: 100, seed: 2), in: store, masterKey: masterKey)

        // An upload in flight (on this or another instance): one part sent, the next one not yet there.
        let abandonedID = "blb_bbbbbbbbbbbbbbbb"
        let (source, feed) = AsyncStream<ByteBuffer>.makeStream()
        feed.yield(ByteBuffer(bytes: patternBytes(count: ObjectStoreClient.minimumPartSize + 1, seed: 3)))
        let upload = Task { try await client.upload(key: prefix + abandonedID, from: source) }
        while try await client.pendingUploads(prefix: prefix).isEmpty { await Task.yield() }

        // Young: everything stays.
        #expect(try await store.sweepPartials().isEmpty)
        #expect(try await store.sweepOrphans(known: [named.id]).isEmpty)
        #expect(try await backend.entries() == [named.id, orphan.id].sorted())
        #expect(try await client.pendingUploads(prefix: prefix).map(\.key) == [prefix + abandonedID])

        // Two hours on, past the grace period of one: the orphan and the upload go, the named blob stays and reads back.
        clock.jump(by: 7_200)
        #expect(try await store.sweepPartials() == [abandonedID])
        #expect(try await store.sweepOrphans(known: [named.id]) == [orphan.id])
        #expect(try await backend.entries() == [named.id])
        #expect(try await client.pendingUploads(prefix: prefix).isEmpty)
        #expect(try await readBlob(named.id, wrappedKey: named.wrappedKey, in: store, masterKey: masterKey) == patternBytes(count: 100, seed: 1))

        // The abandoned uploader's next step fails, and no object appears.
        feed.finish()
        _ = try? await upload.value
        #expect(try await client.head(key: prefix + abandonedID) == nil)
    }
}

/// The real time, plus jumps a test makes: the grace period is tested without waiting for it.
final class JumpingClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)

    /// Now, as the store sees it.
    var now: Date { Date().addingTimeInterval(offset.withLock { $0 }) }

    /// Moves the store's time `seconds` forward.
    func jump(by seconds: TimeInterval) {
        offset.withLock { $0 += seconds }
    }
}
