import Foundation
import Testing
import TrocCore

@testable import TrocStore

/// The sector reference is decoded once and kept in memory; every committed sector edit makes the next read see it.
@Suite struct SectorReferenceCacheTests {
    @Test("each kind of sector edit, through any copy of the handle, is seen by the next read")
    func everySectorEditIsSeenByTheNextRead() throws {
        let world = try DealWorld(onDisk: true)
        let reader = world.database
        let editor = world.database.withAuditKey(world.auditKey)
        let actor = world.operatorActor
        #expect(try reader.sectorReference().clusters["renovation-habitat"]?.contains("70.22Z") == false)

        #expect(try editor.addClusterCode(cluster: "renovation-habitat", code: "70.22Z", reason: "advisers", actor: actor, now: Dates.start))
        #expect(try reader.sectorReference().clusters["renovation-habitat"]?.contains("70.22Z") == true)
        #expect(try editor.removeClusterCode(cluster: "renovation-habitat", code: "70.22Z", reason: "reverted", actor: actor, now: Dates.start))
        #expect(try reader.sectorReference().clusters["renovation-habitat"]?.contains("70.22Z") == false)

        #expect(
            try editor.setConfidential(
                code: "69.10Z", label: "Activités juridiques", scope: "core", rationale: "secret professionnel", reason: "bar rules", actor: actor,
                now: Dates.start))
        #expect(try reader.sectorReference().confidential["69.10Z"]?.scope == "core")
        #expect(try editor.removeConfidential(code: "69.10Z", reason: "reviewed", actor: actor, now: Dates.start))
        #expect(try reader.sectorReference().confidential["69.10Z"] == nil)

        let stairlifts = RenovationSector(nomenclature: .rev2, code: "47.74Z", ground: .homeAdaptation)
        let before = try reader.sectorReference().renovation.contains(stairlifts)
        if before {
            #expect(try editor.removeRenovationSector(code: "47.74Z", nomenclature: .rev2, reason: "off", actor: actor, now: Dates.start))
        } else {
            #expect(try editor.addRenovationSector(stairlifts, reason: "stairlifts sold door to door", actor: actor, now: Dates.start))
        }
        #expect(try reader.sectorReference().renovation.contains(stairlifts) == !before)
    }

    @Test("the reference is read once, then served from memory until an edit")
    func theReferenceIsReadOnceUntilAnEdit() throws {
        let cache = SectorReferenceCache()
        var loads = 0
        let load = { () throws(StoreError) -> ReferenceData in
            loads += 1
            return ReferenceData.embedded
        }
        _ = try cache.reference(load: load)
        _ = try cache.reference(load: load)
        #expect(loads == 1)
        cache.invalidate()
        _ = try cache.reference(load: load)
        _ = try cache.reference(load: load)
        #expect(loads == 2)
    }

    @Test("a read that an edit overtook is returned to its caller but not kept")
    func aReadThatAnEditOvertookIsNotKept() throws {
        let cache = SectorReferenceCache()
        let stale = ReferenceData.embedded.editing(confidential: [:], clusters: [:], renovation: [])
        // The edit commits and invalidates while this read holds its snapshot from before the edit.
        let raced = try cache.reference { () throws(StoreError) -> ReferenceData in
            cache.invalidate()
            return stale
        }
        #expect(raced.clusters.isEmpty)
        let next = try cache.reference { () throws(StoreError) -> ReferenceData in ReferenceData.embedded }
        #expect(next.clusters == ReferenceData.embedded.clusters)
    }
}
