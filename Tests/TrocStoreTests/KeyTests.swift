import Crypto
import Foundation
import GRDB
import Testing
import TrocCore
import TrocCrypto
import TrocStore

/// The broker's keys are created once, survive a reopen, and follow the master key through rotation.
@Suite struct KeyTests {
    let directory: TemporaryDirectory
    let layout: DataDirectory

    init() throws {
        directory = try TemporaryDirectory()
        layout = DataDirectory(path: directory.path)
    }

    /// Bytes of the deal match key derived from `keys`' root secret, to compare secrets.
    func matchKey(_ keys: BrokerKeys) -> Data {
        keys.rootHashingSecret.dealMatchKey(dealID: "deal-1").withUnsafeBytes { Data($0) }
    }

    @Test("ensureBrokerKeys creates the keys once, returns the same ones after a reopen, and refuses another master key")
    func stableAcrossReopen() throws {
        let masterKey = MasterKey.generate()
        let first: BrokerKeys
        do {
            let database = try AppDatabase.openOnDisk(at: layout.databasePath)
            #expect(try database.activeBrokerKey() == nil)
            first = try database.ensureBrokerKeys(masterKey: masterKey, now: Dates.start)
            let again = try database.ensureBrokerKeys(masterKey: masterKey, now: Dates.at(5))
            #expect(again.id == first.id && again.publicKey == first.publicKey)
        }
        let reopened = try AppDatabase.openOnDisk(at: layout.databasePath)
        let second = try reopened.ensureBrokerKeys(masterKey: masterKey, now: Dates.at(10))
        #expect(second.id == first.id)
        #expect(second.publicKey == first.publicKey)
        #expect(second.privateKey.rawRepresentation == first.privateKey.rawRepresentation)
        #expect(matchKey(second) == matchKey(first))
        let record = try #require(try reopened.activeBrokerKey())
        #expect(record.id == first.id && record.createdAt == Dates.start && record.active)
        #expect(try EnvelopePublicKey(pemText: record.publicKeyPEM) == first.publicKey)
        // The private key is not stored in clear.
        #expect(!contains(Array(record.sealedPrivateKey), Array(first.privateKey.rawRepresentation)))

        let wrong = MasterKey.generate()
        #expect(throws: StoreError.wrongMasterKey(expected: masterKey.id.description, loaded: wrong.id.description)) {
            try reopened.ensureBrokerKeys(masterKey: wrong, now: Dates.at(20))
        }
    }

    @Test("rotation rewraps every key; blobs and broker keys then open with the new key only; a repeat changes nothing")
    func rotation() throws {
        let old = MasterKey.generate()
        let new = MasterKey.generate()
        let database = try AppDatabase.openOnDisk(at: layout.databasePath)
        let blobs = try BlobStore(directory: layout.blobsPath)
        let partner = try database.createOrganisation(Organisations.partner(), now: Dates.start)
        let before = try database.ensureBrokerKeys(masterKey: old, now: Dates.start)
        var contents: [String: [UInt8]] = [:]
        for index in 0..<3 {
            let bytes = patternBytes(count: 1000 + index * 40_000, seed: UInt64(index))
            let stored = try storeBlob(bytes, in: blobs, masterKey: old)
            let file = try database.createFile(
                organisationID: partner.id, blob: stored, name: "f\(index).csv", byteCount: Int64(bytes.count), reportJSON: "{}", now: Dates.start)
            contents[file.blobID] = bytes
        }
        let blobFiles = try contents.keys.map { try Data(contentsOf: URL(fileURLWithPath: blobs.path(of: $0))) }

        let summary = try database.rotateMasterKey(from: old, to: new)
        #expect((summary.blobs, summary.brokerKeys, summary.secrets, summary.alreadyRotated) == (3, 1, 1, 0))
        // Blob files are untouched.
        #expect(try contents.keys.map { try Data(contentsOf: URL(fileURLWithPath: blobs.path(of: $0))) } == blobFiles)
        for (id, bytes) in contents {
            let record = try #require(try database.blob(id: id))
            #expect(record.masterKeyID == new.id.description)
            #expect(try readBlob(id, wrappedKey: try record.parsedWrappedKey(), in: blobs, masterKey: new) == bytes)
            #expect(throws: BlobStoreError.keyWrapFailed(id: id, .wrongMasterKey(wrappedBy: new.id, loaded: old.id))) {
                try readBlob(id, wrappedKey: try record.parsedWrappedKey(), in: blobs, masterKey: old)
            }
        }
        let after = try database.ensureBrokerKeys(masterKey: new, now: Dates.at(1))
        #expect(after.id == before.id && after.publicKey == before.publicKey && matchKey(after) == matchKey(before))
        #expect(throws: StoreError.wrongMasterKey(expected: new.id.description, loaded: old.id.description)) {
            try database.ensureBrokerKeys(masterKey: old, now: Dates.at(2))
        }

        let repeated = try database.rotateMasterKey(from: old, to: new)
        #expect((repeated.blobs, repeated.brokerKeys, repeated.secrets, repeated.alreadyRotated) == (0, 0, 0, 5))
        #expect(throws: StoreError.rotationToSameKey(masterKeyID: new.id.description)) { try database.rotateMasterKey(from: new, to: new) }
    }

    @Test("a key wrapped by an unknown master key stops the rotation before anything changes")
    func unknownKeyChangesNothing() throws {
        let old = MasterKey.generate()
        let new = MasterKey.generate()
        let stranger = MasterKey.generate()
        let queue = try DatabaseQueue(configuration: AppDatabase.makeConfiguration())
        let database = try AppDatabase(queue)
        let blobs = try BlobStore(directory: layout.blobsPath)
        let partner = try database.createOrganisation(Organisations.partner(), now: Dates.start)
        _ = try database.ensureBrokerKeys(masterKey: old, now: Dates.start)
        for (index, key) in [old, stranger, old].enumerated() {
            let stored = try storeBlob([UInt8(index)], in: blobs, masterKey: key)
            _ = try database.createFile(
                organisationID: partner.id, blob: stored, name: "f\(index).csv", byteCount: 1, reportJSON: "{}", now: Dates.start)
        }
        let snapshot = {
            try queue.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, wrappedKey, masterKeyID FROM blob UNION ALL SELECT id, wrappedKey, masterKeyID FROM broker_key
                        UNION ALL SELECT name, wrapped, masterKeyID FROM secret ORDER BY 1
                        """)
            }
        }
        let before = try snapshot()
        #expect {
            try database.rotateMasterKey(from: old, to: new)
        } throws: { error in
            guard case StoreError.unknownMasterKey(table: "blob", _, let keyID, _, _) = error else { return false }
            return keyID == stranger.id.description
        }
        #expect(try snapshot() == before)
        // A third key that wrapped nothing here is refused for every row, again without changes.
        #expect(throws: StoreError.self) { try database.rotateMasterKey(from: MasterKey.generate(), to: new) }
        #expect(try snapshot() == before)
    }
}
