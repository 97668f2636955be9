import Foundation
import GRDB
import Testing
import TrocCore
import TrocStore

/// Per-firm quotas on stored files, enforced in the transaction that records a file, and the deletion of a firm's
/// own files that no deal refers to.
@Suite struct FileQuotaTests {
    @Test func aFileOverTheFirmsCountOrStorageQuotaIsRefusedInTheTransactionThatWouldRecordIt() throws {
        let world = try DealWorld()
        _ = try world.database.updateSettings(
            SettingsChange(firmStorageQuotaBytes: 1024, firmFileQuota: 2), actor: world.operatorActor, now: Dates.start)
        let first = try world.upload(for: world.windows.id)
        let storage = try world.database.storage(organisationID: world.windows.id)
        #expect(
            storage.files == 1 && storage.bytes == 64 && storage.fileQuota == 2 && storage.storageQuotaBytes == 1024 && storage.remainingBytes == 960)

        // 64 bytes stored, 961 more do not fit in 1 KiB; nothing is recorded, not even the blob row.
        let large = try world.storedBlob(seed: 3)
        #expect(
            storeError {
                try world.database.createFile(
                    organisationID: world.windows.id, blob: large, name: "large.csv", byteCount: 961, reportJSON: "{}", now: Dates.start)
            } == .quotaExceeded(QuotaExcess(kind: .storage, limit: 1024, used: 64, requested: 961)))
        #expect(try world.database.blob(id: large.id) == nil)

        _ = try world.upload(for: world.windows.id, seed: 2)
        #expect(
            storeError { try world.upload(for: world.windows.id, seed: 4) }
                == .quotaExceeded(QuotaExcess(kind: .files, limit: 2, used: 2, requested: 1)))
        // Quotas are per firm.
        _ = try world.upload(for: world.heating.id)

        // Deleting a file frees its place.
        _ = try world.database.deleteUnattachedFile(id: first.id, actor: world.windowsActor, now: Dates.at(60))
        _ = try world.upload(for: world.windows.id, seed: 4)
    }

    @Test func quotaSettingsAreCheckedByTheStoreAndTheSchemaAndAudited() throws {
        let world = try DealWorld()
        #expect(try world.database.settings().firmStorageQuotaBytes == 10 << 30)
        #expect(try world.database.settings().firmFileQuota == 100)
        #expect(
            storeError {
                try world.database.updateSettings(SettingsChange(firmStorageQuotaBytes: 1000), actor: world.operatorActor, now: Dates.start)
            }
                == .invalidField(
                    field: "firmStorageQuotaBytes", value: "1000", reason: "must be 1024 bytes (1 KiB) to 1125899906842624 bytes (1 PiB)"))
        #expect(
            storeError { try world.database.updateSettings(SettingsChange(firmFileQuota: 0), actor: world.operatorActor, now: Dates.start) }
                == .invalidField(field: "firmFileQuota", value: "0", reason: "must be 1 to 100000 files"))
        for sql in ["UPDATE broker_settings SET firmStorageQuotaBytes = 1023", "UPDATE broker_settings SET firmFileQuota = 100001"] {
            #expect(constraintCode { try world.raw { try $0.execute(sql: sql) } } == .SQLITE_CONSTRAINT_CHECK, "\(sql)")
        }
        _ = try world.database.updateSettings(
            SettingsChange(firmStorageQuotaBytes: 5 << 30, firmFileQuota: 20), reason: "larger files this year", actor: world.operatorActor,
            now: Dates.start)
        let entry = try #require(try world.database.auditEntries().last)
        #expect(entry.action == "settings.update")
        let changes = try #require(try entry.decodedDetail()["changes"])
        #expect(
            changes == [
                "firmFileQuota": ["before": 100, "after": 20], "firmStorageQuotaBytes": ["before": .integer(10 << 30), "after": .integer(5 << 30)],
            ])
    }

    @Test func aFirmDeletesItsOwnUnattachedFilesOnlyAndEachDeletionIsAudited() throws {
        let world = try DealWorld()
        let loose = try world.upload(for: world.windows.id)
        // Another firm's file is not found, as if it did not exist.
        #expect(
            storeError { try world.database.deleteUnattachedFile(id: loose.id, actor: world.heatingActor, now: Dates.start) }
                == .fileNotFound(id: loose.id))

        let deal = try world.matchedDeal()
        let attached = try #require(try world.database.dealFiles(dealID: deal.id).first { $0.organisationID == world.windows.id }?.fileID)
        #expect(
            storeError { try world.database.deleteUnattachedFile(id: attached, actor: world.windowsActor, now: Dates.start) }
                == .fileAttachedToDeal(fileID: attached, dealID: deal.id, state: .matched))
        #expect(try world.database.file(id: attached) != nil)

        let deleted = try world.database.deleteUnattachedFile(id: loose.id, actor: world.windowsActor, now: Dates.at(60))
        #expect(deleted == loose)
        #expect(try world.database.file(id: loose.id) == nil)
        #expect(try world.database.blob(id: loose.blobID) == nil)
        let entry = try #require(try world.database.auditEntries().last)
        #expect(entry.action == "file.delete" && entry.actorUserID == world.windowsActor.userID && entry.organisationID == world.windows.id)
        #expect(try entry.decodedDetail() == ["file": .string(loose.id), "bytes": 64])
        #expect(try world.database.verifyAudit(key: world.auditKey).damage == nil)
    }
}
