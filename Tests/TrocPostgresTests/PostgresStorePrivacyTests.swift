import Foundation
import Testing
import TrocCore
import TrocPostgres
import TrocStore

/// The suppression list, an erasure carried out (files and deliveries rewritten, the firms that received the person
/// notified, their keys forgotten) and the retention purge of files, the same on both backends.
extension PostgresTests {
    @Suite struct PrivacyStore {
        typealias Invoices = PostgresTests.InvoiceStore
        typealias Admin = PostgresTests.UserAdministrationStore
        static let start = Invoices.start

        /// A key of `kind` whose 16 bytes all are `byte`, then `index` in the last two.
        static func key(_ kind: MatchKeyKind, _ byte: UInt8, index: Int = 0) -> RecipientKey {
            var digest = [UInt8](repeating: byte, count: 16)
            digest[14] = UInt8(truncatingIfNeeded: index >> 8)
            digest[15] = UInt8(truncatingIfNeeded: index)
            return RecipientKey(kind: kind, key: MatchKey(digest: digest))
        }

        @Test("suppressed keys are added once each, however many are sent at once, counted, listed and audited", arguments: Backend.allCases)
        func suppressions(backend: Backend) async throws {
            try await backend.withStore { store in
                let operatorActor = try await Admin.makeOperator(store)
                let first = [Self.key(.email, 1), Self.key(.phone, 2), Self.key(.email, 1), Self.key(.siret, 3)].map { ($0.kind, $0.key) }
                #expect(try await store.addSuppressions(first, source: .optout, actor: operatorActor, now: Self.start) == 3)
                #expect(try await store.addSuppressions(Array(first.prefix(2)), source: .erasure, actor: operatorActor, now: Self.start) == 0)
                #expect(try await store.suppressionCount() == 3)
                let listed = Set(try await store.suppressionEntries().map { RecipientKey(kind: $0.0, key: $0.1) })
                #expect(listed == [Self.key(.email, 1), Self.key(.phone, 2), Self.key(.siret, 3)])
                // An opposition list: more keys than one statement takes, a few already there.
                let list = (0..<25_000).map { Self.key(.phone, 9, index: $0) } + [Self.key(.phone, 2)]
                let added = try await store.addSuppressions(
                    list.map { ($0.kind, $0.key) }, source: .oppositionList, actor: operatorActor, now: Self.start)
                #expect(added == 25_000)
                #expect(try await store.suppressionCount() == 25_003)
                let entry = try #require(try await store.auditEntries(dealID: nil, limit: 1000, afterSeq: 0).last)
                #expect(entry.action == "suppression.add")
                let detail = try entry.decodedDetail()
                #expect(detail["submitted"] == AuditValue(25_001) && detail["added"] == AuditValue(25_000))
            }
        }

        @Test(
            "an erasure rewrites files and deliveries without the person, notifies the firms that received them, forgets their keys",
            arguments: Backend.allCases)
        func erasure(backend: Backend) async throws {
            let blobs = try FileStore.Blobs()
            try await backend.withStore { store in
                let pair = try await Invoices.Pair(store, sirens: ("621000009", "622000008"))
                let person = [Self.key(.email, 7), Self.key(.phone, 8)]
                let deal = try await pair.releasedDeal(store, blobs, keys: person + [Self.key(.email, 5)])
                let (windows, windowsActor) = pair.windows
                let (heating, heatingActor) = pair.heating
                let operatorActor = pair.operatorActor
                let held = try await store.heldDeliveries()
                #expect(held.count == 2 && held.allSatisfy { $0.dealID == deal.id })
                let carrying = try await store.deliveriesCarrying([Self.key(.email, 7), Self.key(.siret, 1)])
                #expect(carrying.count == 1 && carrying[0].delivery.recipientID == windows.id && carrying[0].keys == [Self.key(.email, 7)])
                let delivery = carrying[0].delivery

                // The file the windows firm sent: rewritten, its report replaced; bad counts and reports refused.
                let fileID = try #require(try await store.dealFiles(dealID: deal.id).first { $0.organisationID == windows.id }?.fileID)
                let oldFile = try #require(try await store.file(id: fileID))
                await #expect(throws: StoreError.self) {
                    try await store.replaceFileBlob(
                        fileID: fileID, with: try blobs.make(), removedRows: -1, reportJSON: nil, actor: operatorActor, now: Self.start)
                }
                await #expect(throws: StoreError.self) {
                    try await store.replaceFileBlob(
                        fileID: fileID, with: try blobs.make(), removedRows: 1, reportJSON: "{rows", actor: operatorActor, now: Self.start)
                }
                let newFileBlob = try blobs.make(count: 40)
                let oldFileBlob = try await store.replaceFileBlob(
                    fileID: fileID, with: newFileBlob, removedRows: 1, reportJSON: #"{"rows":0}"#, actor: operatorActor, now: Self.start)
                #expect(oldFileBlob == oldFile.blobID)
                let file = try #require(try await store.file(id: fileID))
                #expect(file.blobID == newFileBlob.id && file.byteCount == 40 && file.report == #"{"rows":0}"#)
                #expect(try await store.blob(id: oldFileBlob) == nil)

                // The delivery to windows: rewritten before any download, then after one.
                let rewritten = try await store.replaceDeliveryBlob(
                    deliveryID: delivery.id, with: try blobs.make(), removedRows: 2, actor: operatorActor, now: Self.start)
                #expect(rewritten.oldBlobID == delivery.blobID && rewritten.delivery.rowCount == delivery.rowCount - 2 && !rewritten.receivedBefore)
                #expect(try await store.delivery(id: delivery.id)?.blobID == rewritten.delivery.blobID)
                _ = try await store.claimDownload(deliveryID: delivery.id, actor: windowsActor, now: Self.start)
                let again = try await store.replaceDeliveryBlob(
                    deliveryID: delivery.id, with: try blobs.make(), removedRows: 0, actor: operatorActor, now: Self.start)
                #expect(again.receivedBefore && again.oldBlobID == rewritten.delivery.blobID)
                await #expect(throws: StoreError.deliveryNotFound(id: "dlv_aaaaaaaaaaaaaaaa")) {
                    try await store.replaceDeliveryBlob(
                        deliveryID: "dlv_aaaaaaaaaaaaaaaa", with: try blobs.make(), removedRows: 0, actor: operatorActor, now: Self.start)
                }

