package import TrocStore

extension Broker {
    /// Applies the retention rules to stored files now (rows first, then the blob files) and returns what went: the
    /// maintenance pass runs it, and so does every decision that ends a deal, so its files go at once.
    @discardableResult
    package func purgeExpiredFiles() async throws -> [PurgedFile] {
        let purged = try await store.purgeExpiredFiles(now: clock())
        blobs.discard(blobIDs: purged.map(\.blobID))
        return purged
    }
}
