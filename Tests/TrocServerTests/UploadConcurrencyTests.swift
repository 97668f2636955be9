import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TrocCore
import TrocServer

/// Uploads streaming at once are bounded per firm and in all; the next one is answered 429 with `Retry-After`
/// before its body is read.
@Suite struct UploadConcurrencyTests {
    @Test func uploadsBeyondTheFirmsOrTheBrokersLimitAreAnswered429WithRetryAfter() async throws {
        let broker = try await TestBroker.make { $0.uploadLimits = UploadLimits(perFirm: 1, total: 2, retryAfterSeconds: 20) }
        defer { broker.remove() }
        try await broker.withClient { client in
            let parties = try await DealParties.register(client, broker, keys: false)
            let joineryUpload = try sealedUpload(Partners.contacts, broker: broker, organisationID: parties.joinery.id)
            let heatingUpload = try sealedUpload(Partners.contacts, broker: broker, organisationID: parties.heating.id)

            // The joinery has one upload streaming (its slot is held as an upload in progress holds it).
            try broker.broker.uploads.admit(parties.joinery.id)
            let busy = try await client.upload(joineryUpload, token: parties.joineryToken)
            #expect(busy.status == .tooManyRequests)
            #expect(busy.headers[.retryAfter] == "20")
            let problem = try ServerTestJSON.problem(busy)
            #expect(problem.code == "upload.too-many" && problem.detail.contains("your firm's uploads"), "\(problem)")
            #expect(try broker.blobFiles().isEmpty)
            // Deal uploads count as well.
            let deal = try await client.decoded(
                Deal.self, .post, "/v1/deals", token: parties.joineryToken,
                json: #"{"partnerId": "\#(parties.heating.id)", "pricePer1000Cents": 2500}"#)
            #expect(
                try await client.uploadToDeal(DealFiles.joinery, deal: deal.id, as: parties.joinery.id, token: parties.joineryToken, broker: broker)
                    .status == .tooManyRequests)

            // The heating firm still has its own slot, until the broker-wide limit is reached.
            #expect(try await client.upload(heatingUpload, token: parties.heatingToken).status == .created)
            broker.broker.uploads.release(parties.joinery.id)
            try broker.broker.uploads.admit(parties.heating.id)
            try broker.broker.uploads.admit("org_someoneelse")
            let full = try ServerTestJSON.problem(try await client.upload(joineryUpload, token: parties.joineryToken))
            #expect(full.status == 429 && full.detail.contains("all firms"), "\(full)")

            // Slots come back once uploads end, whatever their outcome.
            broker.broker.uploads.release(parties.heating.id)
            broker.broker.uploads.release("org_someoneelse")
            #expect(try await client.upload(Data([1, 2, 3]), token: parties.joineryToken).status == .badRequest)
            #expect(try await client.upload(joineryUpload, token: parties.joineryToken).status == .created)
        }
    }

    @Test func theGateCountsSlotsPerFirmAndInAll() throws {
        let gate = UploadGate(limits: UploadLimits(perFirm: 2, total: 3, retryAfterSeconds: 5))
        try gate.admit("a")
        try gate.admit("a")
        #expect(throws: UploadLimitReached(scope: .firm, limit: 2, retryAfterSeconds: 5)) { try gate.admit("a") }
        try gate.admit("b")
        #expect(throws: UploadLimitReached(scope: .broker, limit: 3, retryAfterSeconds: 5)) { try gate.admit("c") }
        gate.release("a")
        try gate.admit("c")
        #expect(throws: UploadLimitReached(scope: .broker, limit: 3, retryAfterSeconds: 5)) { try gate.admit("a") }
    }
}
