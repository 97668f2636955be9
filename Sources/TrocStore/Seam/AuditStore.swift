package import Foundation

/// The hash-chained audit trail: recording an action that changes nothing else, reading entries, verifying the chain.
///
/// Every audited write of the other protocols appends its entry in its own transaction; an append first checks the
/// chain's head, so a damaged trail is refused rather than extended, and appends are serialised, so the chain never forks.
package protocol AuditStore: Sendable {
    /// Records an action that changes nothing else in the database (a download link served, a token revoked elsewhere).
    func recordAudit(_ draft: AuditDraft, now: Date) async throws(StoreError) -> AuditRecord

    /// Entries after `afterSeq`, oldest first, at most `limit` (capped at `maximumAuditPage`), optionally of one deal.
    func auditEntries(dealID: String?, limit: Int, afterSeq: Int64) async throws(StoreError) -> [AuditRecord]

    /// Walks the whole trail in one snapshot and reports the first damage: an edited, missing or moved entry, a removed
    /// tail, an altered head, or a key under which nothing verifies.
    ///
    /// A rollback of the whole database to an earlier consistent state (an old backup, an old head replayed with the
    /// entries after it), or a trail rewritten by someone holding the master key, is consistent by construction: given a
    /// checkpoint recorded elsewhere (`expecting`), the trail must still extend it, or the damage is `rolledBack` or
    /// `rewritten`.
    func verifyAudit(key: AuditKey, expecting checkpoint: AuditCheckpoint?) async throws(StoreError) -> AuditVerification
}
