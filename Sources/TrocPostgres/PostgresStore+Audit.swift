package import Foundation
package import TrocStore

extension PostgresStore: AuditStore {
    /// Appends `draft` in its own transaction, chained after the head whichever instance wrote it.
    package func recordAudit(_ draft: AuditDraft, now: Date) async throws(StoreError) -> AuditRecord {
        let key = try requireAuditKey()
        return try await transaction { connection in
            try await PostgresAuditTrail.append(draft, key: key, now: now, on: connection, logger: logger)
        }
    }

    /// Entries after `afterSeq`, oldest first, at most `limit` (capped as SQLite caps it), optionally of one deal.
    package func auditEntries(dealID: String?, limit: Int, afterSeq: Int64) async throws(StoreError) -> [AuditRecord] {
        try await withConnection { connection in
            try await PostgresAuditTrail.entries(
                dealID: dealID, after: afterSeq, limit: AppDatabase.auditPageLimit(limit), on: connection, logger: logger)
        }
    }

    /// Walks the whole trail in one snapshot, judged as SQLite judges it.
    package func verifyAudit(key: AuditKey, expecting checkpoint: AuditCheckpoint?) async throws(StoreError) -> AuditVerification {
        try await withConnection { connection in
            try await PostgresAuditTrail.verify(key: key, expecting: checkpoint, on: connection, logger: logger)
        }
    }
}
