package import TrocCrypto

/// Where the broker keeps its encrypted blobs: a local directory (`BlobStore`) or an S3 bucket (`ObjectBlobStore`).
///
/// Both hold the same bytes: `BlobWriter` seals every blob (chunked AES-GCM under a fresh data key wrapped by the master
/// key) into a local partial file, and `BlobReader` opens and authenticates it; a backend only decides where the sealed
/// file ends up and how it is fetched back. A blob's row is written only after `finish` returns, so a row always names a
/// whole blob; a blob without a row is an orphan, which the sweeps collect.
package protocol BlobStorage: Sendable {
    /// Starts a new blob under a fresh data key, wrapped at once by `masterKey`; its ciphertext goes to a local partial file.
    func makeWriter(masterKey: MasterKey) throws(BlobStoreError) -> BlobWriter
    /// Puts a fully written blob in place and returns what its row records; when it throws, nothing of the blob is left.
    func finish(_ writer: BlobWriter) async throws -> StoredBlob
    /// Opens blob `blobID` for streaming decryption with its wrapped data key.
    func openReader(blobID: String, wrappedKey: WrappedKey, masterKey: MasterKey) async throws -> BlobReader
    /// Removes blob `blobID` once its row is gone; returns false if there was none (a retried deletion).
    @discardableResult
    func delete(blobID: String) async throws -> Bool
    /// Removes blobs whose rows are gone, from code that cannot wait; a blob it fails to remove is an orphan for the sweep.
    func discard(blobIDs: [String])
    /// Removes what writes that never finished left behind (a crash, a killed process); returns their blob ids.
    @discardableResult
    func sweepPartials() async throws -> [String]
    /// Removes stored blobs that no row names (`known` holds the ids the database names); returns their ids.
    @discardableResult
    func sweepOrphans(known: Set<String>) async throws -> [String]
    /// Whether the sweeps are safe while blobs are being written (a grace period protects writes in flight), so they may
    /// run periodically rather than only at start.
    var sweepsWhileRunning: Bool { get }
    /// Releases connections; call once the broker stops.
    func shutdown() async
}
