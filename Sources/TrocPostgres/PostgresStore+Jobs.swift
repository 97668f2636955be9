package import Foundation
import PostgresNIO
package import TrocStore

/// The job queue over the store's pool: deal work that any instance finishes if the one running it dies
/// (`PostgresJobQueue` holds the claiming rules).
extension PostgresStore {
    /// Records a pending job of `kind` on `dealID`; nil when one is open already (pending, or running under a lease).
    package func enqueueJob(kind: String, dealID: String, payload: String, now: Date) async throws(StoreError) -> Int64? {
        try await withConnection { connection in
            try await PostgresJobQueue.enqueue(kind: kind, dealID: dealID, payload: payload, now: now, on: connection, logger: logger)
        }
    }

    /// Claims job `id` for `queue`'s holder if it is pending or its lease has lapsed; nil otherwise.
    package func claimJob(id: Int64, kinds: [String], queue: PostgresJobQueue, now: Date) async throws(StoreError) -> PostgresJobQueue.Job? {
        try await withConnection { connection in try await queue.claim(kinds: kinds, id: id, now: now, on: connection, logger: logger) }
    }

    /// Claims the oldest claimable job of `kinds` for `queue`'s holder, or nil.
    package func claimNextJob(kinds: [String], queue: PostgresJobQueue, now: Date) async throws(StoreError) -> PostgresJobQueue.Job? {
        try await withConnection { connection in try await queue.claim(kinds: kinds, now: now, on: connection, logger: logger) }
    }

    /// Extends the lease of a job `queue`'s holder holds; false once another instance took it over.
    package func heartbeat(_ job: PostgresJobQueue.Job, queue: PostgresJobQueue, now: Date) async throws(StoreError) -> Bool {
        try await withConnection { connection in try await queue.heartbeat(job, now: now, on: connection, logger: logger) }
    }

    /// Marks a held job done or failed; false when `queue`'s holder no longer holds it.
    package func completeJob(_ job: PostgresJobQueue.Job, queue: PostgresJobQueue, failed: Bool, outcome: String, now: Date) async throws(StoreError)
        -> Bool
    {
        try await withConnection { connection in
            try await queue.complete(job, failed: failed, outcome: outcome, now: now, on: connection, logger: logger)
        }
    }

    /// How many jobs of `kind` on `dealID` are open (pending, or running under a lease): 0 or 1.
    package func openJobs(kind: String, dealID: String) async throws(StoreError) -> Int {
        try await withConnection { connection in
            try await count(
                #"SELECT count(*) FROM "job" WHERE "kind" = \#(kind) AND "dealID" = \#(dealID) AND "state" IN ('pending', 'running')"#,
                on: connection)
        }
    }
}
