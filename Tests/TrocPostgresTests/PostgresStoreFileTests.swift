import Foundation
import Testing
import TrocCore
import TrocCrypto
import TrocPostgres
import TrocStore

/// The partners' files and their blobs: recorded together under the firm's quotas, read back, deleted by their firm
/// while no deal refers to them; the same on both backends, and on PostgreSQL the quotas hold across instances.
extension PostgresTests {
    @Suite struct FileStore {
        typealias Admin = UserAdministrationStore
        static let start = Admin.start

        /// Encrypted blobs really written, whose rows the stores record (the schema checks the wrapped key's shape).
        final class Blobs: Sendable {
            let directory: URL
            let store: BlobStore
            let masterKey = MasterKey.generate()

            init() throws {
                directory = FileManager.default.temporaryDirectory.appending(path: "troc-pg-blobs-\(UUID().uuidString)")
                store = try BlobStore(directory: directory.path)
            }

            deinit { try? FileManager.default.removeItem(at: directory) }

            /// A new blob of `count` bytes.
            func make(count: Int = 64) throws -> StoredBlob {
                let writer = try store.makeWriter(masterKey: masterKey)
                try [UInt8](repeating: 0x2C, count: count).withUnsafeBytes { try writer.append($0) }
                return try writer.finish()
            }
        }

