import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TrocCore
import TrocObjectStore
import TrocServer
import TrocStore
import TrocTestSupport

/// A broker whose blobs are in an S3 bucket (a real SeaweedFS) does what one with a blob directory does: a whole swap
/// delivers the same rows, and an upload that fails leaves neither a row nor an object. Serialised: the tests compare
/// the bucket's contents before and after.
@Suite(.seaweedFS, .serialized) struct ObjectStoreBrokerTests {
    /// The key prefix `Broker.open` gives the object store.
    static let prefix = "blobs/"

    /// The suite's bucket, with the test server's identity.
    static func objectStore() throws -> ObjectStoreConfiguration {
        let server = try #require(SeaweedFS.current)
        return try ObjectStoreConfiguration(
            url: server.url, environment: ["AWS_ACCESS_KEY_ID": SeaweedFS.accessKeyID, "AWS_SECRET_ACCESS_KEY": SeaweedFS.secretAccessKey])
    }

    /// Runs `body` on a fresh broker with its blobs in the bucket (or, if `objectStore` is false, in its data directory)
    /// and the two firms registered; then closes the store and removes the broker.
    static func withParties(
        objectStore: Bool, _ body: @Sendable (any TestClientProtocol, TestBroker, DealParties) async throws -> Void
    ) async throws {
        let configuration = objectStore ? try Self.objectStore() : nil
        let broker = try await TestBroker.make { $0.objectStore = configuration }
        defer { broker.remove() }
        do {
            try await broker.withClient { client in try await body(client, broker, try await DealParties.register(client, broker)) }
        } catch {
            await broker.broker.blobs.shutdown()
            throw error
        }
        await broker.broker.blobs.shutdown()
    }

    /// The keys of the objects under the broker's prefix.
    static func objectKeys(_ client: ObjectStoreClient) async throws -> [String] {
        var keys: [String] = []
        var token: String?
        repeat {
            let page = try await client.list(prefix: prefix, continuationToken: token)
            keys += page.objects.map(\.key)
            token = page.nextContinuationToken
        } while token != nil
        return keys
    }

    @Test func aSwapWithBlobsInTheObjectStoreDeliversWhatTheDirectoryBackendDelivers() async throws {
        let server = try #require(SeaweedFS.current)
        let deliveries = Deliveries()
        for objectStore in [false, true] {
            try await Self.withParties(objectStore: objectStore) { client, broker, parties in
                let deal = try await parties.releasedDeal(client, broker)
                #expect(deal.state == .invoiced)
                // The deal's id is in every row's provenance: the one thing that differs between the two brokers.
                let toJoinery = try await parties.download(client, deal: deal.id, for: parties.joinery.id)
                let toHeating = try await parties.download(client, deal: deal.id, for: parties.heating.id)
                deliveries.record(objectStore, [toJoinery, toHeating].map { $0.replacingOccurrences(of: deal.id, with: "DEAL") })
                guard objectStore else { return }
                // Every blob the records name is an object; nothing is left on the local disk.
                let bucket = try server.client()
                let keys = try await Self.objectKeys(bucket)
                await bucket.shutdown()
                let named = try await broker.broker.store.blobIDs()
                #expect(named.count == 4)
                #expect(named.allSatisfy { keys.contains(Self.prefix + $0) })
                #expect(!FileManager.default.fileExists(atPath: broker.broker.configuration.blobsDirectory))
                #expect(try FileManager.default.contentsOfDirectory(atPath: broker.broker.configuration.blobSpoolDirectory).isEmpty)
            }
        }
        let (directory, objects) = deliveries.both
        #expect(directory.count == 2 && directory.allSatisfy { deliveryRows($0).count > 10 })
        #expect(objects == directory)
    }

    @Test func anUploadCutShortLeavesNoRowNoObjectAndNoSpoolFile() async throws {
        let server = try #require(SeaweedFS.current)
        let bucket = try server.client()
        let before = try await Self.objectKeys(bucket)
        try await Self.withParties(objectStore: true) { client, broker, parties in
            let plaintext = DealFiles.joinery + String(repeating: DealFiles.prospects("joinery"), count: 400)
            let envelope = try sealedUpload(plaintext, broker: broker, organisationID: parties.joinery.id)
            let response = try await client.upload(envelope.prefix(envelope.count * 2 / 3), token: parties.joineryToken)
            #expect(try ServerTestJSON.problem(response).code == "envelope.truncated")
            #expect(try await broker.broker.store.files(organisationID: nil).isEmpty)
            #expect(try await broker.broker.store.blobIDs().isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: broker.broker.configuration.blobSpoolDirectory).isEmpty)
        }
        #expect(try await Self.objectKeys(bucket) == before)
        #expect(try await bucket.pendingUploads(prefix: Self.prefix).isEmpty)
        await bucket.shutdown()
    }
}

/// The deliveries of the directory broker and of the object-store broker, gathered across the two runs.
final class Deliveries: @unchecked Sendable {
    private let lock = NSLock()
    private var byBackend: [Bool: [String]] = [:]

    /// Records the deliveries of one run.
    func record(_ objectStore: Bool, _ deliveries: [String]) {
        lock.withLock { byBackend[objectStore] = deliveries }
    }

    /// The directory's, then the object store's.
    var both: ([String], [String]) {
        lock.withLock { (byBackend[false] ?? [], byBackend[true] ?? []) }
    }
}
