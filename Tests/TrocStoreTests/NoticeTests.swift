import Foundation
import GRDB
import Testing
import TrocCore
import TrocCrypto
import TrocStore

/// What erasure needs from the store: who received whom, deliveries rewritten with the download race settled in the same
/// transaction, and notices that only their firm sees and acknowledges.
@Suite struct NoticeTests {
    let world: DealWorld

    init() throws {
        world = try DealWorld()
        // A delivery is sealed to its recipient's key, bound at release.
        for (firm, actor) in [(world.windows, world.windowsActor), (world.heating, world.heatingActor)] {
            _ = try world.database.registerFirstPublicKey(
                organisationID: firm.id, publicKey: EnvelopePrivateKey.generate().publicKey, actor: actor, now: Dates.start)
        }
    }

    static let jean = RecipientKey(kind: .email, key: MatchKey(high: 1, low: 2))
    static let paul = RecipientKey(kind: .phone, key: MatchKey(high: 3, low: 4))

    /// A released deal whose delivery to the window installer carried Jean and Paul.
    func release() throws -> (DealRecord, DeliveryRecord) {
        let deal = try world.approvedDeal()
        let drafts = [
            DeliveryDraft(recipientID: world.windows.id, blob: try world.storedBlob(seed: 11), rowCount: 2, recipientKeys: [Self.jean, Self.paul]),
            DeliveryDraft(recipientID: world.heating.id, blob: try world.storedBlob(seed: 12), rowCount: 1, recipientKeys: [Self.paul]),
        ]
        let deliveries = try world.database.release(dealID: deal.id, deliveries: drafts, actor: world.operatorActor, now: Dates.at(1))
        return (try #require(try world.database.deal(id: deal.id)), try #require(deliveries.first { $0.recipientID == world.windows.id }))
    }

    @Test("a release records who received whom; an erasure forgets the person's keys, closing the deal the rest")
    func recipients() throws {
        let (deal, toWindows) = try release()
        #expect(try world.database.deliveriesCarrying([Self.jean]).map(\.delivery.id) == [toWindows.id])
        #expect(try world.database.deliveriesCarrying([Self.paul, Self.jean]).map { $0.keys.count }.sorted() == [1, 2])
        _ = try world.database.recordErasure(
            requestedAt: Dates.at(2), filesRewritten: 0, rowsRemoved: 0, keysSuppressed: 1, forgetting: [Self.jean], actor: world.operatorActor,
            now: Dates.at(2))
        #expect(try world.database.deliveriesCarrying([Self.jean]).isEmpty)
        #expect(try world.database.deliveriesCarrying([Self.paul]).count == 2)
        try world.configureInvoicing()
        let invoices = try world.invoices(for: deal, issueDate: CivilDate(year: 2025, month: 1, day: 2)!)
        _ = try world.database.issueInvoices(
            dealID: deal.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: world.operatorActor, now: Dates.at(3))
        _ = try world.database.closeDeal(dealID: deal.id, actor: .system, now: Dates.at(4))
        #expect(try world.database.deliveriesCarrying([Self.paul]).isEmpty)
        #expect(try world.raw { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM delivery_contact") } == 0)
    }

    @Test("a rewritten delivery says whether its recipient had already claimed a download, and keeps its remaining count")
    func rewrite() throws {
        let (_, toWindows) = try release()
        let before = try world.database.replaceDeliveryBlob(
            deliveryID: toWindows.id, with: try world.storedBlob(seed: 20), removedRows: 1, actor: world.operatorActor, now: Dates.at(2))
        #expect(!before.receivedBefore && before.delivery.rowCount == 1 && before.oldBlobID == toWindows.blobID)
        #expect(try world.database.blob(id: try #require(toWindows.blobID)) == nil)
        let claimed = try world.database.claimDownload(deliveryID: toWindows.id, actor: world.windowsActor, now: Dates.at(3))
        #expect(claimed.delivery.firstDownloadedAt == Dates.at(3))
        _ = try world.database.claimDownload(deliveryID: toWindows.id, actor: world.windowsActor, now: Dates.at(4))
        #expect(try world.database.delivery(id: toWindows.id)?.firstDownloadedAt == Dates.at(3), "the first download is kept")
        let after = try world.database.replaceDeliveryBlob(
            deliveryID: toWindows.id, with: try world.storedBlob(seed: 21), removedRows: 1, actor: world.operatorActor, now: Dates.at(5))
        #expect(after.receivedBefore && after.delivery.rowCount == 0 && after.delivery.downloadsRemaining == 1)
        #expect(try world.database.auditEntries().filter { $0.action == "delivery.rewrite" }.count == 2)
        _ = try world.database.purgeSpentDeliveries(now: toWindows.expiresAt)
        #expect(
            storeError {
                try world.database.replaceDeliveryBlob(
                    deliveryID: toWindows.id, with: try world.storedBlob(seed: 22), removedRows: 1, actor: world.operatorActor, now: Dates.at(6))
            } == .deliveryPurged(id: toWindows.id, purgedAt: toWindows.expiresAt))
    }

