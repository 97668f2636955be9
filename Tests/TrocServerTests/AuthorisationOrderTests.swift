import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TrocCore
import TrocServer
import TrocStore
import TrocTestSupport

/// A request that cannot succeed is refused before it costs anything: role and state come before reading the body,
/// running the engine or writing a blob.
@Suite struct AuthorisationOrderTests {
    @Test func aPartnerAskingForAReleaseIsRefusedBeforeTheMatchRunsAndNothingIsWritten() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let deal = try await parties.acceptedDeal(client, broker)
            _ = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/approve", token: broker.operatorToken, json: "{}")
            let audited = try await broker.broker.store.auditEntries(dealID: nil, limit: AppDatabase.maximumAuditPage, afterSeq: 0).count
            // A release reads both source blobs (the match runs again) and writes two delivery blobs: any of it shows here.
            let blobs = try FileEvents(watching: [broker.broker.configuration.blobsDirectory])
            for token in [parties.joineryToken, parties.heatingToken] {
                _ = try await client.problem(
                    .post, "/v1/deals/\(deal.id)/release", token: token, json: "{}", status: 403, code: "auth.forbidden-role")
            }
            #expect(blobs.drain() == [], "the refused release touched the blob store")
            #expect(try await broker.broker.store.auditEntries(dealID: nil, limit: AppDatabase.maximumAuditPage, afterSeq: 0).count == audited)
            #expect(try await broker.broker.store.deal(id: deal.id)?.state == .approved)
            #expect(try await broker.broker.store.deliveries(dealID: deal.id, recipientID: nil).isEmpty)
            // The operator's release still runs, and does touch the blobs.
            _ = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/release", token: broker.operatorToken, json: "{}")
            #expect(blobs.drain().contains { $0.isCreation })
        }
    }

    @Test func roleAndStateAreCheckedBeforeTheBodyIsRead() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let deal = try await parties.matchedDeal(client, broker)
            // A malformed body would be a 400 if it were read first.
            _ = try await client.problem(
                .post, "/v1/deals/\(deal.id)/approve", token: parties.joineryToken, json: "{", status: 403, code: "auth.forbidden-role")
            _ = try await client.problem(
                .post, "/v1/deals/\(deal.id)/accept", token: broker.operatorToken, json: "{", status: 403, code: "auth.forbidden-role")
            _ = try await client.problem(
                .post, "/v1/deals/\(deal.id)/release", token: broker.operatorToken, json: "{", status: 409, code: "deal.state")
            _ = try await client.problem(
                .post, "/v1/deals/\(deal.id)/override", token: broker.operatorToken, json: "{", status: 409, code: "deal.state")
        }
    }
}
