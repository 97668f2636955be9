import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Testing
import TrocCore
import TrocCrypto
import TrocServer
import TrocStore

@Suite struct TransferTests {
    @Test func anUploadIsReadStoredEncryptedAndDownloadedToTheOwnersKey() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let (joinery, token) = try await registerPartner(client, broker, organisation: Partners.joinery, userName: "Jeanne")
            let envelope = try sealedUpload(Partners.contacts, broker: broker, organisationID: joinery.id)
            let response = try await client.upload(envelope, name: "prospects%202026.csv", token: token)
            #expect(response.status == .created)
            let stored = try ServerTestJSON.decoder.decode(StoredFile.self, from: Data(buffer: response.body))
            #expect(stored.name == "prospects 2026.csv")
            #expect(stored.byteCount == Partners.contacts.utf8.count)
            #expect(stored.report.rows == 3 && stored.report.contacts == 3)
            #expect(stored.report.validEmails == 3 && stored.report.b2c == 1 && stored.report.refusedConsent == 1)
            #expect(stored.report.exchangeable == 2)

            // At rest: one blob, and no clear contact in it or in the database.
            let blobs = try broker.blobFiles()
            #expect(blobs.count == 1)
            let blobBytes = try Data(contentsOf: URL(fileURLWithPath: broker.broker.configuration.blobsDirectory).appendingPathComponent(blobs[0]))
            let database = try Data(contentsOf: URL(fileURLWithPath: broker.broker.configuration.databasePath))
            for needle in ["jean.martin", "06 12 34", "entreprise.fr"] {
                #expect(blobBytes.range(of: Data(needle.utf8)) == nil)
                #expect(database.range(of: Data(needle.utf8)) == nil)
            }

            // Download: refused until the firm registers its key, then sealed to that key.
            let noKey = try ServerTestJSON.problem(try await client.call(.get, "/v1/files/\(stored.id)/content", token: token))
            #expect(noKey.status == 409 && noKey.code == "delivery.no-key")
            let privateKey = EnvelopePrivateKey.generate()
            let pem = String(decoding: try JSONEncoder().encode(privateKey.publicKey.pemText), as: UTF8.self)
            _ = try await client.decoded(
                Organisation.self, .put, "/v1/organisations/\(joinery.id)/public-key", token: token, json: #"{"publicKey": \#(pem)}"#)
            let download = try await client.call(.get, "/v1/files/\(stored.id)/content", token: token)
            #expect(download.status == .ok)
            #expect(download.headers[.contentLength] == String(download.body.readableBytes))
            var opener = EnvelopeOpener(privateKey: privateKey, purpose: try EnvelopePurpose(TransferPurpose.download(fileID: stored.id)))
            let plaintext = try opener.feed(Data(buffer: download.body)).reduce(Data(), +)
            try opener.finish()
            #expect(String(decoding: plaintext, as: UTF8.self) == Partners.contacts)

            // Another firm does not see it.
            let (_, otherToken) = try await registerPartner(client, broker, organisation: Partners.heating, userName: "Hugo")
            #expect(try await client.call(.get, "/v1/files/\(stored.id)", token: otherToken).status == .notFound)
            #expect(try await client.call(.get, "/v1/files/\(stored.id)/content", token: otherToken).status == .notFound)
        }
    }

    /// Each broken envelope is refused with its code, and leaves no file and no blob behind.
    @Test(arguments: [
        ("truncated", "envelope.truncated"), ("dropped final record", "envelope.truncated"), ("swapped records", "envelope.tampered"),
        ("flipped bit", "envelope.tampered"), ("wrong key", "envelope.wrong-key"), ("another firm's purpose", "envelope.wrong-key"),
        ("not an envelope", "envelope.not-an-envelope"), ("trailing bytes", "envelope.trailing-data"),
    ])
    func brokenUploadsAreRefusedAndLeaveNothing(damage: String, code: String) async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let (joinery, token) = try await registerPartner(client, broker, organisation: Partners.joinery, userName: "Jeanne")
            let text = String(repeating: Partners.contacts + "\n", count: 16)
            let good = try sealedUpload(text, broker: broker, organisationID: joinery.id)
            let header = EnvelopeHeader.byteCount
            let record = 5 + ChunkSizeLimits.minimum + 16
            var envelope = good
            switch damage {
            case "truncated": envelope = good.prefix(good.count - 7)
            case "dropped final record": envelope = good.prefix(header + record)
            case "swapped records":
                // The second and third: a bad first record cannot be told from a wrong key.
                let second = good[(header + record)..<(header + 2 * record)]
                let third = good[(header + 2 * record)..<(header + 3 * record)]
                envelope = good.prefix(header + record) + third + second + good[(header + 3 * record)...]
            case "flipped bit": envelope[header + record + 40] ^= 0x01
            case "wrong key":
                envelope = try seal(
                    Data(text.utf8), to: EnvelopePrivateKey.generate().publicKey, purpose: TransferPurpose.upload(organisationID: joinery.id))
            case "another firm's purpose": envelope = try sealedUpload(text, broker: broker, organisationID: "org_someoneelse")
            case "not an envelope": envelope = Data(text.utf8)
            default: envelope.append(0x00)
            }
            let problem = try ServerTestJSON.problem(try await client.upload(envelope, token: token))
            #expect(problem.status == 400)
            #expect(problem.code == code, "\(damage): \(problem.detail)")
            #expect(try await client.decoded([StoredFile].self, .get, "/v1/files", token: token).isEmpty)
            #expect(try broker.blobFiles().isEmpty)
        }
    }

    @Test func uploadsThatAreTooLargeOrNotCSVAreRefused() async throws {
        let broker = try await TestBroker.make(maxUploadBytes: 4096)
        defer { broker.remove() }
        try await broker.withClient { client in
            let (joinery, token) = try await registerPartner(client, broker, organisation: Partners.joinery, userName: "Jeanne")
            let big = try sealedUpload(String(repeating: "x", count: 10_000), broker: broker, organisationID: joinery.id)
            let tooLarge = try ServerTestJSON.problem(try await client.upload(big, token: token))
            #expect(tooLarge.status == 413 && tooLarge.code == "upload.too-large")

            let workbook = try seal(
                Data([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 600)), to: broker.broker.keys.publicKey,
                purpose: TransferPurpose.upload(organisationID: joinery.id))
            let binary = try ServerTestJSON.problem(try await client.upload(workbook, token: token))
            #expect(binary.status == 422 && binary.code == "file.binary")
            #expect(binary.detail.contains("xlsx"))

            let json = try ServerTestJSON.problem(try await client.upload(Data("{}".utf8), token: token, contentType: "application/json"))
            #expect(json.status == 415)
            let unnamed = try ServerTestJSON.problem(try await client.upload(Data(), name: "", token: token))
            #expect(unnamed.code == "request.missing-parameter")
            let path = try ServerTestJSON.problem(try await client.upload(Data(), name: "..%2Fetc%2Fpasswd", token: token))
            #expect(path.code == "request.invalid-parameter")
            #expect(try broker.blobFiles().isEmpty)
        }
    }
}
