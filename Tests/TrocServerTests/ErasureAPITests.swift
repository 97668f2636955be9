import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import NIOFoundationCompat
import Testing
import TrocCore
import TrocCrypto
import TrocServer
import TrocStore

/// Erasure as GDPR art. 17 and 19 ask, through the API: the person is suppressed whatever is found, removed from every
/// file and delivery the broker still holds (released deals' too), and each firm that had already received them gets a
/// notice only it can open and only it can acknowledge.
@Suite struct ErasureAPITests {
    /// Luc Bernard is in the heating firm's file only: the joinery receives him on release.
    static let luc = #"{"emails": ["Luc.Bernard@chauffage-bernard.fr"]}"#
    /// Paul Durand is in the joinery's file only: the heating firm receives him on release.
    static let paul = #"{"phones": ["01 42 68 53 00"]}"#

    /// Opens a notice's envelope with the firm's key, as `troc notices list` does.
    static func open(_ notice: ErasureNotice, with key: EnvelopePrivateKey) throws -> NoticeContent {
        let envelope = try #require(notice.sealed.flatMap { Data(base64Encoded: $0) })
        var opener = EnvelopeOpener(privateKey: key, purpose: try EnvelopePurpose(notice.purpose))
        let plaintext = try opener.feed(envelope).reduce(Data(), +)
        try opener.finish()
        return try ServerTestJSON.decoder.decode(NoticeContent.self, from: plaintext)
    }

