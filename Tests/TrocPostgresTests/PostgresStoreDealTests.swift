import Foundation
import Testing
import TrocCore
import TrocPostgres
import TrocStore

/// Proposing deals and reading them back: the sector verdict decides the first state, the settings the price bounds,
/// expiry and retention; the same on both backends.
extension PostgresTests {
    @Suite struct DealStore {
        typealias Admin = UserAdministrationStore
        static let start = Admin.start
        static let rules = SectorRules(reference: ReferenceData.embedded)

        /// A partner firm in NAF sub-class `nafCode`, with its first user.
        static func firm(_ store: any AccountRecords, siren: String, nafCode: String) async throws -> (OrganisationRecord, AuditActor) {
            var draft = PostgresTests.AccountStore.partner("Firm \(siren)", siren: siren)
            draft.nafCode = nafCode
            let firm = try await store.createOrganisation(draft, now: start)
            let user = try await store.addUser(
                UserDraft(organisationID: firm.id, role: .partner, name: "Anne", email: nil), reason: nil, firstTokenExpiresAt: Admin.expiry,
                creator: try await Admin.makeOperator(store), now: start)
            return (firm, Admin.actor(user.user))
        }

        /// The proposal of a deal between `a` and `b` at `cents` per 1,000 addresses, judged by the embedded rules.
        static func draft(_ a: OrganisationRecord, _ b: OrganisationRecord, cents: Int64 = 2500) throws -> DealDraft {
            DealDraft(proposerID: a.id, partnerID: b.id, pricePer1000: Money(cents: cents), verdict: try rules.verdict(a.nafCode, b.nafCode).get())
        }

        @Test(
            "complementary sectors start awaiting files, unrelated ones proposed; the deal reads back with its parties, proposer first",
            arguments: Backend.allCases)
        func proposals(backend: Backend) async throws {
            try await backend.withStore { store in
                let (windows, windowsActor) = try await Self.firm(store, siren: "432432432", nafCode: "43.32A")
                let (heating, _) = try await Self.firm(store, siren: "432243224", nafCode: "43.22B")
                let (consultant, _) = try await Self.firm(store, siren: "702270227", nafCode: "70.22Z")
                let deal = try await store.createDeal(try Self.draft(windows, heating), actor: windowsActor, now: Self.start)
                #expect(deal.state == .awaitingFiles && deal.verdict.kind == .complementary)
                #expect(deal.retentionMonths == BrokerSettings.defaults.retentionMonths)
                #expect(deal.expiresAt == Self.start.addingTimeInterval(TimeInterval(BrokerSettings.defaults.dealExpiryDays) * 86_400))
                #expect(try await store.deal(id: deal.id) == deal)
                #expect(try await store.dealParties(dealID: deal.id).map(\.organisationID) == [windows.id, heating.id])
                #expect(try await store.dealParties(dealID: deal.id).allSatisfy { $0.acceptedAt == nil && $0.declinedAt == nil })
                #expect(try await store.dealFiles(dealID: deal.id).isEmpty)

                let unrelated = try await store.createDeal(
                    try Self.draft(windows, consultant), actor: windowsActor, now: Self.start.addingTimeInterval(1))
                #expect(unrelated.state == .proposed)
                #expect(try await store.deals(in: .awaitingFiles) == [deal])
                #expect(try await store.deals(in: .proposed) == [unrelated])
                #expect(try await store.deal(id: "del_aaaaaaaaaaaaaaaa") == nil)
                let entries = try await store.auditEntries(dealID: deal.id, limit: 10, afterSeq: 0)
                #expect(entries.map(\.action) == ["deal.create"])
                #expect(try entries.first?.decodedDetail()["verdict"] == "complementary")
                #expect((try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)).isIntact)
            }
        }

        @Test(
            "competing or confidential sectors, a deal with oneself, another firm's proposal, a stale verdict or a price out of bounds are refused, and nothing is recorded",
            arguments: Backend.allCases)
        func refusals(backend: Backend) async throws {
            try await backend.withStore { store in
                let (windows, windowsActor) = try await Self.firm(store, siren: "434343434", nafCode: "43.32A")
                let (rival, rivalActor) = try await Self.firm(store, siren: "435435435", nafCode: "43.32A")
                let (heating, _) = try await Self.firm(store, siren: "436436436", nafCode: "43.22B")
                let (guards, _) = try await Self.firm(store, siren: "801080108", nafCode: "80.10Z")
                await #expect(throws: StoreError.self) {
                    try await store.createDeal(try Self.draft(windows, rival), actor: windowsActor, now: Self.start)
                }
                await #expect(throws: StoreError.self) {
                    try await store.createDeal(try Self.draft(windows, guards), actor: windowsActor, now: Self.start)
                }
                var withSelf = try Self.draft(windows, heating)
                withSelf.partnerID = windows.id
                await #expect(
                    throws: StoreError.invalidField(field: "partnerID", value: windows.id, reason: "a deal is between two different organisations")
                ) {
                    try await store.createDeal(withSelf, actor: windowsActor, now: Self.start)
                }
                await #expect(
                    throws: StoreError.invalidField(
                        field: "proposerID", value: windows.id, reason: "a partner proposes deals for its own organisation only")
                ) {
                    try await store.createDeal(try Self.draft(windows, heating), actor: rivalActor, now: Self.start)
                }
                var stale = try Self.draft(windows, heating)
                stale.verdict = try Self.rules.verdict("43.32A", "43.22A").get()
                await #expect(throws: StoreError.self) { try await store.createDeal(stale, actor: windowsActor, now: Self.start) }
                await #expect(
                    throws: StoreError.priceOutOfBounds(
                        price: Money(cents: 9000), minimum: BrokerSettings.defaults.minimumPricePer1000,
                        maximum: BrokerSettings.defaults.maximumPricePer1000)
                ) {
                    try await store.createDeal(try Self.draft(windows, heating, cents: 9000), actor: windowsActor, now: Self.start)
                }
                await #expect(throws: StoreError.organisationNotFound(id: "org_aaaaaaaaaaaaaaaa")) {
                    var unknown = try Self.draft(windows, heating)
                    unknown.partnerID = "org_aaaaaaaaaaaaaaaa"
                    return try await store.createDeal(unknown, actor: windowsActor, now: Self.start)
                }
                for state in [DealState.proposed, .awaitingFiles] { #expect(try await store.deals(in: state).isEmpty) }
                #expect(try await store.auditEntries(dealID: nil, limit: 100, afterSeq: 0).filter { $0.action == "deal.create" }.isEmpty)
            }
        }
    }
}