    @Test("a notice goes only to a firm that downloaded; only that firm acknowledges it, once, and its sealed content then goes")
    func notices() throws {
        let (_, toWindows) = try release()
        let draft = NoticeDraft(id: NoticeRecord.newID(), deliveryID: toWindows.id, sealed: Data([1, 2, 3]), keyFingerprint: "ab:cd")
        #expect(throws: StoreError.self, "the recipient never downloaded the delivery") {
            try world.database.recordErasure(
                requestedAt: Dates.at(2), filesRewritten: 0, rowsRemoved: 0, keysSuppressed: 1, notices: [draft], actor: world.operatorActor,
                now: Dates.at(2))
        }
        _ = try world.database.claimDownload(deliveryID: toWindows.id, actor: world.windowsActor, now: Dates.at(2))
        let erasure = try world.database.recordErasure(
            requestedAt: Dates.at(2), filesRewritten: 0, rowsRemoved: 0, keysSuppressed: 1, notices: [draft], actor: world.operatorActor,
            now: Dates.at(3))
        #expect(erasure.noticesRecorded == 1)
        let listed = try world.database.notices(organisationID: world.windows.id)
        #expect(listed.map(\.id) == [draft.id] && listed[0].organisationID == world.windows.id && listed[0].sealed == Data([1, 2, 3]))
        #expect(try world.database.notices(organisationID: world.heating.id).isEmpty)
        #expect(try world.database.notices(organisationID: nil).count == 1)

        #expect(
            storeError { try world.database.acknowledgeNotice(id: draft.id, actor: world.heatingActor, now: Dates.at(4)) }
                == .noticeNotFound(id: draft.id))
        #expect(
            storeError { try world.database.acknowledgeNotice(id: draft.id, actor: world.operatorActor, now: Dates.at(4)) }
                == .noticeNotFound(id: draft.id))
        let acknowledged = try world.database.acknowledgeNotice(id: draft.id, actor: world.windowsActor, now: Dates.at(4))
        #expect(acknowledged.acknowledgedAt == Dates.at(4) && acknowledged.acknowledgedBy == world.windowsActor.userID && acknowledged.sealed == nil)
        #expect(try world.database.acknowledgeNotice(id: draft.id, actor: world.windowsActor, now: Dates.at(5)) == acknowledged)
        #expect(try world.database.auditEntries().map(\.action).filter { $0.hasPrefix("notice.") } == ["notice.create", "notice.acknowledge"])
        #expect(constraintCode { try world.raw { try $0.execute(sql: "DELETE FROM notice") } } == .SQLITE_CONSTRAINT_TRIGGER)
        #expect(
            constraintCode { try world.raw { try $0.execute(sql: "UPDATE notice SET acknowledgedAt = NULL, acknowledgedBy = NULL, sealed = x'00'") } }
                == .SQLITE_CONSTRAINT_TRIGGER)
    }
}
