import Testing
import TrocCore

/// The statutory renovation / home-adaptation list (C. consom. L223-1) decides who may receive consumer contacts, in
/// both nomenclatures, apart from the editable audience clusters.
@Suite struct RenovationListTests {
    @Test func theSeedCoversBothNomenclaturesThroughTheCorrespondence() {
        let reference = ReferenceData.embedded
        let rev2 = reference.renovation.filter { $0.nomenclature == .rev2 }
        #expect(!rev2.isEmpty)
        for sector in reference.renovation {
            #expect(reference.subclass(sector.code, in: sector.nomenclature) != nil, "\(sector.code) is a \(sector.nomenclature.name) sub-class")
        }
        // Every listed rév. 2 trade has a listed NAF 2025 successor, so firms that switch stay covered.
        for sector in rev2 {
            let successors = reference.correspondence.correspondents(of: sector.code, in: .rev2)
            #expect(reference.renovation.contains { $0.nomenclature == .naf2025 && successors.contains($0.code) }, "\(sector.code)")
        }
    }

    @Test(arguments: [
        ("43.22B", NAFNomenclature.rev2, false), ("43.22H", .naf2025, false), ("43.29B", .rev2, false), ("43.24Y", .naf2025, false),
        ("56.10A", .rev2, true), ("56.11G", .naf2025, true), ("43.34Z", .rev2, true),
        // Not listed itself, but its NAF 2025 successor 43.22H is: the ban fails closed.
        ("43.99D", .rev2, false),
        // Electricity production: 35.11Z (listed for solar panels) is split; every part keeps the ban.
        ("35.11Y", .naf2025, false),
        // Care homes were in the seniors cluster but do no works on homes: the statute does not reach them.
        ("87.10A", .rev2, true),
    ])
    func consumerContactsFollowTheList(code: String, nomenclature: NAFNomenclature, mayReceive: Bool) {
        #expect(SectorRules().mayReceiveConsumerContacts(code, in: nomenclature) == mayReceive)
    }

    @Test func theListNotTheClustersDecides() {
        let reference = ReferenceData.embedded
        var clusters = reference.clusters
        clusters["energie-confort-habitat"]?.insert("56.10A")
        clusters["energie-confort-habitat"]?.remove("43.22B")
        let edited = SectorRules(
            reference: reference.editing(confidential: reference.confidential, clusters: clusters, renovation: reference.renovation))
        #expect(edited.mayReceiveConsumerContacts("56.10A"))
        #expect(!edited.mayReceiveConsumerContacts("43.22B"))
    }

    @Test func liftingTheBanTakesTheCodeOffInBothNomenclatures() {
        let reference = ReferenceData.embedded
        func rules(without codes: Set<String>) -> SectorRules {
            SectorRules(
                reference: reference.editing(
                    confidential: reference.confidential, clusters: reference.clusters,
                    renovation: reference.renovation.filter { !codes.contains($0.code) }))
        }
        #expect(rules(without: ["43.22B"]).renovationListing(of: "43.22B")?.code == "43.22H")
        #expect(rules(without: ["43.22B", "43.22H"]).mayReceiveConsumerContacts("43.22B"))
        #expect(SectorRules().renovationListing(of: "43.22B")?.ground == .energyRenovation)
        #expect(SectorRules().renovationListing(of: "43.22A")?.ground == .homeAdaptation)
    }
}
