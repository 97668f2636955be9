import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Testing
import TrocCore
import TrocCrypto
import TrocServer
import TrocStore
import TrocTestSupport

/// Per-firm quotas on uploads (413 with the quota and its use), checked before the body is read when they can be,
/// and `DELETE /v1/files/{id}`.
@Suite struct QuotaTests {
    /// Sets the firms' quotas.
    static func setQuotas(_ broker: TestBroker, bytes: Int64? = nil, files: Int? = nil) async throws {
        _ = try await broker.broker.store.updateSettings(
            SettingsChange(firmStorageQuotaBytes: bytes, firmFileQuota: files), reason: nil, actor: .system, now: broker.clock.now)
    }

    @Test func aFirmAtItsFileQuotaIsRefusedBeforeItsUploadIsRead() async throws {
        try await TestBroker.withParties(keys: false) { client, broker, parties in
            try await Self.setQuotas(broker, files: 1)
            let envelope = try sealedUpload(Partners.contacts, broker: broker, organisationID: parties.joinery.id)
            #expect(try await client.upload(envelope, token: parties.joineryToken).status == .created)
            // Garbage would be refused as not-an-envelope (400) if the broker read it.
            let refused = try ServerTestJSON.problem(try await client.upload(Data(repeating: 0x41, count: 4096), token: parties.joineryToken))
            #expect(refused.status == 413 && refused.code == "quota.files", "\(refused)")
            #expect(refused.quota == QuotaExcess(kind: .files, limit: 1, used: 1, requested: 1))
            #expect(refused.detail.contains("troc files delete"))
            #expect(try broker.blobFiles().count == 1)
            // The other firm has its own quota.
            let other = try sealedUpload(Partners.contacts, broker: broker, organisationID: parties.heating.id)
            #expect(try await client.upload(other, token: parties.heatingToken).status == .created)
        }
    }

    @Test func aDeclaredSizeThatCannotFitTheStorageQuotaIsRefusedBeforeItsUploadIsRead() async throws {
        try await TestBroker.withParties(keys: false) { client, broker, parties in
            try await Self.setQuotas(broker, bytes: 4096)
            let response = try await client.upload(Data(repeating: 0x41, count: 64 << 10), token: parties.joineryToken)
            let refused = try ServerTestJSON.problem(response)
            #expect(refused.status == 413 && refused.code == "quota.storage", "\(refused)")
            #expect(
                refused.quota
                    == QuotaExcess(kind: .storage, limit: 4096, used: 0, requested: EnvelopeLength.minimumPlaintext(ofEnvelopeBytes: 64 << 10)))
            #expect(refused.detail.contains("4 KiB"))
            #expect(try broker.blobFiles().isEmpty)
            // An upload that fits goes in, and counts.
            let envelope = try sealedUpload(Partners.contacts, broker: broker, organisationID: parties.joinery.id)
            #expect(try await client.upload(envelope, token: parties.joineryToken).status == .created)
            #expect(try await broker.broker.store.storage(organisationID: parties.joinery.id).bytes == Int64(Partners.contacts.utf8.count))
        }
    }

    @Test func aChunkedUploadThatOutgrowsTheStorageQuotaIsCutWhileStreamingAndLeavesNothing() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        let app = Application(router: try buildRouter(broker.broker), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let (joinery, token) = try await registerPartner(client, broker, organisation: Partners.joinery, userName: "Jeanne")
            try await Self.setQuotas(broker, bytes: 8 << 10)
            // 64 KiB of plaintext in 1 KiB chunks, sent without a length: only what arrives can tell.
            let plaintext = String(repeating: Partners.contacts + "\n", count: 64 << 10 / Partners.contacts.utf8.count + 1)
            let envelope = try sealedUpload(plaintext, broker: broker, organisationID: joinery.id)
            let port = try #require(client.port)
            // Off Swift's cooperative pool: the broker answering runs on it, and so do other tests' blocking calls.
            let answer = try await Blocking.run {
                let connection = try RawConnection(port: port)
                try connection.send(
                    "POST /v1/files?name=big.csv HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(token)\r\n"
                        + "Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                // A third of the envelope, about 21 KiB, and never the end: the broker must answer without waiting for more.
                var offset = 0
                while offset < envelope.count / 3 {
                    let piece = envelope[offset..<min(offset + 2048, envelope.count)]
                    try connection.send(Array(String(piece.count, radix: 16).utf8) + Array("\r\n".utf8) + Array(piece) + Array("\r\n".utf8))
                    offset += piece.count
                }
                return String(decoding: connection.readResponse(limit: 30), as: UTF8.self)
            }
            #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer)")
            #expect(answer.contains(#""code":"quota.storage""#))
            #expect(try broker.blobFiles().isEmpty)
            #expect(try await broker.broker.store.files(organisationID: nil).isEmpty)
        }
    }

    @Test func aFirmDeletesItsUnattachedFileAndItsBlobGoes() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let envelope = try sealedUpload(Partners.contacts, broker: broker, organisationID: parties.joinery.id)
            let stored = try ServerTestJSON.decoder.decode(
                StoredFile.self, from: Data(buffer: try await client.upload(envelope, token: parties.joineryToken).body))
            #expect(try broker.blobFiles().count == 1)
            _ = try await client.problem(.delete, "/v1/files/\(stored.id)", token: parties.heatingToken, status: 404, code: "not-found")
            _ = try await client.problem(.delete, "/v1/files/\(stored.id)", token: broker.operatorToken, status: 403, code: "auth.forbidden-role")
            #expect(try await client.call(.delete, "/v1/files/\(stored.id)", token: parties.joineryToken).status == .noContent)
            #expect(try broker.blobFiles().isEmpty)
            #expect(try await client.call(.get, "/v1/files/\(stored.id)", token: parties.joineryToken).status == .notFound)
            #expect(try await broker.broker.store.auditEntries(dealID: nil, limit: 100, afterSeq: 0).last?.action == "file.delete")

            // A file in a deal stays until the deal no longer needs it.
            let deal = try await parties.matchedDeal(client, broker)
            let fileID = try #require(
                try await broker.broker.store.dealFiles(dealID: deal.id).first { $0.organisationID == parties.joinery.id }?.fileID)
            let refused = try await client.problem(.delete, "/v1/files/\(fileID)", token: parties.joineryToken, status: 409, code: "file.in-deal")
            #expect(refused.detail.contains(deal.id))
        }
    }
}