                // The erasure recorded: counts, one notice to windows, the person's keys forgotten.
                let later = Self.start.addingTimeInterval(60)
                await #expect(throws: StoreError.self) {
                    try await store.recordErasure(
                        requestedAt: later.addingTimeInterval(1), filesRewritten: 1, rowsRemoved: 1, keysSuppressed: 2, deliveriesRewritten: 1,
                        notices: [], forgetting: [], actor: operatorActor, now: later)
                }
                let draft = NoticeDraft(id: NoticeRecord.newID(), deliveryID: delivery.id, sealed: Data([1, 2, 3]), keyFingerprint: "SHA256:abc")
                let erasure = try await store.recordErasure(
                    requestedAt: Self.start, filesRewritten: 1, rowsRemoved: 3, keysSuppressed: 2, deliveriesRewritten: 1, notices: [draft],
                    forgetting: person, actor: operatorActor, now: later)
                #expect(erasure.noticesRecorded == 1 && erasure.completedAt == later && erasure.actorUserID == operatorActor.userID)
                #expect(try await store.erasures() == [erasure])
                #expect(try await store.deliveriesCarrying(person).isEmpty)
                #expect(try await store.deliveriesCarrying([Self.key(.email, 5)]).map(\.delivery.id) == [delivery.id])
                let notices = try await store.notices(organisationID: windows.id)
                #expect(notices.count == 1 && notices[0].sealed == Data([1, 2, 3]) && notices[0].dealID == deal.id)
                #expect(try await store.notices(organisationID: heating.id).isEmpty)
                #expect(try await store.notices(organisationID: nil) == notices)

                // Only the firm notified acknowledges, once; the sealed content goes.
                await #expect(throws: StoreError.noticeNotFound(id: draft.id)) {
                    try await store.acknowledgeNotice(id: draft.id, actor: heatingActor, now: later)
                }
                let acknowledged = try await store.acknowledgeNotice(id: draft.id, actor: windowsActor, now: later.addingTimeInterval(5))
                #expect(acknowledged.sealed == nil && acknowledged.acknowledgedBy == windowsActor.userID)
                #expect(try await store.notices(organisationID: windows.id) == [acknowledged])
                #expect(try await store.acknowledgeNotice(id: draft.id, actor: windowsActor, now: later.addingTimeInterval(9)) == acknowledged)
                let actions = try await store.auditEntries(dealID: nil, limit: 1000, afterSeq: 0).map(\.action)
                for action in ["file.rewrite", "delivery.rewrite", "erasure.request", "notice.create", "notice.acknowledge"] {
                    #expect(actions.filter { $0 == action }.count == (action == "delivery.rewrite" ? 2 : 1), "\(action)")
                }
                #expect((try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)).isIntact)
            }
        }

        @Test(
            "retention purges a file in no deal after its days, a file whose deals ended at once, and keeps a file a deal needs",
            arguments: Backend.allCases)
        func retention(backend: Backend) async throws {
            let blobs = try FileStore.Blobs()
            try await backend.withStore { store in
                let operatorActor = try await Admin.makeOperator(store)
                let (windows, windowsActor) = try await PostgresTests.DealStore.firm(store, siren: "623000007", nafCode: "43.32A")
                let (heating, heatingActor) = try await PostgresTests.DealStore.firm(store, siren: "624000006", nafCode: "43.22B")
                let loose = try await FileStore.upload(store, blobs, organisationID: windows.id)
                let (deal, files) = try await PostgresTests.DealStore.dealWithFiles(
                    store, blobs, pair: (windows, windowsActor, heating, heatingActor))
                let days = BrokerSettings.defaults.unattachedFileDays
                #expect(try await store.purgeExpiredFiles(now: Self.start.addingTimeInterval(TimeInterval(days - 1) * 86_400)).isEmpty)
                let late = Self.start.addingTimeInterval(TimeInterval(days) * 86_400 + 1)
                let first = try await store.purgeExpiredFiles(now: late)
                #expect(first == [PurgedFile(fileID: loose.id, organisationID: windows.id, blobID: loose.blobID, rule: .unattached)])
                #expect(try await store.file(id: loose.id) == nil)
                #expect(try await store.blob(id: loose.blobID) == nil)
                _ = try await store.cancel(dealID: deal.id, reason: "plus tard", actor: operatorActor, now: late)
                let second = try await store.purgeExpiredFiles(now: late)
                #expect(Set(second.map(\.fileID)) == files && second.allSatisfy { $0.rule == .dealEnded })
                #expect(try await store.dealFiles(dealID: deal.id).allSatisfy { $0.fileID == nil })
                #expect(try await store.purgeExpiredFiles(now: late).isEmpty)
                let actions = try await store.auditEntries(dealID: nil, limit: 1000, afterSeq: 0).map(\.action)
                #expect(actions.filter { $0 == "file.purge" }.count == 3)
            }
        }
    }
}
