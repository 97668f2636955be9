import Foundation
import GRDB
import Testing
import TrocCore
import TrocStore

/// Files are kept no longer than the deal needs (GDPR art. 5(1)(e)): a released deal's until its dispute window ends, an
/// ended deal's at once, a file in no deal for its allowed days; each purge audited with its rule.
@Suite struct RetentionTests {
    let world: DealWorld

    init() throws {
        world = try DealWorld()
    }

    static let day: TimeInterval = 86_400

    /// The files `purgeExpiredFiles` takes at `now`, with their rules.
    func purge(at now: Date) throws -> [String: FilePurgeRule] {
        Dictionary(uniqueKeysWithValues: try world.database.purgeExpiredFiles(now: now).map { ($0.fileID, $0.rule) })
    }

    @Test("a file in no deal goes once its allowed days after upload have passed, and only then")
    func unattached() throws {
        let file = try world.upload(for: world.windows.id)
        #expect(try purge(at: Dates.at(30 * Self.day - 1)).isEmpty)
        #expect(try purge(at: Dates.at(30 * Self.day)) == [file.id: .unattached])
        #expect(try world.database.file(id: file.id) == nil)
        #expect(try world.database.blob(id: file.blobID) == nil)
        let entry = try #require(try world.database.auditEntries().last)
        #expect(entry.action == "file.purge" && entry.actorUserID == nil && entry.organisationID == world.windows.id)
        #expect(try entry.decodedDetail() == ["fileID": .string(file.id), "rule": "unattached"])
    }

    @Test("files of a deal that ends unreleased go at once; while the deal runs they stay whatever their age")
    func endedDeals() throws {
        try world.allowReports(4)
        let deal = try world.matchedDeal()
        let files = try world.database.dealFiles(dealID: deal.id).compactMap(\.fileID)
        #expect(try purge(at: Dates.at(400 * Self.day)).isEmpty, "a matched deal still needs its files")
        _ = try world.database.cancel(dealID: deal.id, reason: "changed our mind", actor: world.windowsActor, now: Dates.at(400 * Self.day))
        #expect(try purge(at: Dates.at(400 * Self.day)) == Dictionary(uniqueKeysWithValues: files.map { ($0, .dealEnded) }))
        #expect(try world.database.dealFiles(dealID: deal.id).allSatisfy { $0.fileID == nil })

        let declined = try world.matchedDeal()
        _ = try world.database.decline(dealID: declined.id, reason: nil, actor: world.heatingActor, now: Dates.at(1))
        #expect(try purge(at: Dates.at(1)).values.allSatisfy { $0 == .dealEnded })
        let rejected = try world.acceptedDeal()
        _ = try world.database.reject(dealID: rejected.id, reason: "sources unclear", actor: world.operatorActor, now: Dates.at(1))
        #expect(try purge(at: Dates.at(1)).count == 2)
        let expired = try world.matchedDeal()
        _ = try world.database.expireStalledDeals(now: expired.expiresAt)
        #expect(try purge(at: expired.expiresAt).count == 2)
    }

    @Test("a released deal's files stay through the dispute window, then go; the setting moves the end")
    func disputeWindow() throws {
        let (deal, _) = try world.releasedDeal()
        let files = try world.database.dealFiles(dealID: deal.id).compactMap(\.fileID)
        #expect(try purge(at: Dates.at(30 * Self.day - 1)).isEmpty)
        _ = try world.database.updateSettings(
            SettingsChange(disputeWindowDays: 7), reason: "short disputes", actor: world.operatorActor, now: Dates.at(1))
        #expect(try purge(at: Dates.at(7 * Self.day - 1)).isEmpty)
        #expect(try purge(at: Dates.at(7 * Self.day)) == Dictionary(uniqueKeysWithValues: files.map { ($0, .disputeWindowEnded) }))
        #expect(try world.database.deliveries(dealID: deal.id).allSatisfy { $0.blobID != nil }, "deliveries follow their own limits")
    }

    @Test("a file another live deal holds stays after one of its deals ended")
    func sharedFile() throws {
        let first = try world.proposeDeal()
        let second = try world.proposeDeal()
        let file = try world.upload(for: world.windows.id)
        _ = try world.database.attachFile(dealID: first.id, fileID: file.id, actor: world.windowsActor, now: Dates.start)
        _ = try world.database.attachFile(dealID: second.id, fileID: file.id, actor: world.windowsActor, now: Dates.start)
        _ = try world.database.cancel(dealID: first.id, reason: nil, actor: world.windowsActor, now: Dates.at(1))
        #expect(try purge(at: Dates.at(1)).isEmpty)
        _ = try world.database.cancel(dealID: second.id, reason: nil, actor: world.windowsActor, now: Dates.at(2))
        #expect(try purge(at: Dates.at(2)) == [file.id: .dealEnded])
    }

    @Test("the retention settings are checked, audited, and bounded by the schema as well")
    func settings() throws {
        #expect(try world.database.settings().disputeWindowDays == 30 && world.database.settings().unattachedFileDays == 30)
        #expect(
            storeError { try world.database.updateSettings(SettingsChange(disputeWindowDays: 0), actor: world.operatorActor, now: Dates.start) }
                == .invalidField(field: "disputeWindowDays", value: "0", reason: "must be 1 to 90 days"))
        #expect(
            storeError { try world.database.updateSettings(SettingsChange(unattachedFileDays: 91), actor: world.operatorActor, now: Dates.start) }
                == .invalidField(field: "unattachedFileDays", value: "91", reason: "must be 1 to 90 days"))
        let updated = try world.database.updateSettings(
            SettingsChange(disputeWindowDays: 14, unattachedFileDays: 10), reason: "policy", actor: world.operatorActor, now: Dates.start)
        #expect(updated.disputeWindowDays == 14 && updated.unattachedFileDays == 10)
        let changes = try #require(try world.database.auditEntries().last?.decodedDetail()["changes"])
        #expect(changes == ["disputeWindowDays": ["before": 30, "after": 14], "unattachedFileDays": ["before": 30, "after": 10]])
        for column in ["disputeWindowDays", "unattachedFileDays"] {
            #expect(
                constraintCode { try world.raw { try $0.execute(sql: "UPDATE broker_settings SET \(column) = 0") } } == .SQLITE_CONSTRAINT_CHECK)
        }
    }
}
