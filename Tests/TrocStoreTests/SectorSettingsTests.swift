import Foundation
import GRDB
import Testing
import TrocCore
import TrocStore

/// Operators edit the sector tables and the broker settings; every change is checked and audited with its reason.
@Suite struct SectorSettingsTests {
    let world: DealWorld

    init() throws {
        world = try DealWorld()
    }

    @Test("the sector tables start as the embedded ones")
    func seeded() throws {
        let reference = try world.database.sectorReference()
        let embedded = ReferenceData.embedded
        #expect(reference.clusters == embedded.clusters)
        #expect(reference.confidential == embedded.confidential)
        #expect(reference.subclasses == embedded.subclasses)
        #expect(reference.levelLabels == embedded.levelLabels)
    }

    @Test("cluster codes are added and removed with a reason; the rules over the edited tables follow")
    func clusters() throws {
        let operatorActor = world.operatorActor
        #expect(SectorRules(reference: try world.database.sectorReference()).verdict("43.32A", "70.22Z").map(\.kind) == .success(.unrelated))
        #expect(throws: StoreError.self) {
            try world.database.addClusterCode(cluster: "renovation-habitat", code: "70.22Z", reason: " ", actor: operatorActor, now: Dates.start)
        }
        #expect(throws: StoreError.self) {
            try world.database.addClusterCode(cluster: "renovation-habitat", code: "70.22", reason: "x", actor: operatorActor, now: Dates.start)
        }
        #expect(throws: StoreError.self) {
            try world.database.addClusterCode(cluster: "Renovation Habitat", code: "70.22Z", reason: "x", actor: operatorActor, now: Dates.start)
        }
        #expect(
            try world.database.addClusterCode(
                cluster: "renovation-habitat", code: "70.22Z", reason: "Consultants advise renovating firms", actor: operatorActor, now: Dates.start))
        #expect(
            !(try world.database.addClusterCode(
                cluster: "renovation-habitat", code: "70.22Z", reason: "again", actor: operatorActor, now: Dates.start)))
        #expect(SectorRules(reference: try world.database.sectorReference()).verdict("43.32A", "70.22Z").map(\.kind) == .success(.complementary))
        #expect(
            try world.database.removeClusterCode(
                cluster: "renovation-habitat", code: "70.22Z", reason: "Reverted", actor: operatorActor, now: Dates.at(1)))
        #expect(
            !(try world.database.removeClusterCode(
                cluster: "renovation-habitat", code: "70.22Z", reason: "Reverted", actor: operatorActor, now: Dates.at(1))))
        let entries = try world.database.auditEntries()
        #expect(entries.map(\.action) == ["sector.cluster.add", "sector.cluster.remove"])
        #expect(entries.map(\.reason) == ["Consultants advise renovating firms", "Reverted"])
    }

    @Test("confidential sectors are set, changed and removed")
    func confidential() throws {
        let operatorActor = world.operatorActor
        #expect(
            try world.database.setConfidential(
                code: "69.10Z", label: "Activités juridiques", scope: "optional", rationale: "Secret professionnel des avocats", reason: "Bar rules",
                actor: operatorActor, now: Dates.start))
        #expect(
            !(try world.database.setConfidential(
                code: "69.10Z", label: "Activités juridiques", scope: "optional", rationale: "Secret professionnel des avocats", reason: "Same",
                actor: operatorActor, now: Dates.start)))
        #expect(
            try world.database.setConfidential(
                code: "69.10Z", label: "Activités juridiques", scope: "core", rationale: "Secret professionnel des avocats", reason: "Stricter",
                actor: operatorActor, now: Dates.start))
        #expect(try world.database.sectorReference().confidential["69.10Z"]?.scope == "core")
        #expect(throws: StoreError.self) {
            try world.database.setConfidential(
                code: "69.10Z", label: "x", scope: "maybe", rationale: "y", reason: "z", actor: operatorActor, now: Dates.start)
        }
        #expect(try world.database.removeConfidential(code: "80.30Z", reason: "Reviewed", actor: operatorActor, now: Dates.start))
        #expect(try world.database.sectorReference().confidential["80.30Z"] == nil)
        #expect(try world.database.auditEntries().count == 3)
    }

    @Test("settings start at the defaults, and the price bounds set apply to new deals")
    func defaults() throws {
        let settings = try world.database.settings()
        #expect(settings == BrokerSettings.defaults)
        #expect(settings.identity == nil)
        #expect(storeError { try settings.invoicing() } == .invoicingNotConfigured(missing: BrokerSettings.identityFields))
        _ = try world.database.updateSettings(
            SettingsChange(minimumPricePer1000: Money(cents: 1000)), reason: "Winter offer", actor: world.operatorActor, now: Dates.start)
        #expect(try world.proposeDeal(price: 1500).pricePer1000 == Money(cents: 1500))
    }

    @Test("the identity is given whole, normalised by TrocCore, and each changed setting is audited before and after")
    func identity() throws {
        #expect(throws: StoreError.self) {
            try world.database.updateSettings(SettingsChange(legalName: "Troc SAS"), actor: world.operatorActor, now: Dates.start)
        }
        let invoicing = try world.configureInvoicing()
        #expect(invoicing.iban.text == "FR7630006000011234567890189")
        #expect(try world.database.settings().identity?.iban == "FR7630006000011234567890189")
        let updated = try world.database.updateSettings(
            SettingsChange(paymentTermsDays: 45, deliveryDays: 14), reason: "New terms", actor: world.operatorActor, now: Dates.at(1))
        #expect(updated.paymentTermsDays == 45)
        #expect(updated.deliveryDays == 14)
        let entry = try #require(try world.database.auditEntries().last)
        #expect(entry.reason == "New terms")
        #expect(
            try entry.decodedDetail()["changes"]
                == ["paymentTermsDays": ["before": 30, "after": 45], "deliveryDays": ["before": 30, "after": 14]])
        let count = try world.database.auditEntries().count
        _ = try world.database.updateSettings(SettingsChange(paymentTermsDays: 45), actor: world.operatorActor, now: Dates.at(2))
        #expect(try world.database.auditEntries().count == count)
    }

    @Test("settings that break TrocCore's or the operational rules are refused, with every problem, and nothing changes")
    func refusals() throws {
        #expect(
            storeError {
                try world.database.updateSettings(
                    SettingsChange(commissionBasisPoints: 9000, paymentTermsDays: 90), actor: world.operatorActor, now: Dates.start)
            } == .invalidSettings(BrokerSettingsError(problems: [.commissionOutOfRange(9000), .paymentTermsOutOfRange(90)])))
        #expect(throws: StoreError.self) {
            try world.database.updateSettings(SettingsChange(retentionMonths: 48), actor: world.operatorActor, now: Dates.start)
        }
        #expect(throws: StoreError.self) {
            try world.database.updateSettings(
                SettingsChange(minimumPricePer1000: Money(cents: 4000)), actor: world.operatorActor, now: Dates.start)
        }
        #expect(try world.database.settings() == BrokerSettings.defaults)
        #expect(
            constraintCode { try world.raw { try $0.execute(sql: "UPDATE broker_settings SET deliveryDownloads = 0") } } == .SQLITE_CONSTRAINT_CHECK)
        #expect(constraintCode { try world.raw { try $0.execute(sql: "UPDATE broker_settings SET legalName = 'Troc'") } } == .SQLITE_CONSTRAINT_CHECK)
        #expect(try world.database.auditEntries().isEmpty)
    }
}
