import Foundation
import GRDB
import Testing
import TrocCore
import TrocStore

/// The suppression list holds keyed hashes only; erasures rewrite every stored file and are recorded in counts.
@Suite struct PrivacyTests {
    let world: DealWorld

    init() throws {
        world = try DealWorld()
    }

    @Test("suppressions are idempotent, read back as the engine takes them, and audited as counts")
    func suppressions() throws {
        let keys: [(MatchKeyKind, MatchKey)] = [
            (.email, MatchKey(high: 1, low: 2)), (.phone, MatchKey(high: 3, low: 4)), (.siret, MatchKey(high: .max, low: 0)),
        ]
        #expect(try world.database.addSuppressions(keys, source: .optout, actor: world.operatorActor, now: Dates.start) == 3)
        let again = keys + [(.email, MatchKey(high: 1, low: 3))]
        #expect(try world.database.addSuppressions(again, source: .oppositionList, actor: world.operatorActor, now: Dates.at(1)) == 1)
        #expect(try world.database.suppressionCount() == 4)
        let entries = try world.database.suppressionEntries()
        #expect(Set(entries.map { "\($0.0.name):\($0.1.high):\($0.1.low)" }) == Set(again.map { "\($0.0.name):\($0.1.high):\($0.1.low)" }))
        #expect(SuppressionList(entries: entries).count == 4)
        let entry = try #require(try world.database.auditEntries().last)
        #expect(try entry.decodedDetail() == ["source": "opposition-list", "submitted": 4, "added": 1])
        #expect(try world.raw { try String.fetchAll($0, sql: "SELECT DISTINCT kind FROM suppression ORDER BY 1") } == ["email", "phone", "siret"])
    }

    @Test("a file is rewritten; the old blob id is returned and its row removed")
    func rewrite() throws {
        let deal = try world.matchedDeal()
        let fileID = try #require(try world.database.dealFiles(dealID: deal.id).first?.fileID)
        let before = try #require(try world.database.file(id: fileID))
        let replacement = try world.storedBlob(seed: 40)
        let old = try world.database.replaceFileBlob(
            fileID: fileID, with: replacement, removedRows: 2, reportJSON: #"{"rows":0}"#, actor: world.operatorActor, now: Dates.at(1))
        #expect(old == before.blobID)
        #expect(try world.database.blob(id: old) == nil)
        let after = try #require(try world.database.file(id: fileID))
        #expect(after.blobID == replacement.id)
        #expect(after.byteCount == replacement.plaintextByteCount)
        #expect(after.report == #"{"rows":0}"#)
        let erasure = try world.database.recordErasure(
            requestedAt: Dates.start, filesRewritten: 1, rowsRemoved: 2, keysSuppressed: 1, actor: world.operatorActor, now: Dates.at(2))
        #expect(try world.database.erasures() == [erasure])
        #expect(try world.database.auditEntries().suffix(2).map(\.action) == ["file.rewrite", "erasure.request"])
        #expect(throws: StoreError.self) {
            try world.database.recordErasure(
                requestedAt: Dates.at(3), filesRewritten: 0, rowsRemoved: 0, keysSuppressed: 0, actor: world.operatorActor, now: Dates.at(2))
        }
    }

    @Test("a file whose deal was released is rewritten too: an erasure reaches every file the broker holds")
    func rewriteAfterRelease() throws {
        let (deal, _) = try world.releasedDeal()
        let fileID = try #require(try world.database.dealFiles(dealID: deal.id).first?.fileID)
        let replacement = try world.storedBlob(seed: 41)
        _ = try world.database.replaceFileBlob(fileID: fileID, with: replacement, removedRows: 1, actor: world.operatorActor, now: Dates.at(1))
        #expect(try world.database.file(id: fileID)?.blobID == replacement.id)
    }
}
