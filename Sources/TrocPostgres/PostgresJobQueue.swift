package import Foundation
package import Logging
package import PostgresNIO
import TrocStore

/// Jobs that any `trocd` instance may run, claimed with `FOR UPDATE SKIP LOCKED` under a lease that heartbeats extend.
///
/// A claimer takes the oldest job that is pending or whose holder let its lease lapse (an instance that died or hung),
/// skipping rows another claimer is locking at that moment, so two claimers never take the same job. Every later step
/// (heartbeat, completion) names the holder and is guarded by it: once another instance has taken the job over, the
/// stale holder's heartbeat and completion change nothing, and a completion run in the same transaction as the job's
/// effects lets the caller roll those effects back.
package struct PostgresJobQueue: Sendable {
    /// A claimed job, as its holder sees it.
    package struct Job: Sendable, Hashable {
        /// The job's id.
        package var id: Int64
        /// What to do, `match` or `release`.
        package var kind: String
        /// The deal concerned, if any.
        package var dealID: String?
        /// The job's parameters, a JSON object.
        package var payload: String
        /// How many claims it has had, this one included: above 1, an earlier holder may have done part of it.
        package var attempts: Int64
    }

    /// Who claims: one name per instance (host and process), recorded as the job's holder.
    package var holder: String
    /// How long a claim or heartbeat keeps the job; a holder heart-beats well within it.
    package var lease: Duration

    /// A queue client for `holder` with leases of `lease`.
    package init(holder: String, lease: Duration) {
        self.holder = holder
        self.lease = lease
    }

    /// Records a pending job; enqueueing again a job of the same kind and deal that is still open adds nothing and returns nil.
    @discardableResult
    package static func enqueue(
        kind: String, dealID: String?, payload: String = "{}", now: Date, on connection: PostgresConnection, logger: Logger
    ) async throws -> Int64? {
        let rows = try await connection.query(
            #"""
            INSERT INTO "job" ("kind", "dealID", "payload", "state", "attempts", "createdAt")
            VALUES (\#(kind), \#(dealID), \#(payload), 'pending', 0, \#(Timestamp.seconds(now)))
            ON CONFLICT ("kind", "dealID") WHERE "state" IN ('pending', 'running') DO NOTHING RETURNING "id"
            """#, logger: logger)
        for try await id in rows.decode(Int64.self) { return id }
        return nil
    }

    /// Claims the oldest claimable job of one of `kinds` at `now` (job `id` only, when given), or returns nil when there is
    /// none.
    package func claim(kinds: [String], id: Int64? = nil, now: Date, on connection: PostgresConnection, logger: Logger) async throws -> Job? {
        let seconds = Timestamp.seconds(now)
        let rows = try await connection.query(
            #"""
            UPDATE "job" SET "state" = 'running', "holder" = \#(holder), "attempts" = "attempts" + 1, "heartbeatAt" = \#(seconds),
                "leaseExpiresAt" = \#(seconds + leaseSeconds)
            WHERE "id" = (
                SELECT "id" FROM "job"
                WHERE "kind" = ANY(\#(kinds)) AND (\#(id)::bigint IS NULL OR "id" = \#(id))
                    AND ("state" = 'pending' OR ("state" = 'running' AND "leaseExpiresAt" <= \#(seconds)))
                ORDER BY "id" LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING "id", "kind", "dealID", "payload", "attempts"
            """#, logger: logger)
        for try await (id, kind, dealID, payload, attempts) in rows.decode((Int64, String, String?, String, Int64).self) {
            return Job(id: id, kind: kind, dealID: dealID, payload: payload, attempts: attempts)
        }
        return nil
    }

    /// Extends the lease of a job this holder still holds; false when another instance has taken it over or it is finished.
    package func heartbeat(_ job: Job, now: Date, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        let seconds = Timestamp.seconds(now)
        let rows = try await connection.query(
            #"""
            UPDATE "job" SET "heartbeatAt" = \#(seconds), "leaseExpiresAt" = \#(seconds + leaseSeconds)
            WHERE "id" = \#(job.id) AND "state" = 'running' AND "holder" = \#(holder) RETURNING "id"
            """#, logger: logger
        ).collect()
        return rows.count == 1
    }

    /// Marks a held job done (or failed) with `outcome`; false, changing nothing, when this holder no longer holds it.
    ///
    /// Run it in the transaction that records the job's effects, and roll back when it returns false: then only the
    /// holder that completes the job leaves effects, however many instances started it.
    package func complete(_ job: Job, failed: Bool = false, outcome: String, now: Date, on connection: PostgresConnection, logger: Logger)
        async throws -> Bool
    {
        let rows = try await connection.query(
            #"""
            UPDATE "job" SET "state" = \#(failed ? "failed" : "done"), "outcome" = \#(outcome), "completedAt" = \#(Timestamp.seconds(now)),
                "leaseExpiresAt" = NULL, "heartbeatAt" = NULL
            WHERE "id" = \#(job.id) AND "state" = 'running' AND "holder" = \#(holder) RETURNING "id"
            """#, logger: logger
        ).collect()
        return rows.count == 1
    }

    /// The lease in whole seconds, at least one.
    private var leaseSeconds: Int64 { max(1, lease.components.seconds) }
}
