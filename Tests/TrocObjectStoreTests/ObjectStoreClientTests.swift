import Foundation
import NIOCore
import Testing
import TrocObjectStore
import TrocTestSupport

/// Round trips against a real SeaweedFS S3 gateway.
@Suite(.seaweedFS) struct ObjectStoreClientTests {
    /// The suite's server.
    var server: SeaweedFS {
        get throws { try #require(SeaweedFS.current) }
    }

    /// A key prefix of its own for each test, so tests running together never see each other's objects.
    let prefix = "test-\(UUID().uuidString.lowercased())/"

    /// Deterministic bytes (a linear congruential sequence), different for each seed.
    static func bytes(count: Int, seed: UInt32) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
    }

    /// Reads a download whole.
    static func collect(_ download: ObjectDownload) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await buffer in download.body { bytes += buffer.readableBytesView }
        return bytes
    }

    @Test func aSmallObjectRoundTripsUnderAKeyThatNeedsEncoding() async throws {
        let client = try server.client()
        defer { Task { await client.shutdown() } }
        let key = prefix + "dossier 1/été+contacts (copie).bin"
        let bytes = Self.bytes(count: 70_001, seed: 1)
        let etag = try await client.put(key: key, bytes: ByteBuffer(bytes: bytes))
        let download = try await client.get(key: key)
        #expect(download.contentLength == bytes.count)
        #expect(try await Self.collect(download) == bytes)
        let head = try #require(try await client.head(key: key))
        #expect(head.size == bytes.count)
        #expect(head.etag == etag)
        let listed = try await client.list(prefix: prefix)
        #expect(listed.objects.map(\.key) == [key])
    }

    @Test func aStreamedMultipartUploadReadsBackByteForByte() async throws {
        let client = try server.client(partSize: ObjectStoreClient.minimumPartSize)
        defer { Task { await client.shutdown() } }
        let key = prefix + "blob-30mib"
        let bytes = Self.bytes(count: 30 * 1024 * 1024 + 12_345, seed: 2)
        // Buffers of an awkward size, so that parts are cut across them.
        let chunks = stride(from: 0, to: bytes.count, by: 100_003).map { ByteBuffer(bytes: bytes[$0..<min($0 + 100_003, bytes.count)]) }
        let uploaded = try await client.upload(key: key, from: chunks.async)
        #expect(uploaded.size == bytes.count)
        // A multipart ETag is the MD5 of the parts' MD5s, suffixed with their count: 7 parts of 5 MiB at most.
        #expect(uploaded.etag.hasSuffix("-7\""))
        #expect(try await Self.collect(try await client.get(key: key)) == bytes)
        #expect(try await client.head(key: key)?.size == bytes.count)
        #expect(try await client.pendingUploads(prefix: prefix).isEmpty)
    }

    /// The source of an upload failing after two parts have been sent.
    struct SourceFailed: Error {}

    @Test func aFailedUploadIsAbortedAndLeavesNothingBehind() async throws {
        let client = try server.client(partSize: ObjectStoreClient.minimumPartSize)
        defer { Task { await client.shutdown() } }
        let key = prefix + "never-whole"
        let source = AsyncThrowingStream<ByteBuffer, any Error> { continuation in
            for index in 0..<12 {
                continuation.yield(ByteBuffer(bytes: Self.bytes(count: 1024 * 1024, seed: UInt32(index))))
            }
            continuation.finish(throwing: SourceFailed())
        }
        await #expect(throws: SourceFailed.self) {
            try await client.upload(key: key, from: source)
        }
        #expect(try await client.head(key: key) == nil)
        #expect(try await client.list(prefix: prefix).objects.isEmpty)
        #expect(try await client.pendingUploads(prefix: prefix).isEmpty)
    }

    @Test func aDeletedObjectIsGoneAndReadingItNamesTheKey() async throws {
        let client = try server.client()
        defer { Task { await client.shutdown() } }
        let key = prefix + "to-delete"
        try await client.put(key: key, bytes: ByteBuffer(string: "soon gone"))
        try await client.delete(key: key)
        #expect(try await client.head(key: key) == nil)
        let error = try await #require(throws: ObjectStoreError.self) { try await client.get(key: key) }
        #expect(error.code == "NoSuchKey")
        #expect(error.status == 404)
        #expect(String(describing: error).contains("s3://\(SeaweedFS.bucket)/\(key)"))
        // Deleting again is not an error, as in S3.
        try await client.delete(key: key)
    }

    @Test func aListingIsReadPageByPageWithContinuationTokens() async throws {
        let client = try server.client()
        defer { Task { await client.shutdown() } }
        let keys = (1...5).map { prefix + "page/\($0)" }
        for key in keys { try await client.put(key: key, bytes: ByteBuffer(string: key)) }
        try await client.put(key: prefix + "other", bytes: ByteBuffer(string: "outside the prefix"))
        var pages: [[String]] = []
        var token: String?
        repeat {
            let page = try await client.list(prefix: prefix + "page/", continuationToken: token, maxKeys: 2)
            pages.append(page.objects.map(\.key))
            token = page.nextContinuationToken
        } while token != nil && pages.count < 10
        #expect(pages == [Array(keys[0..<2]), Array(keys[2..<4]), [keys[4]]])
    }

    @Test func aWrongSecretIsATypedSignatureError() async throws {
        let client = try server.client(secret: "not-the-secret")
        defer { Task { await client.shutdown() } }
        let error = try await #require(throws: ObjectStoreError.self) { try await client.list(prefix: prefix) }
        #expect(error.code == "SignatureDoesNotMatch")
        #expect(error.status == 403)
        let message = String(describing: error)
        #expect(message.contains("s3://\(SeaweedFS.bucket)") && message.contains("AWS_SECRET_ACCESS_KEY"))
        #expect(!message.contains("not-the-secret"))
    }
}
