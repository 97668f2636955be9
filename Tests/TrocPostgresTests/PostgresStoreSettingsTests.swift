import Foundation
import PostgresNIO
import Testing
import TrocCore
import TrocPostgres
import TrocStore

/// The broker's settings and its sector tables: checked, audited with their reason, the same on both backends; on
/// PostgreSQL, what one instance changes is what the next read of another sees.
extension PostgresTests {
    @Suite struct SettingsStore {
        typealias Admin = UserAdministrationStore
        static let start = Admin.start
        static let identity = SettingsChange(
            legalName: "Courtier Fichiers SAS",
            address: PostalAddress(street: "1 rue de la Paix", postcode: "75002", city: "Paris", countryCode: "FR"),
            siren: "303265045", vatNumber: "FR40303265045", iban: "FR76 3000 6000 0112 3456 7890 189", bic: "AGRIFRPP")

        /// Every audit entry of `store`, oldest first.
        static func entries(_ store: any AccountRecords) async throws -> [AuditRecord] {
            try await store.auditEntries(dealID: nil, limit: 1000, afterSeq: 0)
        }

        @Test("the settings start at the defaults and the sector tables as the embedded ones", arguments: Backend.allCases)
        func seeded(backend: Backend) async throws {
            try await backend.withStore { store in
                #expect(try await store.settings() == BrokerSettings.defaults)
                let reference = try await store.sectorReference()
                let embedded = ReferenceData.embedded
                #expect(reference.clusters == embedded.clusters)
                #expect(reference.confidential == embedded.confidential)
                #expect(reference.renovation == embedded.renovation)
                #expect(
                    try await store.renovationSectors()
                        == embedded.renovation.sorted {
                            ($0.nomenclature == .naf2025 ? 1 : 0, $0.code) < ($1.nomenclature == .naf2025 ? 1 : 0, $1.code)
                        })
            }
        }

