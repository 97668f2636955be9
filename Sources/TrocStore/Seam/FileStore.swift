package import Foundation

/// The partners' uploaded contact files, the encrypted blobs they are stored in, and each firm's storage quota.
///
/// A file's row names a blob already stored whole (`BlobStorage.finish` returned it), so no row points at a partial blob;
/// every requirement is one transaction.
package protocol FileStore: Sendable {
    /// Records an uploaded file and its blob together, in one transaction, with the ingestion report and the report its
    /// firm sees as opaque JSON.
    ///
    /// Refused when the file would take its organisation over a quota, checked in the same transaction.
    func createFile(
        organisationID: String, blob stored: StoredBlob, name: String, byteCount: Int64, reportJSON: String, partnerReportJSON: String?, now: Date
    ) async throws(StoreError) -> FileRecord

    /// The file with `id`, or nil.
    func file(id: String) async throws(StoreError) -> FileRecord?

    /// The files of one organisation, or of all when `organisationID` is nil, oldest first.
    func files(organisationID: String?) async throws(StoreError) -> [FileRecord]

    /// The blob row with `id`, or nil.
    func blob(id: String) async throws(StoreError) -> BlobRecord?

    /// The ids of every blob row.
    func blobIDs() async throws(StoreError) -> Set<String>

    /// What `organisationID`'s stored files take, and its quotas.
    func storage(organisationID: String) async throws(StoreError) -> FirmStorage

    /// Deletes a firm's file that no deal refers to, with its blob row, audited; returns it so the caller removes the blob file.
    ///
    /// A partner deletes only its own files (another firm's answers not found). A file attached to a deal, in any state,
    /// is refused: the deal's record and its retention decide when it goes.
    func deleteUnattachedFile(id: String, actor: AuditActor, now: Date) async throws(StoreError) -> FileRecord
}
