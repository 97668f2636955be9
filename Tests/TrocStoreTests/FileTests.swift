import Foundation
import Testing
import TrocCore
import TrocCrypto
import TrocStore

/// Files and their blobs are recorded together and validated.
@Suite struct FileTests {
    let directory: TemporaryDirectory
    let database: AppDatabase
    let blobs: BlobStore
    let masterKey = MasterKey.generate()
    let partner: OrganisationRecord

    init() throws {
        directory = try TemporaryDirectory()
        database = try AppDatabase.inMemory()
        blobs = try BlobStore(directory: directory.appending("blobs"))
        partner = try database.createOrganisation(Organisations.partner(), now: Dates.start)
    }

    /// Stores `bytes` and records them as a file named `name`.
    func upload(_ name: String, _ bytes: [UInt8], organisationID: String? = nil, now: Date = Dates.start) throws -> FileRecord {
        let stored = try storeBlob(bytes, in: blobs, masterKey: masterKey)
        return try database.createFile(
            organisationID: organisationID ?? partner.id, blob: stored, name: name, byteCount: Int64(bytes.count), reportJSON: #"{"rows":3}"#,
            now: now)
    }

    @Test("a file is recorded with its blob, listed per organisation, and read back")
    func createAndRead() throws {
        let other = try database.createOrganisation(Organisations.partner("Beta", siren: Organisations.siren(30)), now: Dates.start)
        let first = try upload("contacts été.csv", patternBytes(count: 5000, seed: 1))
        let second = try upload("b.csv", patternBytes(count: 10, seed: 2), organisationID: other.id, now: Dates.at(1))
        #expect(first.report == #"{"rows":3}"#)
        #expect(try database.file(id: first.id) == first)
        #expect(try database.files(organisationID: partner.id) == [first])
        #expect(try database.files(organisationID: nil) == [first, second])
        let blob = try #require(try database.blob(id: first.blobID))
        #expect(blob.plaintextByteCount == 5000)
        #expect(blob.masterKeyID == masterKey.id.description)
        let bytes = try readBlob(blob.id, wrappedKey: try blob.parsedWrappedKey(), in: blobs, masterKey: masterKey)
        #expect(bytes == patternBytes(count: 5000, seed: 1))
    }

    @Test("deleting a file removes its row and its blob row")
    func delete() throws {
        let file = try upload("a.csv", [1, 2, 3])
        let deleted = try database.deleteFile(id: file.id)
        #expect(deleted == file)
        #expect(try database.file(id: file.id) == nil)
        #expect(try database.blob(id: file.blobID) == nil)
        #expect(try blobs.delete(blobID: file.blobID))
        #expect(throws: StoreError.fileNotFound(id: file.id)) { try database.deleteFile(id: file.id) }
    }

    @Test(
        "file names with a path, control characters or over 255 bytes are refused",
        arguments: ["", ".", "..", "dir/a.csv", #"C:\a.csv"#, "a\u{0}.csv", "a\n.csv", String(repeating: "é", count: 128)])
    func badNames(name: String) throws {
        let stored = try storeBlob([1], in: blobs, masterKey: masterKey)
        #expect {
            try database.createFile(organisationID: partner.id, blob: stored, name: name, byteCount: 1, reportJSON: "{}", now: Dates.start)
        } throws: { error in
            guard case StoreError.invalidField(field: "name", _, _) = error else { return false }
            return true
        }
        #expect(try database.blob(id: stored.id) == nil)
    }

    @Test("a 255-byte name is accepted; a report that is not JSON and an unknown organisation are refused without a blob row")
    func limits() throws {
        _ = try upload(String(repeating: "a", count: 251) + ".csv", [1])
        let stored = try storeBlob([1], in: blobs, masterKey: masterKey)
        #expect(throws: StoreError.self) {
            try database.createFile(organisationID: partner.id, blob: stored, name: "a.csv", byteCount: 1, reportJSON: "{rows", now: Dates.start)
        }
        #expect(throws: StoreError.organisationNotFound(id: "org_zzzzzzzzzzzzzzzz")) {
            try database.createFile(
                organisationID: "org_zzzzzzzzzzzzzzzz", blob: stored, name: "a.csv", byteCount: 1, reportJSON: "{}", now: Dates.start)
        }
        #expect(try database.blob(id: stored.id) == nil)
        let blob = try database.insertBlob(stored, now: Dates.start)
        #expect(try database.blob(id: stored.id) == blob)
    }
}
