import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TrocCore
import TrocCrypto
import TrocServer
import TrocStore
import TrocTestSupport

/// Files holding secrets are readable by their owner only from their first byte: created 0600 by open(2), never
/// widened and tightened afterwards. The kernel reports every chmod on a watched directory's files, so "no attribute
/// change" shows that no window existed.
@Suite struct FileModeTests {
    /// A fresh directory, removed by the caller.
    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("troc-modes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    /// Events on files (not directories) whose attributes changed.
    static func chmods(_ events: [FileEvents.Event]) -> [FileEvents.Event] {
        events.filter { $0.isAttributeChange && !$0.isDirectory }
    }

    @Test func aSecretFileIsCreated0600AndReplacedInOneRename() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let events = try FileEvents(watching: [directory])
        let path = directory + "/master.key"
        try SecretFile.write(Data("first\n".utf8), to: path)
        try SecretFile.write(Data("second\n".utf8), to: path)
        let seen = events.drain()
        #expect(Self.chmods(seen) == [], "\(seen)")
        #expect(seen.contains { $0.isCreation })
        #expect(permissionBits(path) == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["master.key"])
        #expect(throws: SecretFileError.self) { try SecretFile.write(Data(), to: directory + "/missing/key") }
    }

    @Test func theDevelopmentTLSKeyIsCreated0600() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let events = try FileEvents(watching: [directory])
        #expect(try DevelopmentCertificate.ensure(certificatePath: directory + "/cert.pem", keyPath: directory + "/key.pem"))
        let seen = events.drain()
        #expect(Self.chmods(seen) == [], "\(seen)")
        #expect(permissionBits(directory + "/key.pem") == 0o600)
    }

    @Test func aBackupHoldsOnlyOwnerReadableFiles() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let (joinery, token) = try await registerPartner(client, broker, organisation: Partners.joinery, userName: "Jeanne")
            #expect(
                try await client.upload(try sealedUpload(Partners.contacts, broker: broker, organisationID: joinery.id), token: token).status
                    == .created)
        }
        let target = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: target) }
        let events = try FileEvents(watching: [target])
        let blobs = try #require(broker.broker.blobs as? BlobStore)
        let summary = try Backup.run(database: try #require(broker.broker.store as? AppDatabase), blobs: blobs, to: target, now: broker.clock.now)
        #expect(summary.manifest.blobCount == 1)
        // SQLite gives its journal, WAL and shared-memory files the database's mode as it creates them, then (run as
        // root) chowns them to the database's owner: an attribute change that widens nothing.
        let seen = events.drain().filter { !$0.name.hasPrefix("troc.sqlite-") }
        #expect(Self.chmods(seen) == [], "\(seen)")
        var files = ["troc.sqlite", "manifest.json"]
        files += try FileManager.default.contentsOfDirectory(atPath: target + "/blobs").map { "blobs/" + $0 }
        for file in files { #expect(permissionBits(target + "/" + file) == 0o600, "\(file)") }
        #expect(permissionBits(target + "/blobs").map { $0 & 0o077 } == 0)
    }
}