    @Test func aReleasedDealsFilesAndDeliveriesAreErasedAndTheFirmThatReceivedThePersonIsNotified() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let deal = try await parties.releasedDeal(client, broker)
            let before = try await parties.download(client, deal: deal.id, for: parties.joinery.id)
            #expect(before.contains("luc.bernard@chauffage-bernard.fr"))
            let rowsBefore = try #require(
                try await client.decoded(Deal.self, .get, "/v1/deals/\(deal.id)", token: parties.joineryToken).delivery?.rows)

            // Today's code skipped released deals, answered 404 and left Luc matchable.
            let erased = try await client.call(.post, "/v1/erasure-requests", token: broker.operatorToken, json: Self.luc)
            #expect(erased.status == .created, "\(String(buffer: erased.body))")
            let result = try ServerTestJSON.decoder.decode(ErasureResult.self, from: Data(buffer: erased.body))
            #expect(result.found && result.suppressed)
            #expect(result.filesRewritten == 1 && result.deliveriesRewritten == 1 && result.rowsRemoved == 2 && result.noticesRecorded == 1)

            // The joinery downloaded him: its notice opens with its key only, and says whom to erase and from where.
            let notices = try await client.decoded([ErasureNotice].self, .get, "/v1/notices", token: parties.joineryToken)
            let notice = try #require(notices.first)
            #expect(notices.count == 1 && notice.dealId == deal.id && notice.organisationId == parties.joinery.id)
            #expect(notice.keyFingerprint == parties.joineryKey.publicKey.fingerprint)
            let content = try Self.open(notice, with: parties.joineryKey)
            #expect(content.emails == ["luc.bernard@chauffage-bernard.fr"] && content.phones.isEmpty && content.sirets.isEmpty)
            #expect(content.dealId == deal.id && content.deliveryId == notice.deliveryId && content.notice == notice.id)
            #expect(throws: EnvelopeError.self) { try Self.open(notice, with: parties.heatingKey) }
            #expect(try await client.decoded([ErasureNotice].self, .get, "/v1/notices", token: parties.heatingToken).isEmpty)
            #expect(try await client.decoded([ErasureNotice].self, .get, "/v1/notices", token: broker.operatorToken).map(\.id) == [notice.id])

            // A firm that did not receive the notice cannot acknowledge it, nor can an operator.
            _ = try await client.problem(.post, "/v1/notices/\(notice.id)/ack", token: parties.heatingToken, status: 404, code: "not-found")
            _ = try await client.problem(.post, "/v1/notices/\(notice.id)/ack", token: broker.operatorToken, status: 403, code: "auth.forbidden-role")
            _ = try await client.problem(.post, "/v1/notices/ntc_aaaaaaaaaaaaaaaa/ack", token: parties.joineryToken, status: 404, code: "not-found")
            let acknowledged = try await client.decoded(ErasureNotice.self, .post, "/v1/notices/\(notice.id)/ack", token: parties.joineryToken)
            #expect(acknowledged.acknowledgedAt != nil && acknowledged.sealed == nil)

            // The delivery still held no longer carries him; the heating firm's own file neither.
            let after = try await parties.download(client, deal: deal.id, for: parties.joinery.id)
            #expect(!after.contains("luc.bernard") && deliveryRows(after).count == deliveryRows(before).count - 1)
            #expect(try await client.decoded(Deal.self, .get, "/v1/deals/\(deal.id)", token: parties.joineryToken).delivery?.rows == rowsBefore - 1)

            // Paul went to the heating firm, which has not downloaded yet: its delivery is rewritten, and nobody is notified.
            let paul = try await client.decoded(ErasureResult.self, .post, "/v1/erasure-requests", token: broker.operatorToken, json: Self.paul)
            #expect(paul.found && paul.deliveriesRewritten == 1 && paul.noticesRecorded == 0 && paul.filesRewritten == 1)
            let toHeating = try await parties.download(client, deal: deal.id, for: parties.heating.id)
            #expect(!toHeating.contains("paul.durand") && !toHeating.contains("+33142685300"))
            #expect(try await client.decoded([ErasureNotice].self, .get, "/v1/notices", token: parties.heatingToken).isEmpty)

            // Nothing about either person is in the audit trail or stored in clear.
            let audit = try await client.decoded([AuditEntryView].self, .get, "/v1/audit?limit=1000", token: broker.operatorToken)
            #expect(audit.filter { $0.action == "notice.create" }.count == 1 && audit.filter { $0.action == "notice.acknowledge" }.count == 1)
            #expect(audit.filter { $0.action == "delivery.rewrite" }.count == 2)
            let trail = String(decoding: try JSONEncoder().encode(audit), as: UTF8.self)
            let path = broker.broker.configuration.databasePath
            let database = try [path, path + "-wal"].filter { FileManager.default.fileExists(atPath: $0) }.reduce(Data()) {
                $0 + (try Data(contentsOf: URL(fileURLWithPath: $1)))
            }
            for needle in ["luc.bernard", "chauffage-bernard", "paul.durand", "+33142685300"] {
                #expect(!trail.contains(needle), "\(needle) in the audit trail")
                #expect(database.range(of: Data(needle.utf8)) == nil, "\(needle) in the database")
            }
        }
    }

    @Test func aPersonFoundNowhereIsSuppressedAllTheSameAndAnswered202() async throws {
        try await TestBroker.withParties { client, broker, parties in
            _ = try await client.problem(
                .post, "/v1/erasure-requests", token: parties.joineryToken, json: Self.luc, status: 403, code: "auth.forbidden-role")
            let response = try await client.call(
                .post, "/v1/erasure-requests", token: broker.operatorToken, json: #"{"emails": ["personne@inconnu.example"]}"#)
            #expect(response.status == .accepted)
            let result = try ServerTestJSON.decoder.decode(ErasureResult.self, from: Data(buffer: response.body))
            #expect(!result.found && result.suppressed && result.rowsRemoved == 0 && result.noticesRecorded == 0)
            #expect(try await client.decoded([String: Int].self, .get, "/v1/suppressions", token: broker.operatorToken)["total"] == 1)
            let audit = try await client.decoded([AuditEntryView].self, .get, "/v1/audit?limit=1000", token: broker.operatorToken)
            #expect(audit.map(\.action).suffix(2) == ["suppression.add", "erasure.request"])
        }
    }

    /// Once a delivery is gone, the record of who received whom still reaches the firm that downloaded it.
    @Test func aFirmIsNotifiedAfterItsDeliveryAndTheSourceFilesArePurged() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let deal = try await parties.releasedDeal(client, broker)
            _ = try await parties.download(client, deal: deal.id, for: parties.joinery.id)
            broker.clock.advance(days: 31)
            await MaintenanceService(broker: broker.broker, logger: Logger(label: "test")).runOnce()
            #expect(try await broker.broker.store.deliveries(dealID: deal.id, recipientID: nil).allSatisfy { $0.blobID == nil })
            #expect(try await broker.broker.store.dealFiles(dealID: deal.id).allSatisfy { $0.fileID == nil })

            let result = try await client.decoded(ErasureResult.self, .post, "/v1/erasure-requests", token: broker.operatorToken, json: Self.luc)
            #expect(result.found && result.rowsRemoved == 0 && result.noticesRecorded == 1)
            let notice = try #require(try await client.decoded([ErasureNotice].self, .get, "/v1/notices", token: parties.joineryToken).first)
            #expect(try Self.open(notice, with: parties.joineryKey).emails == ["luc.bernard@chauffage-bernard.fr"])
            // The heating firm never downloaded Paul's delivery: no notice for him, but he is found and suppressed.
            let paul = try await client.decoded(ErasureResult.self, .post, "/v1/erasure-requests", token: broker.operatorToken, json: Self.paul)
            #expect(paul.found && paul.noticesRecorded == 0)
            // Asking again finds nothing: the record forgot the person once the notice was recorded.
            let again = try await client.call(.post, "/v1/erasure-requests", token: broker.operatorToken, json: Self.luc)
            #expect(again.status == .accepted)
        }
    }
}
