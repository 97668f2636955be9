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

/// What the broker finishes at start after a crash left it between two steps that no request would take again.
@Suite struct CrashRecoveryTests {
    /// The crash campaign's first finding (seed 20261206): killed after the second file's attachment committed and before
    /// the match, a deal kept awaiting files it already had, for ever. The next maintenance pass runs the match, once.
    @Test func maintenanceRunsTheMatchOfADealWhoseSecondFileCameInJustBeforeACrash() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let deal = try await client.decoded(
                Deal.self, .post, "/v1/deals", token: parties.joineryToken,
                json: #"{"partnerId": "\#(parties.heating.id)", "pricePer1000Cents": 2500, "policy": "all"}"#)
            let first = try await client.uploadToDeal(
                DealFiles.joinery, deal: deal.id, as: parties.joinery.id, token: parties.joineryToken, broker: broker)
            #expect(first.status == .ok)
            // The heating firm's file is stored and attached, then the process dies before the match runs.
            let envelope = try sealedUpload(DealFiles.heating, broker: broker, organisationID: parties.heating.id)
            let stored = try ServerTestJSON.decoder.decode(
                StoredFile.self, from: Data(buffer: try await client.upload(envelope, token: parties.heatingToken).body))
            _ = try await broker.broker.store.attachFile(dealID: deal.id, fileID: stored.id, actor: .system, now: broker.clock.now)
            let stuck = try await client.decoded(Deal.self, .get, "/v1/deals/\(deal.id)", token: broker.operatorToken)
            #expect(stuck.state == .awaitingFiles && stuck.proposer.fileAttached && stuck.partner.fileAttached)

            let maintenance = MaintenanceService(broker: broker.broker, logger: Logger(label: "test"))
            await maintenance.resumeInterruptedMatches()
            await maintenance.resumeInterruptedMatches()
            let matched = try await client.decoded(Deal.self, .get, "/v1/deals/\(deal.id)", token: broker.operatorToken)
            #expect(matched.state == .matched && matched.reportReady)
            let report = try await client.decoded(DealReportView.self, .get, "/v1/deals/\(deal.id)/report", token: broker.operatorToken)
            #expect(report.full != nil)
        }
    }
}
