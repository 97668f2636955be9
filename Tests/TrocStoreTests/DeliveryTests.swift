import Foundation
import GRDB
import Testing
import TrocCore
import TrocCrypto
import TrocStore

/// A delivery is downloaded by its recipient only, a limited number of times, until it expires or is purged.
@Suite struct DeliveryTests {
    let world: DealWorld
    let delivery: DeliveryRecord

    init() throws {
        let world = try DealWorld()
        self.world = world
        // A delivery is sealed to its recipient's key, bound at release.
        _ = try world.database.registerFirstPublicKey(
            organisationID: world.windows.id, publicKey: EnvelopePrivateKey.generate().publicKey, actor: world.windowsActor, now: Dates.start)
        let (_, deliveries) = try world.releasedDeal()
        delivery = try #require(deliveries.first { $0.recipientID == world.windows.id })
    }

    @Test("the recipient downloads until none are left; each download is audited")
    func countDown() throws {
        for remaining in [2, 1, 0] {
            let claimed = try world.database.claimDownload(deliveryID: delivery.id, actor: world.windowsActor, now: Dates.at(10))
            #expect(claimed.delivery.downloadsRemaining == remaining)
            #expect(claimed.blob.id == delivery.blobID)
        }
        #expect(
            storeError { try world.database.claimDownload(deliveryID: delivery.id, actor: world.windowsActor, now: Dates.at(11)) }
                == .deliveryExhausted(id: delivery.id))
        #expect(try world.database.delivery(id: delivery.id)?.downloadsRemaining == 0)
        let downloads = try world.database.auditEntries(dealID: delivery.dealID).filter { $0.action == "delivery.download" }
        #expect(downloads.count == 3)
        #expect(try downloads.last?.decodedDetail()["downloadsRemaining"] == 0)
    }

    @Test("another organisation is told the delivery does not exist, and nothing is counted")
    func wrongOrganisation() throws {
        #expect(
            storeError { try world.database.claimDownload(deliveryID: delivery.id, actor: world.heatingActor, now: Dates.at(10)) }
                == .deliveryNotFound(id: delivery.id))
        #expect(
            storeError { try world.database.claimDownload(deliveryID: delivery.id, actor: world.operatorActor, now: Dates.at(10)) }
                == .deliveryNotFound(id: delivery.id))
        #expect(try world.database.delivery(id: delivery.id)?.downloadsRemaining == 3)
    }

    @Test("an expired delivery is refused from its expiry instant on")
    func expired() throws {
        _ = try world.database.claimDownload(deliveryID: delivery.id, actor: world.windowsActor, now: delivery.expiresAt.addingTimeInterval(-1))
        #expect(
            storeError { try world.database.claimDownload(deliveryID: delivery.id, actor: world.windowsActor, now: delivery.expiresAt) }
                == .deliveryExpired(id: delivery.id, expiredAt: delivery.expiresAt))
    }

    @Test("a purged delivery is refused as purged")
    func purged() throws {
        try world.configureInvoicing()
        let deal = try #require(try world.database.deal(id: delivery.dealID))
        let invoices = try world.invoices(for: deal, issueDate: CivilDate(year: 2025, month: 1, day: 2)!)
        _ = try world.database.issueInvoices(
            dealID: deal.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: world.operatorActor, now: Dates.at(5))
        _ = try world.database.closeDeal(dealID: deal.id, actor: world.operatorActor, now: Dates.at(6))
        #expect(
            storeError { try world.database.claimDownload(deliveryID: delivery.id, actor: world.windowsActor, now: Dates.at(7)) }
                == .deliveryPurged(id: delivery.id, purgedAt: Dates.at(6)))
    }

    @Test("spent deliveries lose their blob before the deal closes: exhausted at once, expired from the expiry instant")
    func purgeSpent() throws {
        let other = try #require(try world.database.deliveries(dealID: delivery.dealID).first { $0.id != delivery.id })
        #expect(try world.database.purgeSpentDeliveries(now: Dates.at(10)).isEmpty, "nothing is spent yet")
        for _ in 1...3 { _ = try world.database.claimDownload(deliveryID: delivery.id, actor: world.windowsActor, now: Dates.at(10)) }
        #expect(try world.database.purgeSpentDeliveries(now: Dates.at(11)) == [try #require(delivery.blobID)])
        #expect(try world.database.purgeSpentDeliveries(now: Dates.at(12)).isEmpty, "a purge happens once")
        #expect(try world.database.blob(id: try #require(delivery.blobID)) == nil)
        #expect(
            storeError { try world.database.claimDownload(deliveryID: delivery.id, actor: world.windowsActor, now: Dates.at(13)) }
                == .deliveryPurged(id: delivery.id, purgedAt: Dates.at(11)))

        // The other firm's delivery still counts its downloads, until it expires.
        #expect(try world.database.purgeSpentDeliveries(now: other.expiresAt.addingTimeInterval(-1)).isEmpty)
        #expect(try world.database.purgeSpentDeliveries(now: other.expiresAt) == [try #require(other.blobID)])
        let purges = try world.database.auditEntries(dealID: delivery.dealID).filter { $0.action == "delivery.purge" }
        #expect(purges.count == 2 && purges.allSatisfy { $0.actorRole == nil })
        #expect(try world.database.deal(id: delivery.dealID)?.state == .released, "the deal itself stays until its retention ends")
    }

    @Test("the schema refuses a delivery outside a release and a negative count")
    func schema() throws {
        let pending = try world.proposeDeal()
        let blob = try world.database.insertBlob(world.storedBlob(seed: 30), now: Dates.start)
        #expect(
            constraintCode {
                try world.raw { db in
                    try db.execute(
                        sql: """
                            INSERT INTO delivery (id, dealID, recipientID, supplierID, blobID, rowCount, downloadsRemaining, createdAt, expiresAt)
                            VALUES ('dlv_aaaaaaaaaaaaaaaa', ?, ?, ?, ?, 1, 3, 0, 10)
                            """, arguments: [pending.id, world.windows.id, world.heating.id, blob.id])
                }
            } == .SQLITE_CONSTRAINT_TRIGGER)
        #expect(
            constraintCode {
                try world.raw { try $0.execute(sql: "UPDATE delivery SET downloadsRemaining = -1 WHERE id = ?", arguments: [delivery.id]) }
            } == .SQLITE_CONSTRAINT_CHECK)
    }
}
