import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import NIOFoundationCompat
import Testing
import TrocCore
import TrocServer
import TrocStore

/// The retention rules as the running broker applies them, on a test clock: a released deal's files until the dispute
/// window ends, an ended deal's at once, a file in no deal after its days, a delivery once spent.
@Suite struct RetentionAPITests {
    static func maintain(_ broker: TestBroker) async {
        await MaintenanceService(broker: broker.broker, logger: Logger(label: "test")).runOnce()
    }

    static func files(_ client: any TestClientProtocol, token: String) async throws -> [StoredFile] {
        try await client.decoded([StoredFile].self, .get, "/v1/files", token: token)
    }

    @Test func aReleasedDealsFilesStayUntilTheDisputeWindowEndsAndDeliveriesUntilSpent() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let deal = try await parties.releasedDeal(client, broker)
            for _ in 1...3 { _ = try await parties.download(client, deal: deal.id, for: parties.heating.id) }
            broker.clock.advance(days: 29)
            await Self.maintain(broker)
            #expect(try await Self.files(client, token: parties.joineryToken).count == 1, "the dispute window runs 30 days")
            let deliveries = try await broker.broker.store.deliveries(dealID: deal.id, recipientID: nil)
            #expect(deliveries.first { $0.recipientID == parties.heating.id }?.blobID == nil, "downloaded to its limit: purged")
            #expect(deliveries.first { $0.recipientID == parties.joinery.id }?.blobID != nil, "still downloadable")
            broker.clock.advance(days: 1)
            await Self.maintain(broker)
            #expect(try await Self.files(client, token: parties.joineryToken).isEmpty)
            #expect(try await Self.files(client, token: parties.heatingToken).isEmpty)
            #expect(try await broker.broker.store.deliveries(dealID: deal.id, recipientID: nil).allSatisfy { $0.blobID == nil }, "expired: purged")
            #expect(try broker.blobFiles().isEmpty, "no blob file is left behind")
            let purges = try await client.decoded([AuditEntryView].self, .get, "/v1/audit?limit=1000", token: broker.operatorToken)
                .filter { $0.action == "file.purge" }
            #expect(purges.count == 2 && purges.allSatisfy { $0.detail["rule"] == "dispute-window-ended" && $0.actorUserId == nil })
        }
    }

    @Test func aDeclinedDealsFilesGoAtOnce() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let deal = try await parties.matchedDeal(client, broker)
            #expect(try await Self.files(client, token: parties.joineryToken).count == 1)
            _ = try await client.decoded(
                Deal.self, .post, "/v1/deals/\(deal.id)/decline", token: parties.heatingToken, json: #"{"reason": "too few"}"#)
            #expect(try await Self.files(client, token: parties.joineryToken).isEmpty)
            #expect(try await Self.files(client, token: parties.heatingToken).isEmpty)
            #expect(try broker.blobFiles().isEmpty)
        }
    }

    @Test func anExpiredDealsFilesGoWithTheMaintenancePassThatExpiresIt() async throws {
        try await TestBroker.withParties { client, broker, parties in
            _ = try await parties.matchedDeal(client, broker)
            broker.clock.advance(days: 60)
            await Self.maintain(broker)
            #expect(try await Self.files(client, token: parties.joineryToken).isEmpty)
        }
    }

    @Test func aFileInNoDealGoesAfterItsDays() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let uploaded = try await client.upload(
                try sealedUpload(Partners.contacts, broker: broker, organisationID: parties.joinery.id), token: parties.joineryToken)
            #expect(uploaded.status == .created)
            _ = try await broker.broker.store.updateSettings(
                SettingsChange(unattachedFileDays: 10), reason: nil, actor: .system, now: broker.clock.now)
            broker.clock.advance(days: 9)
            await Self.maintain(broker)
            #expect(try await Self.files(client, token: parties.joineryToken).count == 1)
            broker.clock.advance(days: 1)
            await Self.maintain(broker)
            #expect(try await Self.files(client, token: parties.joineryToken).isEmpty)
        }
    }
}
