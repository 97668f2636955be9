import Foundation
import PostgresNIO
import Testing
import TrocPostgres
import TrocStore
import TrocTestSupport

extension PostgresTests {
    /// Jobs claimed with SKIP LOCKED under a lease: a dead holder's job is taken over, and the stale holder cannot finish it.
    @Suite struct JobQueueTests {
        static let start = Date(timeIntervalSince1970: 1_767_225_600)
        static let dealID = "del_aaaaaaaaaaaaaaaa"

        @Test("a holder that stops heart-beating loses its job to another claimer after the lease, and cannot complete it then")
        func deadHolderTakenOver() async throws {
            let database = try await PostgresTests.migratedDatabase()
            let logger = PostgresTestServer.logger
            try await database.withConnections(2) { connections in
                let (first, second) = (connections[0], connections[1])
                try await PostgresFixtures.insertPartners(first)
                try await PostgresFixtures.insertAcceptedDeal(Self.dealID, first)
                let id = try await PostgresJobQueue.enqueue(kind: "match", dealID: Self.dealID, now: Self.start, on: first, logger: logger)
                #expect(id != nil)
                #expect(try await PostgresJobQueue.enqueue(kind: "match", dealID: Self.dealID, now: Self.start, on: second, logger: logger) == nil)

                let dying = PostgresJobQueue(holder: "instance-a", lease: .seconds(30))
                let survivor = PostgresJobQueue(holder: "instance-b", lease: .seconds(30))
                let held = try #require(try await dying.claim(kinds: ["match"], now: Self.start, on: first, logger: logger))
                #expect(held.id == id && held.attempts == 1)
                #expect(try await survivor.claim(kinds: ["match"], now: Self.at(10), on: second, logger: logger) == nil)
                #expect(try await dying.heartbeat(held, now: Self.at(20), on: first, logger: logger))
                // Past the first lease but within the heartbeat's: still held.
                #expect(try await survivor.claim(kinds: ["match"], now: Self.at(40), on: second, logger: logger) == nil)

                // instance-a stops heart-beating; once its lease has lapsed, instance-b takes the job over.
                let taken = try #require(try await survivor.claim(kinds: ["match"], now: Self.at(51), on: second, logger: logger))
                #expect(taken.id == held.id && taken.attempts == 2)
                #expect(try await dying.heartbeat(held, now: Self.at(52), on: first, logger: logger) == false)

                // The stale holder's completion, in the transaction with its effects, changes nothing; its effects roll back.
                struct LostJob: Error {}
                await #expect(throws: LostJob.self) {
                    try await first.transaction(logger: logger) { connection in
                        try await PostgresAuditTrail.append(
                            AuditDraft(action: "deal.match", actor: .system, dealID: Self.dealID), key: PostgresFixtures.auditKey,
                            now: Self.at(53), on: connection, logger: logger)
                        guard try await dying.complete(held, outcome: "{}", now: Self.at(53), on: connection, logger: logger) else { throw LostJob() }
                    }
                }
                let completed = try await second.transaction(logger: logger) { connection in
                    try await PostgresAuditTrail.append(
                        AuditDraft(action: "deal.match", actor: .system, dealID: Self.dealID), key: PostgresFixtures.auditKey, now: Self.at(54),
                        on: connection, logger: logger)
                    return try await survivor.complete(taken, outcome: "{}", now: Self.at(54), on: connection, logger: logger)
                }
                #expect(completed)
                let entries = try await PostgresAuditTrail.entries(on: first, logger: logger)
                #expect(entries.filter { $0.action == "deal.match" }.count == 1)
                #expect(try await survivor.claim(kinds: ["match"], now: Self.at(500), on: second, logger: logger) == nil)
                let state = try await first.query(#"SELECT "state", "holder" FROM "job" WHERE "id" = \#(held.id)"#, logger: logger).collect()
                let (finalState, holder) = try #require(try state.first?.decode((String, String).self))
                #expect(finalState == "done" && holder == "instance-b")
            }
        }

        @Test("four claimers draining 40 jobs at once take each job exactly once")
        func claimsAreExclusive() async throws {
            let database = try await PostgresTests.migratedDatabase()
            let logger = PostgresTestServer.logger
            let claimed = try await database.withConnections(4) { connections in
                for _ in 0..<40 {
                    try await PostgresJobQueue.enqueue(kind: "release", dealID: nil, now: Self.start, on: connections[0], logger: logger)
                }
                return try await withThrowingTaskGroup(of: [Int64].self) { group in
                    for (index, connection) in connections.enumerated() {
                        group.addTask {
                            let queue = PostgresJobQueue(holder: "instance-\(index)", lease: .seconds(60))
                            var ids: [Int64] = []
                            while let job = try await queue.claim(kinds: ["release"], now: Self.at(1), on: connection, logger: logger) {
                                ids.append(job.id)
                                #expect(try await queue.complete(job, outcome: "{}", now: Self.at(2), on: connection, logger: logger))
                            }
                            return ids
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
            }
            #expect(claimed.count == 40)
            #expect(Set(claimed).count == 40)
        }

        /// `seconds` after the start.
        static func at(_ seconds: Int) -> Date { start.addingTimeInterval(TimeInterval(seconds)) }
    }
}
