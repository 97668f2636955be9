import Foundation
import Testing
import TrocCore
import TrocPostgres
import TrocStore

/// A firm's billing terms (VAT status, account, billing mandate): checked, audited, the same on both backends; on
/// PostgreSQL, one firm's mandate accepted on two instances at once is one mandate.
extension PostgresTests {
    @Suite struct FirmTermsStore {
        typealias Admin = UserAdministrationStore
        static let start = Admin.start

        @Test(
            "a firm's VAT status is checked against its SIREN and address, kept on the firm, and audited before and after",
            arguments: Backend.allCases)
        func vatStatus(backend: Backend) async throws {
            try await backend.withStore { store in
                let operatorActor = try await Admin.makeOperator(store)
                let (alpha, _) = try await Admin.firm(store, siren: "353535353")
                let broker = try #require(try await store.brokerOrganisation())
                await #expect(throws: StoreError.organisationNotPartner(id: broker.id)) {
                    try await store.setVATStatus(
                        organisationID: broker.id, regime: .franchise, vatNumber: nil, reason: nil, actor: operatorActor, now: Self.start)
                }
                await #expect(throws: StoreError.self) {
                    try await store.setVATStatus(
                        organisationID: alpha.id, regime: .registered, vatNumber: "FR21353535353", reason: nil, actor: operatorActor, now: Self.start)
                }
                #expect(try await store.vatStatus(organisationID: alpha.id) == nil)
                let registered = try await store.setVATStatus(
                    organisationID: alpha.id, regime: .registered, vatNumber: "fr 20 353535353", reason: nil, actor: operatorActor, now: Self.start)
                #expect(registered.vatNumber == "FR20353535353" && registered.territory == "FR")
                #expect(try await store.vatStatus(organisationID: alpha.id) == registered)
                #expect(try await store.organisation(id: alpha.id)?.vatNumber == "FR20353535353")
                let franchise = try await store.setVATStatus(
                    organisationID: alpha.id, regime: .franchise, vatNumber: nil, reason: "below the threshold", actor: operatorActor,
                    now: Self.start.addingTimeInterval(60))
                #expect(franchise.vatNumber == nil)
                #expect(try await store.organisation(id: alpha.id)?.vatNumber == nil)
                let entry = try #require(try await store.auditEntries(dealID: nil, limit: 100, afterSeq: 0).last)
                #expect(entry.action == "organisation.vat-status" && entry.reason == "below the threshold")
                let detail = try entry.decodedDetail()
                #expect(detail["after"] == ["regime": "franchise", "vatNumber": .null, "territory": "FR", "checkMethod": .null])
                guard case .object(let before) = detail["before"] else {
                    Issue.record("no status before")
                    return
                }
                #expect(before["vatNumber"] == "FR20353535353")
            }
        }

        @Test("a firm's account is stored normalised and audited by its ends only", arguments: Backend.allCases)
        func bankAccount(backend: Backend) async throws {
            try await backend.withStore { store in
                let (alpha, admin) = try await Admin.firm(store, siren: "373737373")
                let account = try BankAccount(iban: "FR76 3000 6000 0112 3456 7890 189", bic: "AGRIFRPP")
                let record = try await store.setBankAccount(
                    organisationID: alpha.id, account: account, reason: nil, actor: Admin.actor(admin.user), now: Self.start)
                #expect(record.iban == "FR7630006000011234567890189" && record.bic == "AGRIFRPP")
                #expect(try await store.bankAccount(organisationID: alpha.id) == record)
                let entry = try #require(try await store.auditEntries(dealID: nil, limit: 100, afterSeq: 0).last)
                #expect(try entry.decodedDetail() == ["before": .null, "after": ["iban": "FR76 …0189", "bic": "AGRIFRPP"]])
            }
        }

        @Test(
            "a firm's user accepts the current mandate naming the broker; the same again changes nothing, another delay needs a withdrawal",
            arguments: Backend.allCases)
        func mandates(backend: Backend) async throws {
            try await backend.withStore { store in
                let operatorActor = try await Admin.makeOperator(store)
                let (alpha, admin) = try await Admin.firm(store, siren: "393939393")
                let partner = Admin.actor(admin.user)
                let version = BillingMandateWording.version
                #expect(try await store.brokerIdentity() == (name: "Troc SAS", siren: "111111111"))
                await #expect(throws: StoreError.billingMandateWordingOutdated(given: "0", current: version)) {
                    try await store.acceptMandate(organisationID: alpha.id, wordingVersion: "0", contestDays: 15, actor: partner, now: Self.start)
                }
                await #expect(throws: StoreError.self) {
                    try await store.acceptMandate(
                        organisationID: alpha.id, wordingVersion: version, contestDays: 15, actor: operatorActor, now: Self.start)
                }
                let mandate = try await store.acceptMandate(
                    organisationID: alpha.id, wordingVersion: version, contestDays: 15, actor: partner, now: Self.start)
                #expect(mandate.wording.contains("Troc SAS") && mandate.wording.contains(alpha.name) && mandate.inForce)
                #expect(
                    try await store.acceptMandate(organisationID: alpha.id, wordingVersion: version, contestDays: 15, actor: partner, now: Self.start)
                        == mandate)
                await #expect(throws: StoreError.billingMandateInForce(reference: mandate.id, contestDays: 15)) {
                    try await store.acceptMandate(organisationID: alpha.id, wordingVersion: version, contestDays: 30, actor: partner, now: Self.start)
                }
                #expect(try await store.mandateInForce(organisationID: alpha.id) == mandate)
                let withdrawn = try await store.withdrawMandate(
                    organisationID: alpha.id, reason: "  ", actor: partner, now: Self.start.addingTimeInterval(60))
                #expect(!withdrawn.inForce && withdrawn.withdrawalReason == nil)
                #expect(try await store.mandateInForce(organisationID: alpha.id) == nil)
                await #expect(throws: StoreError.billingMandateNotInForce(organisationID: alpha.id)) {
                    try await store.withdrawMandate(organisationID: alpha.id, reason: nil, actor: partner, now: Self.start)
                }
                let second = try await store.acceptMandate(
                    organisationID: alpha.id, wordingVersion: version, contestDays: 30, actor: partner, now: Self.start.addingTimeInterval(120))
                #expect(try await store.mandates(organisationID: alpha.id) == [second, withdrawn])
                await #expect(throws: StoreError.dealNotFound(id: "del_aaaaaaaaaaaaaaaa")) {
                    try await store.checkMandates(dealID: "del_aaaaaaaaaaaaaaaa")
                }
                let actions = try await store.auditEntries(dealID: nil, limit: 100, afterSeq: 0).map(\.action).filter { $0.hasPrefix("mandate.") }
                #expect(actions == ["mandate.accept", "mandate.withdraw", "mandate.accept"])
                #expect((try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)).isIntact)
            }
        }

        @Test("one firm's mandate accepted eight times at once on two instances is one mandate, audited once")
        func mandateAcrossInstances() async throws {
            try await PostgresTests.withTwoInstances { first, second in
                let (alpha, admin) = try await Admin.firm(first, siren: "414141414")
                let partner = Admin.actor(admin.user)
                let version = BillingMandateWording.version
                let mandates = try await withThrowingTaskGroup(of: BillingMandateRecord.self) { group in
                    for index in 0..<8 {
                        let store = index.isMultiple(of: 2) ? first : second
                        group.addTask {
                            try await store.acceptMandate(
                                organisationID: alpha.id, wordingVersion: version, contestDays: 15, actor: partner, now: Self.start)
                        }
                    }
                    return try await group.reduce(into: Set<String>()) { $0.insert($1.id) }
                }
                #expect(mandates.count == 1)
                let accepted = try await first.auditEntries(dealID: nil, limit: 100, afterSeq: 0).filter { $0.action == "mandate.accept" }
                #expect(accepted.count == 1)
            }
        }
    }
}
