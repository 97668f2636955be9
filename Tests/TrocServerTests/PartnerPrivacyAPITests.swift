import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Testing
import TrocCore
import TrocServer
import TrocStore

/// What partners see of each other and of the suppression list, over the API: noised reports that do not change when
/// asked again, ingestion reports without the list, the minimum file size, the privacy budget between two firms.
@Suite struct PartnerPrivacyAPITests {
    @Test func partnersGetTheSameNoisedReportEveryTimeAndOperatorsTheExactOne() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let deal = try await parties.matchedDeal(client, broker, policy: .equalCount)
            let uri = "/v1/deals/\(deal.id)/report"
            let raw = try await client.call(.get, uri, token: parties.joineryToken)
            let first = try ServerTestJSON.decoder.decode(DealReportView.self, from: Data(buffer: raw.body))
            #expect(first.full == nil && first.report.epsilon == PartnerPrivacy.epsilonPerDealAndSide)
            #expect(try await client.decoded(DealReportView.self, .get, uri, token: parties.joineryToken) == first)
            #expect(try await client.decoded(DealReportView.self, .get, uri, token: parties.heatingToken) == first)
            let json = String(buffer: raw.body)
            #expect(!json.contains("suppressed") && !json.contains("\"rows\""), "\(json)")

            let operatorView = try await client.decoded(DealReportView.self, .get, uri, token: broker.operatorToken)
            #expect(operatorView.report == first.report)
            let full = try #require(operatorView.full)
            #expect(full.a.exchangeable == 23 && full.netNew.a == 22 && full.a.suppressed == 0)
        }
    }

    /// Before: the upload's report told the firm how many of its contacts are on the suppression list, so uploading a
    /// person told whether they objected. Now the firm's report is its file without the list; operators see both.
    @Test func anUploadReportSaysNothingOfTheSuppressionList() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let (joinery, token) = try await registerPartner(client, broker, organisation: Partners.joinery, userName: "Jeanne")
            _ = try await client.decoded(
                SuppressionResult.self, .post, "/v1/suppressions", token: broker.operatorToken, json: #"{"values": ["paul.durand@entreprise.fr"]}"#)
            let response = try await client.upload(try sealedUpload(Partners.contacts, broker: broker, organisationID: joinery.id), token: token)
            #expect(response.status == .created)
            let uploaded = String(buffer: response.body)
            #expect(!uploaded.contains("suppressed") && !uploaded.contains("\"full\""), "\(uploaded)")
            let stored = try ServerTestJSON.decoder.decode(StoredFile.self, from: Data(buffer: response.body))
            #expect(stored.report.exchangeable == 2 && stored.full == nil, "Paul Durand counts as if nobody objected")

            for uri in ["/v1/files", "/v1/files/\(stored.id)"] {
                let shown = String(buffer: try await client.call(.get, uri, token: token).body)
                #expect(!shown.contains("suppressed") && shown.contains("\"exchangeable\":2"), "\(uri): \(shown)")
            }
            let operatorView = try await client.decoded(StoredFile.self, .get, "/v1/files/\(stored.id)", token: broker.operatorToken)
            #expect(operatorView.report == stored.report)
            #expect(operatorView.full?.suppressed == 1 && operatorView.full?.exchangeable == 1)
        }
    }

    /// Each file needs the broker's minimum of exchangeable contacts, counted before the suppression list (as the firm
    /// counts them itself); below it the deal waits, and both firms are told whose file is short, never by how much.
    @Test func aFileUnderTheMinimumHoldsTheDealWithoutSayingHowSmall() async throws {
        try await TestBroker.withParties(minimumExchangeable: nil) { client, broker, parties in
            // Marc Leroy objected: the joinery has 22 exchangeable contacts after the list, 23 before.
            _ = try await client.decoded(
                SuppressionResult.self, .post, "/v1/suppressions", token: broker.operatorToken, json: #"{"values": ["marc.leroy@fenetres-leroy.fr"]}"#
            )
            let held = try await parties.matchedDeal(client, broker)
            #expect(held.state == .awaitingFiles && !held.reportReady)
            let hold = try #require(held.hold)
            #expect(hold.code == "deal.file-too-small" && hold.minimumExchangeable == 500)
            #expect(Set(hold.organisationIds) == [parties.joinery.id, parties.heating.id])
            #expect(hold.detail.contains("your firm") && hold.detail.contains(parties.joinery.name) && hold.detail.contains("500"))
            let problem = try await client.problem(
                .get, "/v1/deals/\(held.id)/report", token: parties.joineryToken, status: 409, code: "deal.file-too-small")
            #expect(!problem.detail.contains("22") && !problem.detail.contains("23"), "\(problem.detail)")
            #expect(try await client.decoded(Deal.self, .get, "/v1/deals/\(held.id)", token: parties.heatingToken).hold == hold)
            let joineryView = try #require(try await client.decoded(Deal.self, .get, "/v1/deals/\(held.id)", token: parties.joineryToken).hold)
            #expect(joineryView.detail.contains("your firm") && joineryView.detail.contains(parties.heating.name))

            let files = try await client.decoded([StoredFile].self, .get, "/v1/files", token: parties.joineryToken)
            let joineryFile = try #require(files.first?.id)
            func retry(minimum: Int) async throws -> Deal {
                _ = try await broker.broker.store.updateSettings(
                    SettingsChange(minimumExchangeable: minimum), reason: "test", actor: .system, now: broker.clock.now)
                return try await client.decoded(
                    Deal.self, .post, "/v1/deals/\(held.id)/files", token: parties.joineryToken, json: #"{"fileId": "\#(joineryFile)"}"#)
            }
            #expect(try await retry(minimum: 24).hold?.organisationIds.count == 2)
            // At 23 both files pass, though one of the joinery's 23 is suppressed: the list plays no part in the check.
            let matched = try await retry(minimum: 23)
            #expect(matched.state == .matched && matched.hold == nil)
            let full = try #require(
                try await client.decoded(DealReportView.self, .get, "/v1/deals/\(held.id)/report", token: broker.operatorToken).full)
            #expect(full.a.exchangeable == 22 && full.a.suppressed == 1)
        }
    }

    /// Averaging many reports between the same firms would wash the noise out: two reports per pair per retention window.
    @Test func aThirdReportBetweenTheSameFirmsWaitsForThePrivacyBudget() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let propose = #"{"partnerId": "\#(parties.heating.id)", "pricePer1000Cents": 2500}"#
            _ = try await parties.matchedDeal(client, broker)
            let third = try await client.decoded(Deal.self, .post, "/v1/deals", token: parties.joineryToken, json: propose)
            _ = try await parties.matchedDeal(client, broker)

            _ = try await client.problem(
                .post, "/v1/deals", token: parties.joineryToken, json: propose, status: 409, code: "deal.privacy-budget-spent")
            _ = try await client.uploadToDeal(DealFiles.joinery, deal: third.id, as: parties.joinery.id, token: parties.joineryToken, broker: broker)
            let upload = try await client.uploadToDeal(
                DealFiles.heating, deal: third.id, as: parties.heating.id, token: parties.heatingToken, broker: broker)
            let held = try ServerTestJSON.decoder.decode(Deal.self, from: Data(buffer: upload.body))
            #expect(held.state == .awaitingFiles && held.hold?.code == "deal.privacy-budget-spent")
            let availableFrom = try #require(held.hold?.availableFrom)
            #expect(availableFrom > broker.clock.now.addingTimeInterval(365 * 86_400), "the first report counts for the 13-month window")
            _ = try await client.problem(
                .get, "/v1/deals/\(third.id)/report", token: parties.heatingToken, status: 409, code: "deal.privacy-budget-spent")
            let audited = try await client.decoded([AuditEntryView].self, .get, "/v1/audit?dealId=\(third.id)", token: broker.operatorToken)
            #expect(audited.contains { $0.action == "deal.hold" && $0.detail["reason"] == "privacy-budget" })
        }
    }
}
