import Foundation
import Testing
import TrocCore
import TrocStore

/// Transitions racing on one deal from two database handles on the same WAL file: exactly one wins, the others are
/// refused with the state the winner left.
@Suite struct DealRaceTests {
    @Test("approve and reject race: one wins, every other call is refused with the winner's state")
    func approveRejectRace() async throws {
        let world = try DealWorld(onDisk: true)
        let handles = [world.database, try world.secondHandle()]
        let deal = try world.acceptedDeal()
        let outcomes = await withTaskGroup(of: (DealTransition, Result<DealRecord, StoreError>).self) { group in
            for index in 0..<16 {
                let database = handles[index % 2]
                let transition: DealTransition = index % 4 < 2 ? .approve : .reject
                let actor = world.operatorActor
                group.addTask {
                    let result = Result { () throws(StoreError) -> DealRecord in
                        transition == .approve
                            ? try database.approve(dealID: deal.id, actor: actor, now: Dates.at(1))
                            : try database.reject(dealID: deal.id, reason: "racing", actor: actor, now: Dates.at(1))
                    }
                    return (transition, result)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let winners = outcomes.compactMap { try? $0.1.get() }
        #expect(winners.count == 1)
        let winner = try #require(winners.first)
        #expect(try world.database.deal(id: deal.id)?.state == winner.state)
        for (transition, result) in outcomes {
            if case .failure(let error) = result {
                #expect(error == .dealTransitionRefused(DealTransitionError(transition: transition, current: winner.state)))
            }
        }
        let audited = try world.database.auditEntries(dealID: deal.id).map(\.action).filter { $0 == "deal.approve" || $0 == "deal.reject" }
        #expect(audited.count == 1)
        #expect(try world.database.verifyAudit(key: world.auditKey).isIntact)
    }

    @Test("two releases race: one set of deliveries is recorded, the loser's blobs are left unrecorded")
    func releaseRace() async throws {
        let world = try DealWorld(onDisk: true)
        let handles = [world.database, try world.secondHandle()]
        let deal = try world.approvedDeal()
        let drafts = try (0..<2).map { _ in try world.deliveryDrafts() }
        let outcomes = await withTaskGroup(of: (Int, Result<[DeliveryRecord], StoreError>).self) { group in
            for index in 0..<2 {
                let database = handles[index]
                let actor = world.operatorActor
                group.addTask {
                    (
                        index,
                        Result { () throws(StoreError) -> [DeliveryRecord] in
                            try database.release(dealID: deal.id, deliveries: drafts[index], actor: actor, now: Dates.at(1))
                        }
                    )
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let winners = outcomes.filter { (try? $0.1.get()) != nil }
        #expect(winners.count == 1)
        let winner = try #require(winners.first?.0)
        let loser = 1 - winner
        #expect(outcomes.first { $0.0 == loser }.map { (try? $0.1.get()) == nil } == true)
        if case .failure(let error)? = outcomes.first(where: { $0.0 == loser })?.1 {
            #expect(error == .dealTransitionRefused(DealTransitionError(transition: .release, current: .released)))
        }
        let recorded = try world.database.deliveries(dealID: deal.id)
        #expect(recorded.count == 2)
        #expect(Set(recorded.compactMap(\.blobID)) == Set(drafts[winner].map(\.blob.id)))
        #expect(try drafts[loser].allSatisfy { try world.database.blob(id: $0.blob.id) == nil })
    }
}
