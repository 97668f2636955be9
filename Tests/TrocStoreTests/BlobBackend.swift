import Foundation
import NIOCore
import Testing
import TrocCrypto
import TrocObjectStore
import TrocStore
import TrocTestSupport

/// The blob storage backends the blob store's tests run against.
enum BlobBackendKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case directory
    case objectStore

    var testDescription: String { rawValue }
}

/// One blob storage under test, and how to look at and alter what it holds from outside, as an operator or an attacker
/// with access to the disk or the bucket would.
final class BlobBackend {
    let kind: BlobBackendKind
    let store: any BlobStorage
    /// Where partial files go (the blob directory, or the object store's spool).
    let partialDirectory: String
    private let temporary: TemporaryDirectory
    private let client: ObjectStoreClient?
    private let prefix: String

    /// A fresh, empty store: a new directory, or a key prefix of its own in the suite's SeaweedFS bucket with no grace
    /// period (so a sweep sees every object as old enough).
    init(_ kind: BlobBackendKind, gracePeriod: TimeInterval = 0, clock: @escaping @Sendable () -> Date = Date.init) throws {
        self.kind = kind
        temporary = try TemporaryDirectory()
        prefix = "test-\(UUID().uuidString.lowercased())/blobs/"
        switch kind {
        case .directory:
            let directory = try BlobStore(directory: temporary.appending("blobs"))
            store = directory
            partialDirectory = directory.directory
            client = nil
        case .objectStore:
            let server = try #require(SeaweedFS.current)
            let client = try server.client()
            let objects = try ObjectBlobStore(
                client: client, prefix: prefix, spoolDirectory: temporary.appending("blobs-spool"), gracePeriod: gracePeriod, clock: clock)
            store = objects
            partialDirectory = objects.spool.directory
            self.client = client
        }
    }

    /// Closes the object store's connections.
    func close() async {
        await store.shutdown()
    }

    /// Names of what the store holds: partial files, then complete blobs (file names, or object keys without the prefix).
    func entries() async throws -> [String] {
        let files = try FileManager.default.contentsOfDirectory(atPath: partialDirectory)
        guard let client else { return files.sorted() }
        var names = files
        var token: String?
        repeat {
            let page = try await client.list(prefix: prefix, continuationToken: token)
            names += page.objects.map { String($0.key.dropFirst(prefix.count)) }
            token = page.nextContinuationToken
        } while token != nil
        return names.sorted()
    }

    /// The stored (encrypted) bytes of blob `id`.
    func storedBytes(_ id: String) async throws -> Data {
        guard let client else { return try Data(contentsOf: URL(fileURLWithPath: partialDirectory + "/" + id)) }
        var bytes = Data()
        for try await buffer in try await client.get(key: prefix + id).body { bytes.append(contentsOf: buffer.readableBytesView) }
        return bytes
    }

    /// Replaces the stored bytes of blob `id`.
    func replaceStoredBytes(_ id: String, with bytes: Data) async throws {
        guard let client else { return try bytes.write(to: URL(fileURLWithPath: partialDirectory + "/" + id)) }
        try await client.put(key: prefix + id, bytes: ByteBuffer(bytes: bytes))
    }

    /// The size of the stored blob `id`, or -1.
    func storedSize(_ id: String) async throws -> Int64 {
        guard let client else { return POSIXSize.of(partialDirectory + "/" + id) }
        return try await client.head(key: prefix + id).map { Int64($0.size) } ?? -1
    }

    /// The object store's client and the store's key prefix (object store only).
    func objects() throws -> (client: ObjectStoreClient, prefix: String) {
        (try #require(client), prefix)
    }
}

/// Writes `bytes` as a new blob, in slices of random sizes up to `maximumSlice`, and puts it in place.
func storeBlob(_ bytes: [UInt8], in store: any BlobStorage, masterKey: MasterKey, maximumSlice: Int = 100_000) async throws -> StoredBlob {
    let writer = try store.makeWriter(masterKey: masterKey)
    try append(bytes, to: writer, maximumSlice: maximumSlice)
    return try await store.finish(writer)
}

/// Reads a whole blob through the store's reader, in reads of `bufferSize` bytes.
func readBlob(
    _ id: String, wrappedKey: WrappedKey, in store: any BlobStorage, masterKey: MasterKey, bufferSize: Int = 70_000
) async throws -> [UInt8] {
    try readAll(try await store.openReader(blobID: id, wrappedKey: wrappedKey, masterKey: masterKey), bufferSize: bufferSize)
}