        @Test(
            "the identity is given whole and normalised; each changed setting is audited before and after, a no-op not at all",
            arguments: Backend.allCases)
        func identityAndTerms(backend: Backend) async throws {
            try await backend.withStore { store in
                let operatorActor = try await Admin.makeOperator(store)
                await #expect(
                    throws: StoreError.invalidSettings(
                        BrokerSettingsError(problems: ["address", "siren", "vatNumber", "iban", "bic"].map(BrokerSettingsProblem.emptyField)))
                ) {
                    try await store.updateSettings(SettingsChange(legalName: "Troc SAS"), reason: nil, actor: operatorActor, now: Self.start)
                }
                let configured = try await store.updateSettings(Self.identity, reason: "Set-up", actor: operatorActor, now: Self.start)
                #expect(configured.identity?.iban == "FR7630006000011234567890189")
                #expect(try await store.settings() == configured)
                var terms = SettingsChange(paymentTermsDays: 45, deliveryDays: 14)
                terms.latePenalty = .ecbRefinancingRatePlus(basisPoints: 1200)
                terms.financialYear = try FinancialYear(startMonth: 7, startDay: 1)
                let updated = try await store.updateSettings(terms, reason: "New terms", actor: operatorActor, now: Self.start.addingTimeInterval(60))
                #expect(updated.paymentTermsDays == 45 && updated.deliveryDays == 14)
                #expect(updated.latePenalty == .ecbRefinancingRatePlus(basisPoints: 1200))
                #expect(updated.financialYear == (try FinancialYear(startMonth: 7, startDay: 1)))
                #expect(try await store.settings() == updated)
                let entry = try #require(try await Self.entries(store).last)
                #expect(entry.action == "settings.update" && entry.reason == "New terms")
                guard case .object(let changes) = try entry.decodedDetail()["changes"] else {
                    Issue.record("the settings entry has no changes")
                    return
                }
                #expect(changes["paymentTermsDays"] == ["before": 30, "after": 45])
                #expect(changes["deliveryDays"] == ["before": 30, "after": 14])
                #expect(changes["financialYearStart"] == ["before": "01-01", "after": "07-01"])
                let count = try await Self.entries(store).count
                #expect(
                    try await store.updateSettings(SettingsChange(paymentTermsDays: 45), reason: nil, actor: operatorActor, now: Self.start)
                        == updated)
                #expect(try await Self.entries(store).count == count)
                let audit = try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)
                #expect(audit.isIntact && audit.entryCount == count)
            }
        }

        @Test(
            "settings that break TrocCore's or the operational rules are refused with every problem, and nothing changes",
            arguments: Backend.allCases)
        func refusals(backend: Backend) async throws {
            try await backend.withStore { store in
                let operatorActor = try await Admin.makeOperator(store)
                await #expect(
                    throws: StoreError.invalidSettings(BrokerSettingsError(problems: [.commissionOutOfRange(9000), .paymentTermsOutOfRange(90)]))
                ) {
                    try await store.updateSettings(
                        SettingsChange(commissionBasisPoints: 9000, paymentTermsDays: 90), reason: nil, actor: operatorActor, now: Self.start)
                }
                await #expect(
                    throws: StoreError.invalidField(
                        field: "retentionMonths", value: "48", reason: "must be 1 to 36 months (the CNIL's outer limit is 36)")
                ) {
                    try await store.updateSettings(SettingsChange(retentionMonths: 48), reason: nil, actor: operatorActor, now: Self.start)
                }
                await #expect(throws: StoreError.self) {
                    try await store.updateSettings(
                        SettingsChange(minimumPricePer1000: Money(cents: 4000)), reason: nil, actor: operatorActor, now: Self.start)
                }
                #expect(try await store.settings() == BrokerSettings.defaults)
                #expect(try await Self.entries(store).isEmpty)
            }
        }

        @Test(
            "sector edits need a reason and a valid code, change the reference the rules read, and are audited only when they change something",
            arguments: Backend.allCases)
        func sectorEdits(backend: Backend) async throws {
            try await backend.withStore { store in
                let operatorActor = try await Admin.makeOperator(store)
                let verdict = { () async throws -> SectorVerdict.Kind? in
                    try? SectorRules(reference: try await store.sectorReference()).verdict("43.32A", "70.22Z").map(\.kind).get()
                }
                #expect(try await verdict() == .unrelated)
                await #expect(
                    throws: StoreError.invalidField(field: "reason", value: " ", reason: "a reason is required and recorded in the audit trail")
                ) {
                    try await store.addClusterCode(cluster: "renovation-habitat", code: "70.22Z", reason: " ", actor: operatorActor, now: Self.start)
                }
                await #expect(throws: StoreError.self) {
                    try await store.addClusterCode(cluster: "Renovation Habitat", code: "70.22Z", reason: "x", actor: operatorActor, now: Self.start)
                }
                #expect(
                    try await store.addClusterCode(
                        cluster: "renovation-habitat", code: "70.22Z", reason: " Advisers ", actor: operatorActor, now: Self.start))
                #expect(
                    !(try await store.addClusterCode(
                        cluster: "renovation-habitat", code: "70.22Z", reason: "again", actor: operatorActor, now: Self.start)))
                #expect(try await verdict() == .complementary)
                #expect(
                    try await store.removeClusterCode(
                        cluster: "renovation-habitat", code: "70.22Z", reason: "Reverted", actor: operatorActor, now: Self.start))
                #expect(
                    !(try await store.removeClusterCode(
                        cluster: "renovation-habitat", code: "70.22Z", reason: "Reverted", actor: operatorActor, now: Self.start)))
                #expect(try await verdict() == .unrelated)

                let lawyers = (code: "69.10Z", label: "Activités juridiques", rationale: "Secret professionnel des avocats")
                #expect(
                    try await store.setConfidential(
                        code: lawyers.code, label: lawyers.label, scope: "optional", rationale: lawyers.rationale, reason: "Bar rules",
                        actor: operatorActor,
                        now: Self.start))
                #expect(
                    !(try await store.setConfidential(
                        code: lawyers.code, label: lawyers.label, scope: "optional", rationale: lawyers.rationale, reason: "Same",
                        actor: operatorActor,
                        now: Self.start)))
                #expect(
                    try await store.setConfidential(
                        code: lawyers.code, label: lawyers.label, scope: "core", rationale: lawyers.rationale, reason: "Stricter",
                        actor: operatorActor,
                        now: Self.start))
                #expect(try await store.sectorReference().confidential["69.10Z"]?.scope == "core")
                await #expect(throws: StoreError.self) {
                    try await store.setConfidential(
                        code: "69.10Z", label: "x", scope: "maybe", rationale: "y", reason: "z", actor: operatorActor, now: Self.start)
                }
                #expect(try await store.removeConfidential(code: "80.30Z", reason: "Reviewed", actor: operatorActor, now: Self.start))
                #expect(try await store.sectorReference().confidential["80.30Z"] == nil)

                let sector = RenovationSector(nomenclature: .rev2, code: "70.22Z", ground: .homeAdaptation)
                await #expect(throws: StoreError.self) {
                    try await store.addRenovationSector(
                        RenovationSector(nomenclature: .rev2, code: "70.22", ground: .homeAdaptation), reason: "x", actor: operatorActor,
                        now: Self.start)
                }
                #expect(try await store.addRenovationSector(sector, reason: "Listed", actor: operatorActor, now: Self.start))
                #expect(!(try await store.addRenovationSector(sector, reason: "Again", actor: operatorActor, now: Self.start)))
                #expect(try await store.renovationSectors().contains(sector))
                #expect(try await store.sectorReference().renovation.contains(sector))
                #expect(
                    try await store.removeRenovationSector(
                        code: "70.22Z", nomenclature: .rev2, reason: "Delisted", actor: operatorActor, now: Self.start))
                #expect(!(try await store.renovationSectors().contains(sector)))

                let entries = try await Self.entries(store)
                #expect(
                    entries.map(\.action) == [
                        "sector.cluster.add", "sector.cluster.remove", "sector.confidential.set", "sector.confidential.set",
                        "sector.confidential.remove",
                        "sector.renovation.add", "sector.renovation.remove",
                    ])
                #expect(entries.first?.reason == "Advisers")
                #expect(try entries.first?.decodedDetail() == ["cluster": "renovation-habitat", "code": "70.22Z"])
                #expect((try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)).isIntact)
            }
        }

        @Test("what one instance edits, another reads at once; settings changed by two instances at once are both applied and audited")
        func twoInstances() async throws {
            try await PostgresTests.withTwoInstances { first, second in
                let operatorActor = try await Admin.makeOperator(first)
                _ = try await second.sectorReference()
                #expect(
                    try await first.addClusterCode(
                        cluster: "renovation-habitat", code: "70.22Z", reason: "Advisers", actor: operatorActor, now: Self.start))
                #expect(try await second.sectorReference().clusters["renovation-habitat"]?.contains("70.22Z") == true)
                async let one = first.updateSettings(SettingsChange(paymentTermsDays: 45), reason: "one", actor: operatorActor, now: Self.start)
                async let two = second.updateSettings(SettingsChange(deliveryDays: 14), reason: "two", actor: operatorActor, now: Self.start)
                _ = try await (one, two)
                let settings = try await first.settings()
                #expect(settings.paymentTermsDays == 45 && settings.deliveryDays == 14)
                let updates = try await Self.entries(first).filter { $0.action == "settings.update" }
                #expect(updates.count == 2)
                #expect((try await first.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)).isIntact)
            }
        }
    }
}
