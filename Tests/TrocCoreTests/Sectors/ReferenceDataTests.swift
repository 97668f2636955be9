import Foundation
import Testing

@testable import TrocCore

/// The reference tables TrocCore embeds are the files of `Fixtures/reference`, byte for byte, and read as INSEE
/// publishes them.
@Suite struct ReferenceDataTests {
    @Test func everyEmbeddedTableIsItsFixtureByteForByte() throws {
        let directory = TestSupport.fixture("reference")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".csv") }
        #expect(Set(files) == Set(ReferenceData.embeddedFiles.keys), "every CSV in Fixtures/reference is embedded, and only those")
        for (name, text) in ReferenceData.embeddedFiles {
            let onDisk = try Data(contentsOf: directory.appendingPathComponent(name))
            #expect(Data(text.utf8) == onDisk, "\(name) differs from Fixtures/reference/\(name): run python3 Fixtures/reference/embed.py")
        }
    }

    @Test func bothNomenclaturesAndTheCorrespondenceAreComplete() {
        let reference = ReferenceData.embedded
        #expect(reference.subclasses.count == 732)
        #expect(reference.naf2025Subclasses.count == 747)
        #expect(reference.naf2025LevelLabels.count == 22 + 87 + 287 + 651)
        #expect(reference.subclasses.values.allSatisfy { $0.nomenclature == .rev2 })
        #expect(reference.naf2025Subclasses.values.allSatisfy { $0.nomenclature == .naf2025 })
        let correspondence = reference.correspondence
        #expect(correspondence.toNAF2025.values.map(\.count).reduce(0, +) == 1_223)
        #expect(Set(correspondence.toNAF2025.keys) == Set(reference.subclasses.keys))
        #expect(Set(correspondence.toRev2.keys) == Set(reference.naf2025Subclasses.keys).subtracting(["46.89Y"]))
        // INSEE's sections changed letters: G is trade and L finance in NAF 2025.
        #expect(reference.subclass("64.19Y", in: .naf2025)?.section == "L")
        #expect(reference.subclass("64.19Z", in: .rev2)?.section == "K")
        #expect(reference.subclass("43.22H", in: .naf2025)?.classCode == "43.22")
        #expect(correspondence.correspondents(of: "43.22H", in: .naf2025) == ["43.22B", "43.99D"])
        #expect(correspondence.correspondents(of: "35.11Z", in: .rev2) == ["35.11Y", "35.12Y", "35.16Y"])
    }

    @Test func aVerdictStoredBeforeNAF2025ReadsAsRev2() throws {
        let stored =
            #"{"code":"43.32A","label":"Travaux de menuiserie bois et PVC","classCode":"43.32","group":"43.3","division":"43","section":"F"}"#
        let subclass = try JSONDecoder().decode(NAFSubclass.self, from: Data(stored.utf8))
        #expect(subclass == ReferenceData.embedded.subclass("43.32A", in: .rev2))
    }
}
