package import Foundation
package import TrocCore

/// Privacy duties: the suppression list, erasure requests and the notices they send to recipients (GDPR art. 17 and 19),
/// retention purges, and the partner-privacy holds on a match.
///
/// Every requirement is one transaction; rows always go before their blob files (the caller deletes the blobs a purge or
/// a rewrite returns), so a crash leaves at worst an orphan blob for the sweep, never a row naming a missing blob.
package protocol PrivacyStore: Sendable {
    /// Adds keys to the suppression list, ignoring those already on it, and audits the counts; returns how many were new.
    func addSuppressions(_ entries: [(MatchKeyKind, MatchKey)], source: SuppressionSource, actor: AuditActor, now: Date) async throws(StoreError)
        -> Int

    /// Every suppressed key, for the engine's `SuppressionList(entries:)`.
    func suppressionEntries() async throws(StoreError) -> [(MatchKeyKind, MatchKey)]

    /// How many keys are suppressed.
    func suppressionCount() async throws(StoreError) -> Int

    /// Swaps a stored file's blob for `newBlob`, a copy without the rows an erasure removed, in one transaction, and
    /// returns the old blob's id for the caller to delete. Files of released deals too: an erasure reaches every file held.
    ///
    /// `reportJSON`, when given, replaces the ingestion report, whose counts included the removed rows.
    func replaceFileBlob(fileID: String, with newBlob: StoredBlob, removedRows: Int, reportJSON: String?, actor: AuditActor, now: Date)
        async throws(StoreError) -> String

    /// Records an erasure request once carried out, in one transaction: the counts (never who was erased), a notice to
    /// each firm that had received the person, and the person's keys taken out of the record of who received whom.
    func recordErasure(
        requestedAt: Date, filesRewritten: Int, rowsRemoved: Int, keysSuppressed: Int, deliveriesRewritten: Int, notices: [NoticeDraft],
        forgetting recipientKeys: [RecipientKey], actor: AuditActor, now: Date
    ) async throws(StoreError) -> ErasureRecord

    /// Every erasure request carried out, oldest first.
    func erasures() async throws(StoreError) -> [ErasureRecord]

    /// The deliveries whose blob is still held, oldest first: an erasure rewrites each one that carries the person.
    func heldDeliveries() async throws(StoreError) -> [DeliveryRecord]

    /// The deliveries that carried any of `keys`, with the keys each carried, oldest first.
    func deliveriesCarrying(_ keys: [RecipientKey]) async throws(StoreError) -> [IndexedDelivery]

    /// Swaps a delivery's blob for `newBlob`, a copy without the rows an erasure removed, in one transaction audited
    /// without personal data; refused once the delivery was purged. Tells whether the recipient had already claimed a
    /// download, read in the same transaction, so a download racing the swap is never missed.
    func replaceDeliveryBlob(deliveryID: String, with newBlob: StoredBlob, removedRows: Int, actor: AuditActor, now: Date) async throws(StoreError)
        -> RewrittenDelivery

    /// The notices of one firm, or of every firm when `organisationID` is nil (operators), newest first.
    func notices(organisationID: String?) async throws(StoreError) -> [NoticeRecord]

    /// The firm's acknowledgement of a notice it received, audited; the sealed content is dropped, as the firm has it.
    /// A notice to another firm is refused as not found; acknowledging again changes nothing.
    func acknowledgeNotice(id: String, actor: AuditActor, now: Date) async throws(StoreError) -> NoticeRecord

    /// Purges every stored file no deal needs any longer, in one transaction with an audit entry each: a file a deal
    /// still awaits or is matching (awaiting files, matched, accepted, approved) stays; a file of a released deal stays
    /// until the dispute window after its release ends; a file whose deals all ended unreleased goes at once; a file in
    /// no deal goes once the allowed days after its upload have passed. Rows go first; the caller then deletes the blobs.
    func purgeExpiredFiles(now: Date) async throws(StoreError) -> [PurgedFile]

    /// Records why deal `dealID` did not match although both files `fileIDs` are in, replacing an earlier reason, and
    /// audits it. Refused if the deal moved on or a file was replaced meanwhile.
    func holdMatch(dealID: String, _ hold: MatchHold, fileIDs: Set<String>, now: Date) async throws(StoreError) -> MatchHoldRecord

    /// Why deal `dealID` did not match, if it is waiting on that.
    func matchHold(dealID: String) async throws(StoreError) -> MatchHoldRecord?
}