        /// Stores a file of `byteCount` bytes for `organisationID`.
        static func upload(
            _ store: any AccountRecords, _ blobs: Blobs, organisationID: String, byteCount: Int64 = 64, name: String = "contacts.csv",
            at now: Date = start
        ) async throws -> FileRecord {
            try await store.createFile(
                organisationID: organisationID, blob: try blobs.make(), name: name, byteCount: byteCount, reportJSON: #"{"rows":1}"#,
                partnerReportJSON: #"{"rows":1,"own":true}"#, now: now)
        }

        @Test(
            "a file and its blob are recorded together under the firm's quotas, read back, and a deletion frees its place",
            arguments: Backend.allCases)
        func quotas(backend: Backend) async throws {
            let blobs = try Blobs()
            try await backend.withStore { store in
                let operatorActor = try await Admin.makeOperator(store)
                let (alpha, _) = try await Admin.firm(store, siren: "212121212")
                let (beta, _) = try await Admin.firm(store, siren: "232323232")
                _ = try await store.updateSettings(
                    SettingsChange(firmStorageQuotaBytes: 1024, firmFileQuota: 2), reason: nil, actor: operatorActor, now: Self.start)
                let first = try await Self.upload(store, blobs, organisationID: alpha.id)
                #expect(try await store.file(id: first.id) == first)
                #expect(first.partnerReport == #"{"rows":1,"own":true}"#)
                let blob = try #require(try await store.blob(id: first.blobID))
                #expect(blob.plaintextByteCount == 64 && blob.createdAt == first.createdAt)
                #expect(try await store.storage(organisationID: alpha.id) == FirmStorage(files: 1, bytes: 64, fileQuota: 2, storageQuotaBytes: 1024))

                let large = try blobs.make()
                await #expect(throws: StoreError.quotaExceeded(QuotaExcess(kind: .storage, limit: 1024, used: 64, requested: 961))) {
                    try await store.createFile(
                        organisationID: alpha.id, blob: large, name: "large.csv", byteCount: 961, reportJSON: "{}", partnerReportJSON: nil,
                        now: Self.start)
                }
                #expect(try await store.blob(id: large.id) == nil)
                let second = try await Self.upload(store, blobs, organisationID: alpha.id, at: Self.start.addingTimeInterval(1))
                await #expect(throws: StoreError.quotaExceeded(QuotaExcess(kind: .files, limit: 2, used: 2, requested: 1))) {
                    try await Self.upload(store, blobs, organisationID: alpha.id)
                }
                let betas = try await Self.upload(store, blobs, organisationID: beta.id, at: Self.start.addingTimeInterval(2))
                #expect(try await store.files(organisationID: alpha.id) == [first, second])
                #expect(try await store.files(organisationID: nil) == [first, second, betas])
                #expect(try await store.blobIDs() == [first.blobID, second.blobID, betas.blobID])

                await #expect(throws: StoreError.fileNotFound(id: first.id)) {
                    try await store.deleteUnattachedFile(
                        id: first.id, actor: Admin.actor(try await store.users(organisationID: beta.id)[0]), now: Self.start)
                }
                let alphaActor = Admin.actor(try await store.users(organisationID: alpha.id)[0])
                #expect(try await store.deleteUnattachedFile(id: first.id, actor: alphaActor, now: Self.start.addingTimeInterval(60)) == first)
                #expect(try await store.file(id: first.id) == nil)
                #expect(try await store.blob(id: first.blobID) == nil)
                await #expect(throws: StoreError.fileNotFound(id: first.id)) {
                    try await store.deleteUnattachedFile(id: first.id, actor: alphaActor, now: Self.start)
                }
                _ = try await Self.upload(store, blobs, organisationID: alpha.id)
                let entry = try #require(try await store.auditEntries(dealID: nil, limit: 100, afterSeq: 0).last { $0.action == "file.delete" })
                #expect(entry.organisationID == alpha.id)
                #expect(try entry.decodedDetail() == ["file": .string(first.id), "bytes": 64])
                #expect((try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)).isIntact)
            }
        }

        @Test("a bad name, a report that is not JSON or an unknown firm is refused, and nothing is recorded", arguments: Backend.allCases)
        func refusals(backend: Backend) async throws {
            let blobs = try Blobs()
            try await backend.withStore { store in
                let (alpha, _) = try await Admin.firm(store, siren: "252525252")
                let blob = try blobs.make()
                await #expect(
                    throws: StoreError.invalidField(
                        field: "name", value: "exports/contacts.csv",
                        reason: "a file name cannot contain a path separator (/ or \\); send the name without its folders")
                ) {
                    try await Self.upload(store, blobs, organisationID: alpha.id, name: "exports/contacts.csv")
                }
                await #expect(throws: StoreError.invalidField(field: "report", value: "{rows: 1", reason: "the ingestion report is not valid JSON")) {
                    try await store.createFile(
                        organisationID: alpha.id, blob: blob, name: "a.csv", byteCount: 1, reportJSON: "{rows: 1", partnerReportJSON: nil,
                        now: Self.start)
                }
                await #expect(throws: StoreError.organisationNotFound(id: "org_aaaaaaaaaaaaaaaa")) {
                    try await store.createFile(
                        organisationID: "org_aaaaaaaaaaaaaaaa", blob: blob, name: "a.csv", byteCount: 1, reportJSON: "{}", partnerReportJSON: nil,
                        now: Self.start)
                }
                #expect(try await store.files(organisationID: nil).isEmpty)
                #expect(try await store.blobIDs().isEmpty)
            }
        }

        @Test("two instances storing one firm's files at once never take it over its quota")
        func quotaAcrossInstances() async throws {
            let blobs = try Blobs()
            try await PostgresTests.withTwoInstances { first, second in
                let operatorActor = try await Admin.makeOperator(first)
                let (alpha, _) = try await Admin.firm(first, siren: "272727272")
                _ = try await first.updateSettings(SettingsChange(firmFileQuota: 3), reason: nil, actor: operatorActor, now: Self.start)
                let stored = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for index in 0..<12 {
                        let store: PostgresStore = index.isMultiple(of: 2) ? first : second
                        let blob = try blobs.make()
                        group.addTask {
                            do {
                                _ = try await store.createFile(
                                    organisationID: alpha.id, blob: blob, name: "f\(index).csv", byteCount: 10, reportJSON: "{}",
                                    partnerReportJSON: nil,
                                    now: Self.start)
                                return true
                            } catch let error as StoreError {
                                guard case .quotaExceeded = error else { throw error }
                                return false
                            }
                        }
                    }
                    return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                #expect(stored == 3)
                #expect(try await first.files(organisationID: alpha.id).count == 3)
            }
        }
    }
}
