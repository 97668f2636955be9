import Foundation
import GRDB
import Testing
import TrocCore
import TrocStore

/// `v5-lawful-records`: NAF codes with their nomenclature, the renovation list apart from the clusters, the record of who
/// received whom and the erasure notices, each held by the schema as well as by the store.
@Suite struct LawfulRecordsTests {
    let world: DealWorld

    init() throws {
        world = try DealWorld()
    }

    @Test("firms registered before NAF 2025 keep their rév. 2 codes; a code must fit its nomenclature")
    func nomenclature() throws {
        #expect(world.windows.nafNomenclature == .rev2)
        let naf2025 = try world.database.createOrganisation(
            OrganisationDraft(
                kind: .partner, name: "Chauffage 2027 SAS", siren: Organisations.siren(7), nafCode: "43.22H", nafNomenclature: .naf2025,
                street: "1 rue", postcode: "75001", city: "Paris", countryCode: "FR"), now: Dates.start)
        #expect(try world.database.organisation(id: naf2025.id)?.nafNomenclature == .naf2025)
        #expect(
            storeError {
                try world.database.createOrganisation(
                    OrganisationDraft(
                        kind: .partner, name: "X", siren: Organisations.siren(8), nafCode: "43.22B", nafNomenclature: .naf2025, street: "1 rue",
                        postcode: "75001", city: "Paris", countryCode: "FR"), now: Dates.start)
            } == .invalidField(field: "nafCode", value: "43.22B", reason: "not a NAF 2025 sub-class code (expected the form 62.01Y)"))
        #expect(
            constraintCode {
                try world.raw {
                    try $0.execute(sql: "UPDATE organisation SET nafNomenclature = 'naf2025' WHERE id = ?", arguments: [world.windows.id])
                }
            }
                == .SQLITE_CONSTRAINT_TRIGGER)
    }

    @Test("an operator switches a firm to its NAF 2025 code, audited with both codes and the reason")
    func switchToNAF2025() throws {
        #expect(
            storeError {
                try world.database.changeNAFCode(
                    organisationID: world.windows.id, nafCode: "43.32G", nomenclature: .naf2025, reason: " ", actor: world.operatorActor,
                    now: Dates.at(1))
            } == .invalidField(field: "reason", value: " ", reason: "a reason is required and recorded in the audit trail"))
        let switched = try world.database.changeNAFCode(
            organisationID: world.windows.id, nafCode: "43.32G", nomenclature: .naf2025, reason: "INSEE assigned the NAF 2025 code",
            actor: world.operatorActor, now: Dates.at(1))
        #expect(switched.nafCode == "43.32G" && switched.nafNomenclature == .naf2025)
        let entry = try #require(try world.database.auditEntries().last)
        #expect(entry.action == "organisation.naf-change" && entry.reason == "INSEE assigned the NAF 2025 code")
        #expect(
            try entry.decodedDetail() == [
                "before": ["code": "43.32A", "nomenclature": "rev2"], "after": ["code": "43.32G", "nomenclature": "naf2025"],
            ])
        // A deal proposed now judges the new code against the partner's rév. 2 one.
        let verdict = try SectorRules().verdict(
            switched.nafCode, in: switched.nafNomenclature, world.heating.nafCode, in: world.heating.nafNomenclature
        ).get()
        #expect(verdict.kind == .complementary)
        let deal = try world.database.createDeal(
            DealDraft(proposerID: world.windows.id, partnerID: world.heating.id, pricePer1000: Money(cents: 2500), verdict: verdict),
            actor: world.windowsActor, now: Dates.at(2))
        #expect(deal.verdict.codes.map(\.nomenclature) == [.naf2025, .rev2])
        #expect(try world.database.deal(id: deal.id)?.verdict == verdict, "the verdict reads back with its nomenclatures")
    }

    @Test("the renovation list starts as the embedded one and is edited apart, audited with the reason")
    func renovation() throws {
        #expect(Set(try world.database.renovationSectors()) == ReferenceData.embedded.renovation)
        #expect(try world.database.sectorReference().renovation == ReferenceData.embedded.renovation)
        let stairlifts = RenovationSector(nomenclature: .rev2, code: "47.74Z", ground: .homeAdaptation)
        #expect(
            try world.database.addRenovationSector(stairlifts, reason: "sells stairlifts door to door", actor: world.operatorActor, now: Dates.start))
        #expect(!(try world.database.addRenovationSector(stairlifts, reason: "again", actor: world.operatorActor, now: Dates.start)))
        #expect(!SectorRules(reference: try world.database.sectorReference()).mayReceiveConsumerContacts("47.74Z"))
        #expect(
            storeError {
                try world.database.addRenovationSector(
                    RenovationSector(nomenclature: .naf2025, code: "47.74Z", ground: .homeAdaptation), reason: "x", actor: world.operatorActor,
                    now: Dates.start)
            } == .invalidField(field: "code", value: "47.74Z", reason: "not a NAF 2025 sub-class code"))
        #expect(
            try world.database.removeRenovationSector(
                code: "47.74Z", nomenclature: .rev2, reason: "stopped", actor: world.operatorActor, now: Dates.at(1)))
        #expect(SectorRules(reference: try world.database.sectorReference()).mayReceiveConsumerContacts("47.74Z"))
        let entries = try world.database.auditEntries()
        #expect(entries.map(\.action) == ["sector.renovation.add", "sector.renovation.remove"])
        #expect(try entries[0].decodedDetail() == ["code": "47.74Z", "nomenclature": "rev2", "ground": "home-adaptation"])
        #expect(
            constraintCode {
                try world.raw {
                    try $0.execute(
                        sql: "INSERT INTO renovation_sector (nomenclature, code, ground) VALUES ('naf2025', '43.22B', 'energy-renovation')")
                }
            } == .SQLITE_CONSTRAINT_CHECK)
    }
}
