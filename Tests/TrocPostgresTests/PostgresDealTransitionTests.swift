import Foundation
import PostgresNIO
import Testing
import TrocCore
import TrocPostgres
import TrocStore
import TrocTestSupport

extension PostgresTests {
    /// A state-guarded transition has exactly one winner across instances.
    @Suite struct DealTransitionTests {
        @Test("six instances approving one accepted deal at once: one wins, five are refused with the state it left, one audit entry")
        func oneApproverWins() async throws {
            let database = try await PostgresTests.migratedDatabase()
            let dealID = "del_aaaaaaaaaaaaaaaa"
            let logger = PostgresTestServer.logger
            let outcomes = try await database.withConnections(6) { connections in
                try await PostgresFixtures.insertPartners(connections[0])
                try await PostgresFixtures.insertAcceptedDeal(dealID, connections[0])
                return await withTaskGroup(of: Result<DealState, StoreError>.self) { group in
                    for connection in connections {
                        group.addTask {
                            do {
                                return .success(
                                    try await connection.transaction(logger: logger) { connection in
                                        try await PostgresDealTransitions.apply(
                                            .approve, dealID: dealID, actor: PostgresFixtures.operatorActor, key: PostgresFixtures.auditKey,
                                            now: Date(timeIntervalSince1970: 1_767_225_700), on: connection, logger: logger)
                                    })
                            } catch let error as StoreError {
                                return .failure(error)
                            } catch {
                                return .failure(.database("\(error)"))
                            }
                        }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
            }
            #expect(outcomes.filter { (try? $0.get()) == .accepted }.count == 1)
            let refusal = StoreError.dealTransitionRefused(DealTransitionError(transition: .approve, current: .approved))
            #expect(outcomes.filter { if case .failure(let error) = $0 { error == refusal } else { false } }.count == 5)
            try await database.withConnections(1) { connections in
                let row = try await connections[0].query(#"SELECT "state", "expiresAt" FROM "deal" WHERE "id" = \#(dealID)"#, logger: logger)
                    .collect()
                let (state, expiresAt) = try #require(try row.first?.decode((String, Int64).self))
                #expect(state == "approved")
                // Approved deals can still stall: the default 60 idle days run again from the approval.
                #expect(expiresAt == 1_767_225_700 + 60 * 86_400)
                let entries = try await PostgresAuditTrail.entries(on: connections[0], logger: logger)
                #expect(entries.map(\.action) == ["deal.approve"])
                #expect(try await PostgresAuditTrail.verify(key: PostgresFixtures.auditKey, on: connections[0], logger: logger).isIntact)
            }
        }

        @Test("a partner cannot approve, and an unknown deal is not found")
        func refusals() async throws {
            let database = try await PostgresTests.migratedDatabase()
            let logger = PostgresTestServer.logger
            try await database.withConnections(1) { connections in
                let partner = AuditActor(userID: "usr_eeeeeeeeeeeeeeee", role: .partner, organisationID: PostgresFixtures.proposerID)
                await #expect(throws: StoreError.transitionNotAllowed(transition: .approve, role: .partner)) {
                    try await PostgresDealTransitions.apply(
                        .approve, dealID: "del_zzzzzzzzzzzzzzzz", actor: partner, key: PostgresFixtures.auditKey, now: .now, on: connections[0],
                        logger: logger)
                }
                await #expect(throws: StoreError.dealNotFound(id: "del_zzzzzzzzzzzzzzzz")) {
                    try await PostgresDealTransitions.apply(
                        .approve, dealID: "del_zzzzzzzzzzzzzzzz", actor: PostgresFixtures.operatorActor, key: PostgresFixtures.auditKey,
                        now: .now, on: connections[0], logger: logger)
                }
            }
        }
    }
}
